import Foundation
import Glibc
import ProgrammeEngine

/// Reads a page of the folder's change feed (`FeedLog`), settling each line's claim against
/// the client's file:
///
/// - the file holds the claimed event at that position: the write committed, unless a later
///   write of the same client began at or before that position (then this write failed,
///   and the later one took the position, perhaps with the same event, retried): it is
///   delivered at the line of the write that committed it, and only there;
/// - the file does not hold it, and the client's lock is free: the write ended without
///   committing (refused at the last moment, failed, killed): a dead line, passed over;
/// - the file does not hold it and the lock is held: the write may be in flight, and the
///   page stops before the line, so that the cursor never passes it.
///
/// The order of the checks is what makes them sound: the lock is tried before the file is
/// read again (a write that has let go of the lock has renamed its file, or never will),
/// and the log is read for later writes after the files (a write that committed an event
/// the file shows had its line in the log before its rename).
struct FeedReader {
  let workspace: Workspace
  let clients: Set<String>?

  /// How much of the log one read takes.
  static let chunk = 256 * 1024

  func page(after cursor: FeedCursor, limit: Int) throws(StoreFailure) -> FeedPage {
    func invalid(_ problem: String) -> StoreFailure { .invalidCursor(cursor: cursor.description, problem: problem) }
    guard cursor.minor == 0 else { throw invalid("the folder's cursors end in .0") }
    let path = FeedLog(workspace: workspace).path
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      if code == ENOENT {
        // No write yet since the feed began.
        guard cursor.major == 0 else { throw invalid("the feed has nothing yet") }
        return FeedPage(changes: [], cursor: cursor)
      }
      throw .unavailable(problem: "cannot read the change feed \(path): \(String(cString: strerror(code)))")
    }
    defer { close(descriptor) }
    var log = LogLines(descriptor: descriptor, offset: cursor.major)
    let size = try log.size()
    guard cursor.major <= size else { throw invalid("it is past the end of the feed") }
    if cursor.major > 0 {
      var before: UInt8 = 0
      guard pread(descriptor, &before, 1, off_t(cursor.major - 1)) == 1, before == UInt8(ascii: "\n") else {
        throw invalid("it is not where a line of the feed begins")
      }
    }

    var files = ClientFiles(workspace: workspace)
    // The lines read, of the clients asked about, and which of them are delivered so far.
    var lines: [FeedLine] = []
    var delivered: [(line: Int, change: FeedChange)] = []
    var resolved = cursor.major
    reading: while delivered.count < limit, let line = try log.next() {
      guard let parsed = line.parsed, clients?.contains(parsed.client) ?? true else {
        resolved = line.end
        continue
      }
      lines.append(parsed)
      switch try files.settle(parsed) {
      case let .committed(event):
        delivered.append((lines.count - 1, FeedChange(client: parsed.client, position: parsed.position, event: event)))
      case .ended: break
      case .inFlight: break reading
      }
      resolved = parsed.end
    }
    guard !delivered.isEmpty else { return FeedPage(changes: [], cursor: FeedCursor(major: resolved, minor: 0)) }

    // A line delivered is the committing one only if no later write of its client began at
    // or before its position: each client's first write after it decides. Backwards over
    // the lines read first, then on through the log (read after the files were) for the
    // clients whose next write is not among them, until each has one or the log ends.
    var firstWriteAfter: [Int: Int] = [:]
    var nextWrite: [String: Int] = [:]
    let deliveredLines = Set(delivered.map(\.line))
    for index in lines.indices.reversed() {
      let line = lines[index]
      if deliveredLines.contains(index), let start = nextWrite[line.client] { firstWriteAfter[index] = start }
      if line.beginsWrite { nextWrite[line.client] = line.position }
    }
    var pending = Set(delivered.filter { firstWriteAfter[$0.line] == nil }.map(\.change.client))
    var laterWrite: [String: Int] = [:]
    log.readOn()
    while !pending.isEmpty, let line = try log.next() {
      guard let parsed = line.parsed, parsed.beginsWrite, pending.remove(parsed.client) != nil else { continue }
      laterWrite[parsed.client] = parsed.position
    }
    let changes = delivered.filter { entry in
      guard let start = firstWriteAfter[entry.line] ?? laterWrite[entry.change.client] else { return true }
      return start > entry.change.position
    }.map(\.change)
    return FeedPage(changes: changes, cursor: FeedCursor(major: resolved, minor: 0))
  }
}

/// The log's complete lines from an offset on, read in chunks as they are asked for; a
/// line still being written (no newline yet) is not one.
private struct LogLines {
  let descriptor: Int32
  private var buffer: [UInt8] = []
  /// Where `buffer` begins in the log, and where the next line begins in `buffer` (`cursor`).
  private var bufferStart: UInt64
  private var cursor = 0
  private var atEnd = false

  init(descriptor: Int32, offset: UInt64) {
    self.descriptor = descriptor
    bufferStart = offset
  }

  func size() throws(StoreFailure) -> UInt64 {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw .unavailable(problem: "cannot look up the change feed: \(String(cString: strerror(errno)))")
    }
    return UInt64(info.st_size)
  }

  /// Reads past where the log ended before: what was appended since.
  mutating func readOn() { atEnd = false }

  struct Line {
    var parsed: FeedLine?
    var end: UInt64
  }

  mutating func next() throws(StoreFailure) -> Line? {
    while true {
      if let newline = buffer[cursor...].firstIndex(of: UInt8(ascii: "\n")) {
        let start = bufferStart + UInt64(cursor)
        let end = bufferStart + UInt64(newline + 1)
        let parsed = FeedLine(buffer[cursor..<newline], start: start, end: end)
        cursor = newline + 1
        return Line(parsed: parsed, end: end)
      }
      guard !atEnd else { return nil }
      // Keep the unfinished tail, read on after it.
      buffer.removeSubrange(..<cursor)
      bufferStart += UInt64(cursor)
      cursor = 0
      let offset = bufferStart + UInt64(buffer.count)
      var chunk = [UInt8](repeating: 0, count: FeedReader.chunk)
      let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
      if count < 0 {
        let code = errno
        if code == EINTR { continue }
        throw StoreFailure.unavailable(problem: "cannot read the change feed: \(String(cString: strerror(code)))")
      }
      if count == 0 {
        atEnd = true
        continue
      }
      buffer.append(contentsOf: chunk[..<count])
    }
  }
}

/// The clients' files as a page reads them: each read once, and again only when a line
/// claims an event past what was read.
private struct ClientFiles {
  let workspace: Workspace
  private var read: [String: [Event]] = [:]

  init(workspace: Workspace) { self.workspace = workspace }

  enum Settled {
    /// The file holds the event claimed (see `FeedReader` for which line delivers it).
    case committed(Event)
    /// The write ended without committing.
    case ended
    /// The write may still be going on.
    case inFlight
  }

  mutating func settle(_ line: FeedLine) throws(StoreFailure) -> Settled {
    if let events = read[line.client], line.position < events.count {
      return holds(events, line) ? .committed(events[line.position]) : .ended
    }
    var events = try events(of: line.client)
    if line.position < events.count { return holds(events, line) ? .committed(events[line.position]) : .ended }
    // Not there (yet): is its write still going on? The lock first, then the file again.
    guard try !isLocked(line.client) else { return .inFlight }
    events = try self.events(of: line.client)
    guard line.position < events.count else { return .ended }
    return holds(events, line) ? .committed(events[line.position]) : .ended
  }

  private func holds(_ events: [Event], _ line: FeedLine) -> Bool {
    FeedLog.key(of: events[line.position]) == line.key
  }

  /// The client's events as its file holds them now; none when it has no file (a create
  /// that did not happen).
  private mutating func events(of client: String) throws(StoreFailure) -> [Event] {
    let id: ClientID
    do { id = try ClientID(client) } catch { return [] }
    let events: [Event]
    do {
      events = try workspace.read(id).events
    } catch {
      if case .noSuchClient = error { events = [] } else { throw StoreFailure(error, client: client) }
    }
    read[client] = events
    return events
  }

  /// Whether a writer holds the client's lock now: tried, shared, without waiting.
  private func isLocked(_ client: String) throws(StoreFailure) -> Bool {
    guard let id = try? ClientID(client) else { return false }
    let path = workspace.lockPath(for: id)
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else {
      if errno == ENOENT { return false }
      throw .unavailable(problem: "cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    while flock(descriptor, LOCK_SH | LOCK_NB) != 0 {
      if errno == EINTR { continue }
      if errno == EWOULDBLOCK { return true }
      throw .unavailable(problem: "cannot try the lock \(path): \(String(cString: strerror(errno)))")
    }
    flock(descriptor, LOCK_UN)
    return false
  }
}
