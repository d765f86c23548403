import Foundation
import WorkspaceStore

/// A document kept whole in the `documents` table (the access book, the settings): its row's
/// name, and its body as the JSON the folder's file holds, so that the two stores read and
/// write the same text.
struct Document<Value: Equatable & Codable & Sendable>: Sendable {
  let name: String
  /// The value when the row has no body yet (the empty book, the default settings).
  let empty: Value
  /// What the store's message calls it.
  let title: String
  let currentFormat: Int
  let dates: Bool
  /// `value` with its `format` set to the newest, as it is written.
  let stamped: @Sendable (Value) -> Value

  func decode(_ body: String?) throws(StoreFailure) -> Value {
    guard let body else { return empty }
    let data = Data(body.utf8)
    let decoder = JSONDecoder()
    if dates { decoder.dateDecodingStrategy = .iso8601 }
    if let format = try? decoder.decode(FormatOnly.self, from: data).format, format > currentFormat {
      throw .newerFormat(client: nil, found: format, supported: currentFormat)
    }
    do {
      return try decoder.decode(Value.self, from: data)
    } catch {
      throw .damaged(client: nil, problem: "the \(title) does not parse: \(error)")
    }
  }

  /// Pretty, sorted JSON with a final newline, as the folder writes the file.
  func encode(_ value: Value) -> String {
    let encoder = JSONEncoder()
    if dates { encoder.dateEncodingStrategy = .iso8601 }
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Plain strings, dates and numbers: encoding cannot fail.
    let data = try! encoder.encode(stamped(value))
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

enum Documents {
  static let access = Document<AccessBook>(
    name: "access", empty: AccessBook(), title: "access book", currentFormat: AccessBook.currentFormat, dates: true,
    stamped: { book in
      var book = book
      book.format = AccessBook.currentFormat
      return book
    })

  static let settings = Document<WorkspaceSettings>(
    name: "settings", empty: WorkspaceSettings(), title: "workspace settings",
    currentFormat: WorkspaceSettings.currentFormat, dates: false,
    stamped: { settings in
      var settings = settings
      settings.format = WorkspaceSettings.currentFormat
      return settings
    })
}

/// A document's `format` alone: a newer one is refused before the rest is read.
private struct FormatOnly: Decodable {
  var format: Int
}
