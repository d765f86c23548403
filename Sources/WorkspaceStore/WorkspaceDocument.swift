import Foundation

/// A small JSON document kept whole beside the client files (the access file, the workspace
/// settings), changed the way client files are: under a lock of its own, the new content
/// written to a temporary file and renamed over the old one only if the old one is still
/// exactly what was read. A missing file is `empty`.
struct WorkspaceDocument<Value: Equatable> {
  let workspace: Workspace
  let path: String
  let lockPath: String
  let empty: Value
  /// The file's bytes and what they hold, or nil when there is no file.
  let load: () throws(StoreError) -> (data: Data, value: Value)?
  /// The bytes to write for a value.
  let encode: (Value) throws -> Data

  /// Reads the document, lets `body` change it, and writes it back if it changed, under the
  /// lock. Nothing is written when `body` throws or changes nothing (a document still equal
  /// to `empty` with no file is not written either).
  func update<T>(_ body: (inout Value) throws -> T) throws -> T {
    try workspace.makeFolder()
    let lock = try ClientLock(
      path: lockPath, holder: workspace.holder, timeout: workspace.lockTimeout, target: path,
      interrupted: workspace.interrupted)
    defer { lock.release() }
    let loaded = try load()
    var value = loaded?.value ?? empty
    let result = try body(&value)
    if value == loaded?.value ?? empty { return result }
    do {
      try writeAtomically(try encode(value), to: path, expected: loaded?.data, interrupted: workspace.interrupted)
    } catch let error as WriteFailure {
      switch error {
      case let .system(failure): throw StoreError.io(path: path, problem: failure.problem)
      case .targetExists, .targetChanged: throw StoreError.changedOnDisk(path: path, read: 0, found: nil)
      case .interrupted: throw StoreError.interrupted(path: path)
      }
    }
    return result
  }

  /// Pretty, sorted JSON with a final newline, as both documents are written.
  static func json(_ value: some Encodable, dates: Bool = false) throws -> Data {
    let encoder = JSONEncoder()
    if dates { encoder.dateEncodingStrategy = .iso8601 }
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(value)
    data.append(0x0A)
    return data
  }
}
