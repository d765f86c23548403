import Foundation
import WorkspaceStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Mail waiting for the relay, and a record of what it took, in
/// `<workspace>/.accord-outbox/` (folder 0700, files 0600: messages name people and work):
///
///     queued/<day>.<slug>.json   a digest (or `accord invite`'s sign-in link, as
///                                <day>.invite.<slug>.<id>) not handed over yet, with its message
///     sent/<day>.<slug>.json     a message the relay accepted (who, when, the Message-ID; no body)
///     lock                       held while messages are queued and sent
///
/// A message leaves `queued` only once the relay has accepted it, so a failed send is kept
/// and tried again on the next run; a person's digest for a day that is in `sent` is never
/// queued again. The lock keeps a command and the server from sending the same one twice.
package struct Outbox {
  package let folder: URL

  package init(workspace: Workspace) {
    folder = workspace.directory.appendingPathComponent(".accord-outbox", isDirectory: true)
  }

  /// A message, and what is known of its sending.
  package struct Entry: Codable, Equatable {
    package var person: String
    package var day: String
    package var from: String
    package var to: String
    package var messageID: String
    /// The message, in a queued entry; none in a sent record.
    package var message: String?
    /// When the relay took it (UTC), in a sent record.
    var sentAt: String?
    package var relay: String?
    /// What the message is when it is not a digest: `sign-in link` for `accord invite`'s.
    package var what: String?

    package init(
      person: String, day: String, from: String, to: String, messageID: String, message: String? = nil,
      sentAt: String? = nil, relay: String? = nil, what: String? = nil
    ) {
      self.person = person
      self.day = day
      self.from = from
      self.to = to
      self.messageID = messageID
      self.message = message
      self.sentAt = sentAt
      self.relay = relay
      self.what = what
    }
  }

  var queuedFolder: URL { folder.appendingPathComponent("queued", isDirectory: true) }
  var sentFolder: URL { folder.appendingPathComponent("sent", isDirectory: true) }

  /// The name of a person's digest for a day.
  package static func key(day: String, slug: String) -> String { "\(day).\(slug)" }

  /// Runs `body` holding the outbox's lock, making the folders first.
  package func locked<T>(_ body: () throws -> T) throws -> T {
    for directory in [folder, queuedFolder, sentFolder] { try makeFolder(directory) }
    let path = folder.appendingPathComponent("lock").path
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw problem(path, "cannot be opened") }
    defer { close(fd) }
    while flock(fd, LOCK_EX) != 0 {
      guard errno == EINTR else { throw problem(path, "cannot be locked") }
    }
    defer { flock(fd, LOCK_UN) }
    return try body()
  }

  func isSent(_ key: String) -> Bool {
    FileManager.default.fileExists(atPath: sentFolder.appendingPathComponent(key + ".json").path)
  }

  package func queue(_ entry: Entry, as key: String) throws {
    try write(entry, to: queuedFolder.appendingPathComponent(key + ".json"))
  }

  /// Every queued message, oldest day first.
  func queued() throws -> [(key: String, entry: Entry)] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: queuedFolder.path)
    } catch {
      throw problem(queuedFolder.path, "cannot be listed: \(error.localizedDescription)")
    }
    return try names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().map { name in
      let url = queuedFolder.appendingPathComponent(name)
      do {
        return (String(name.dropLast(5)), try JSONDecoder().decode(Entry.self, from: Data(contentsOf: url)))
      } catch {
        throw FileProblem(
          path: url.path, problem: "is not a queued message Accord can read: \(error)", status: .dataError,
          code: "invalid-outbox")
      }
    }
  }

  /// Records that the relay took `entry`, then takes it off the queue.
  func markSent(_ key: String, _ entry: Entry, at time: Date, relay: SMTPRelay) throws {
    var record = entry
    record.message = nil
    record.sentAt = ISO8601DateFormatter().string(from: time)
    record.relay = relay.description
    try write(record, to: sentFolder.appendingPathComponent(key + ".json"))
    let path = queuedFolder.appendingPathComponent(key + ".json").path
    if unlink(path) != 0 && errno != ENOENT { throw problem(path, "cannot be removed") }
  }

  private func makeFolder(_ url: URL) throws {
    if mkdir(url.path, 0o700) != 0 && errno != EEXIST {
      throw problem(url.path, "cannot be made: \(String(cString: strerror(errno)))")
    }
  }

  /// Writes `entry` whole or not at all, readable by its owner only.
  private func write(_ entry: Entry, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(entry) + Data([0x0A])
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
      .path
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else { throw problem(temporary, "cannot be written: \(String(cString: strerror(errno)))") }
    let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
    let synced = fsync(fd) == 0
    close(fd)
    guard written == data.count, synced, rename(temporary, url.path) == 0 else {
      unlink(temporary)
      throw problem(url.path, "cannot be written")
    }
  }

  private func problem(_ path: String, _ text: String) -> FileProblem {
    FileProblem(path: path, problem: text, status: .ioError, code: "write-failed")
  }
}
