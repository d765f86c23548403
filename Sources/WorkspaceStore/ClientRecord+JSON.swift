import Foundation

extension ClientRecord {
  /// The record as the file holds it: pretty-printed with sorted keys and a final newline,
  /// so that a workspace kept in git shows each change as a small, stable diff.
  func encoded() -> Data {
    Data(canonicalJSON())
  }

  /// The same text through JSONEncoder: the reference `canonicalJSON()` is held to.
  func encodedByFoundation() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(self)
    data.append(UInt8(ascii: "\n"))
    return data
  }

  /// Decodes and checks a client's text as a file holds it (for a store that keeps clients
  /// elsewhere than in files, `canonicalJSON(eventTexts:)` puts it together), which should
  /// hold client `id`; `place` names where it came from in a message.
  public static func decode(_ data: Data, client id: ClientID, place: String) throws(StoreError) -> ClientRecord {
    try decode(data, path: place, expecting: id)
  }

  /// Decodes and checks the content of the file at `path`, which should hold client `id`.
  /// A stored text whose file gives a SHA-256 in `trusted` is taken to hash to it without
  /// hashing it again (`HashedTexts` vouches for those bytes).
  static func decode(_ data: Data, path: String, expecting id: ClientID, trusting trusted: Set<String> = [])
    throws(StoreError) -> ClientRecord
  {
    guard !data.isEmpty else { throw .corrupt(path: path, problem: "the file is empty") }
    let record: ClientRecord
    do {
      // The quick reader handles every file Accord writes; JSONDecoder reads anything
      // else and says what is wrong with it.
      record = try fastDecode(data, trusting: trusted) ?? JSONDecoder().decode(ClientRecord.self, from: data)
    } catch let error as NewerFormat {
      throw .newerFormat(path: path, found: error.found, supported: currentFormat)
    } catch let error as DecodingError {
      throw .corrupt(path: path, problem: error.problem(in: data))
    } catch {
      throw .corrupt(path: path, problem: "\(error)")
    }
    // A file copied or renamed by hand would otherwise be taken for another client.
    guard record.client == id.rawValue else {
      throw .corrupt(
        path: path,
        problem: "client: the file says it holds client '\(record.client)', "
          + "but its name says '\(id.rawValue)'")
    }
    return record
  }
}

extension ClientRecord {
  /// The record's text exactly as a workspace folder keeps it in the client's file (what
  /// `FolderStore` writes for it, and what `accord export` copies): the JSON API hands a
  /// laptop's replica this (`GET /api/v1/clients/CLIENT/record`).
  public var fileText: Data { encoded() }
}
