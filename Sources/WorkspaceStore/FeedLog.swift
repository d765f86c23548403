import Foundation
import Glibc
import ProgrammeEngine

/// The folder's change feed: `.accord-feed` in the workspace, an append-only log with one
/// line a new event, `<client> <position> <key> <from>`: the key is the event's id (or, for
/// an event without one, `sha256:` and the hash of its canonical form), and `from` the
/// length the client's history had when the write began (the position of the write's first
/// event), so that a reader can tell where one write's lines end and the next write's begin.
///
/// A writer appends its events' lines in one write (`O_APPEND`), flushed, under the client's
/// lock and before the client's file takes its new content: so by the time an event can be
/// read in a client file, its line is in the log, and the lines of one client stand in its
/// history's order. A line is only a claim: the write it announces may yet fail, be refused
/// or be killed. The reader (`FeedReader`) settles each claim against the client's file. See
/// docs/change-feed.md.
struct FeedLog {
  /// The log's name in the workspace folder: hidden, as locks and temporary files are, so
  /// that it is never taken for a client.
  static let name = ".accord-feed"

  let workspace: Workspace

  var path: String { workspace.directory.appendingPathComponent(Self.name, isDirectory: false).path }

  /// What a line says of an event: its id, or its hash for an event from before ids.
  static func key(of event: Event) -> String {
    event.id ?? "sha256:" + HistoryChain.hash(of: event)
  }

  /// Appends the lines of `record`'s events from `position` on, in one write, and flushes
  /// them. Called under the client's lock, before its file is replaced.
  func note(_ record: ClientRecord, from position: Int) throws(StoreError) {
    guard position < record.events.count else { return }
    var text = ""
    for index in position..<record.events.count {
      text += "\(record.client) \(index) \(Self.key(of: record.events[index])) \(position)\n"
    }
    let path = self.path
    do throws(POSIXFile.Failure) {
      let descriptor = try POSIXFile.open(
        path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode: 0o600, action: "open")
      defer { close(descriptor) }
      var info = stat()
      guard fstat(descriptor, &info) == 0 else { throw POSIXFile.Failure(code: errno, action: "look up") }
      guard info.st_mode & S_IFMT == S_IFREG else {
        throw POSIXFile.Failure(code: EINVAL, action: "append to the change feed (not a regular file)")
      }
      // (Read as well as written: the last byte is read.) A line a power cut tore in two (its write never finished, so neither did the
      // client's) must not swallow this one: start afresh on a line of its own. Two writers
      // doing so at once leave an empty line, which readers pass over.
      if info.st_size > 0 {
        var last: UInt8 = 0
        if pread(descriptor, &last, 1, off_t(info.st_size - 1)) == 1, last != UInt8(ascii: "\n") {
          text = "\n" + text
        }
      }
      try POSIXFile.writeAll(descriptor, Array(text.utf8))
      while fdatasync(descriptor) != 0 {
        if errno != EINTR { throw POSIXFile.Failure(code: errno, action: "flush to disk") }
      }
    } catch {
      if error.code == ELOOP { throw .notRegularFile(path: path, found: "a symbolic link") }
      throw .io(path: path, problem: error.problem)
    }
  }
}

/// One line of the log, parsed: a claim that `client`'s event at `position` is `key`, made
/// by a write that began at `from`.
struct FeedLine: Hashable {
  var client: String
  var position: Int
  var key: String
  var from: Int
  /// Where the line begins in the log, and where the next one does.
  var start: UInt64
  var end: UInt64

  /// Whether the line is its write's first.
  var beginsWrite: Bool { position == from }

  /// The line's text without its newline; nil for a line that is not one (empty, or torn
  /// by a power cut: a write that never finished).
  init?(_ text: ArraySlice<UInt8>, start: UInt64, end: UInt64) {
    let parts = text.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
    guard parts.count == 4, let client = String(validating: parts[0], as: UTF8.self),
      (try? ClientID(client)) != nil, let positionText = String(validating: parts[1], as: UTF8.self),
      let position = Int(positionText), position >= 0, let key = String(validating: parts[2], as: UTF8.self),
      !key.isEmpty, let fromText = String(validating: parts[3], as: UTF8.self), let from = Int(fromText),
      (0...position).contains(from)
    else { return nil }
    self.from = from
    self.client = client
    self.position = position
    self.key = key
    self.start = start
    self.end = end
  }
}
