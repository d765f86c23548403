import Foundation
import Glibc

/// Keeps the workspace's `AccessBook` in `<workspace>/.accord-access.json`, hidden beside the
/// client files (a client id cannot start with '.', so no client can take the name).
///
/// Written as client files are: under its own lock (`.accord-access.lock`), re-read before
/// the rename, replaced atomically, mode 0600. A missing file is an empty book.
public struct AccessStore: Sendable {
  public let workspace: Workspace

  public init(_ workspace: Workspace) { self.workspace = workspace }

  public var path: String {
    workspace.directory.appendingPathComponent(".accord-access.json", isDirectory: false).path
  }

  var lockPath: String {
    workspace.directory.appendingPathComponent(".accord-access.lock", isDirectory: false).path
  }

  /// The file's stamp now, or nil when there is no file.
  public func stamp() throws(StoreError) -> FileStamp? {
    try FileStamp.of(path)
  }

  /// The book, empty when the file does not exist.
  public func read() throws(StoreError) -> AccessBook {
    try load()?.book ?? AccessBook()
  }

  private func load() throws(StoreError) -> (data: Data, book: AccessBook)? {
    guard let data = try POSIXFile.readRegularFile(path) else { return nil }
    return (data, try Self.decode(data, path: path))
  }

  static func decode(_ data: Data, path: String) throws(StoreError) -> AccessBook {
    struct FormatOnly: Decodable { var format: Int }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    if let format = try? decoder.decode(FormatOnly.self, from: data).format, format > AccessBook.currentFormat {
      throw .newerFormat(path: path, found: format, supported: AccessBook.currentFormat)
    }
    do {
      return try decoder.decode(AccessBook.self, from: data)
    } catch {
      throw .corrupt(path: path, problem: "the access file does not parse: \(error)")
    }
  }

  static func encode(_ book: AccessBook) -> Data {
    // Encoding plain strings, dates and numbers cannot fail.
    try! WorkspaceDocument<AccessBook>.json(book, dates: true)
  }

  /// Reads the book, lets `body` change it, and writes it back if it changed, under the
  /// access lock. Nothing is written when `body` throws or changes nothing.
  public func update<T>(_ body: (inout AccessBook) throws -> T) throws -> T {
    try WorkspaceDocument(
      workspace: workspace, path: path, lockPath: lockPath, empty: AccessBook(),
      load: { () throws(StoreError) in try load().map { ($0.data, $0.book) } },
      encode: { book in
        var book = book
        book.format = AccessBook.currentFormat
        return Self.encode(book)
      }
    ).update(body)
  }
}
