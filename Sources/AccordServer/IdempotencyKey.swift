import Foundation
import HTTPTypes
import Hummingbird
import WorkspaceStore

/// A POST's `Idempotency-Key` (the IETF httpapi draft "The Idempotency-Key HTTP Header
/// Field"): a UUID the client makes for one change and sends again with every retry of it.
/// It becomes the new event's id, so the engine refuses a second event under it, and a retry
/// of the same change by the same person is answered as the first attempt was.
enum IdempotencyKey {
  /// The key `request` gives, as an event id (a UUID, lowercase), or nil when it gives none.
  /// The draft makes the value a structured-field string (`"…"`); a bare UUID is taken too.
  /// 400 for a key given twice or one that is not a UUID.
  static func read(_ request: Request) throws -> String? {
    let values = request.headers[values: .idempotencyKey]
    guard let value = values.first else { return nil }
    guard values.count == 1 else {
      throw refusal("give Idempotency-Key once")
    }
    var text = value.trimmingCharacters(in: .whitespaces)
    if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
    guard let id = EventID.canonical(text) else {
      throw refusal("Idempotency-Key must be a UUID, such as \"01890a5d-ac96-774b-bcce-b302099a8057\"")
    }
    return id
  }

  private static func refusal(_ message: String) -> WebFailure {
    WebFailure(status: .badRequest, code: "bad-request", message: message, details: ["header": .text("Idempotency-Key")])
  }
}

extension HTTPField.Name {
  /// A POST's key for its change, sent again with each retry (`IdempotencyKey`).
  static let idempotencyKey = Self("Idempotency-Key")!
  /// `true` on the answer to a retry: the change was made by the first attempt, and nothing
  /// was written again.
  static let idempotentReplayed = Self("Idempotent-Replayed")!
}
