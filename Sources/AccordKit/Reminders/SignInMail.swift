import Foundation
import ProgrammeEngine
import WorkspaceStore

/// A message that carries a person's way in (an invitation's link, `accord login`'s link and
/// code), queued in the outbox as reminders are and sent through the same relay.
package protocol SignInMail {
  /// `invite` or `login`: in the message's id and its key in the outbox.
  static var kind: String { get }
  /// What the outbox says was mailed, for its report of what became of it.
  static var what: String { get }
  var person: String { get }
  var address: MailAddress { get }
  var from: MailAddress { get }
  var now: Date { get }
  var messageID: String { get }
  var message: String { get }
}

extension SignInMail {
  /// A new message id, random so that two messages to one person on one day are two.
  static func newMessageID(from: MailAddress) -> String {
    let random = (0..<12).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    return "<accord.\(kind).\(random)@\(from.domain)>"
  }

  /// The message as the outbox keeps it until the relay takes it, under `outboxKey`.
  package var outboxMessage: OutboxMessage {
    OutboxMessage(
      person: person, day: day, from: from.value, to: address.value, messageID: messageID, message: message,
      what: Self.what)
  }

  /// Where the outbox keeps it: by day, person and message.
  package var outboxKey: String {
    let random = messageID.dropFirst("<accord.\(Self.kind).".count).prefix(8)
    return OutboxMessage.key(day: day, slug: Self.kind + "." + DigestFileName.slug(for: person) + "." + random)
  }

  private var day: String { String(Timestamp.format(now).prefix(10)) }
}
