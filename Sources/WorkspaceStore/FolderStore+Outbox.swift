import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The folder's outbox, `<workspace>/.accord-outbox/` (folder 0700, files 0600: messages
/// name people and work), the files it has always had:
///
///     queued/<day>.<slug>.json   a digest (or `accord invite`'s sign-in link, as
///                                <day>.invite.<slug>.<id>) not handed over yet, with its message
///     sent/<day>.<slug>.json     a message the relay accepted (who, when, the Message-ID; no body)
///     lock                       held while a message is queued, and while one is sent
///
/// A claim is the lock, held from the claim until the message is marked sent or let go: a
/// second sender (another process, or another task of this one, which opens the lock anew)
/// waits, then finds the message sent.
extension FolderStore: OutboxStore {
  var outbox: FolderOutbox { FolderOutbox(folder: workspace.directory.appendingPathComponent(".accord-outbox")) }

  public func queueMail(_ message: OutboxMessage, as key: String) async throws(StoreFailure) -> OutboxState {
    let outbox = outbox
    // The first mail of a workspace that has no client yet makes the workspace, as the first
    // client would.
    do { try workspace.makeFolder() } catch { throw StoreFailure(error, client: nil) }
    let hold = try await outbox.lock()
    defer { hold.unlock() }
    if outbox.isSent(key) { return .sent }
    try outbox.write(message, to: outbox.queued(key))
    return .queued
  }

  public func queuedMail() async throws(StoreFailure) -> [OutboxItem] {
    try outbox.queuedItems()
  }

  public func claimMail(_ key: String) async throws(StoreFailure) -> OutboxClaim? {
    let outbox = outbox
    // Nothing queued under the key: no lock to take, no folder to make.
    guard FileManager.default.fileExists(atPath: outbox.queued(key).path) else { return nil }
    let hold = try await outbox.lock()
    guard !outbox.isSent(key), let message = try outbox.read(outbox.queued(key)) else {
      hold.unlock()
      return nil
    }
    return OutboxClaim(key: key, message: message, hold: hold)
  }

  public func markSent(_ claim: OutboxClaim, at time: Date, relay: String) async throws(StoreFailure) {
    let outbox = outbox
    defer { (claim.hold as? FolderOutbox.Hold)?.unlock() }
    try outbox.write(claim.message.sent(at: time, relay: relay), to: outbox.sent(claim.key))
    let path = outbox.queued(claim.key).path
    if unlink(path) != 0 && errno != ENOENT { throw outbox.problem(path, "cannot be removed") }
  }

  public func release(_ claim: OutboxClaim) async {
    (claim.hold as? FolderOutbox.Hold)?.unlock()
  }

  public func mailState(_ key: String) async throws(StoreFailure) -> OutboxState? {
    let outbox = outbox
    if outbox.isSent(key) { return .sent }
    return FileManager.default.fileExists(atPath: outbox.queued(key).path) ? .queued : nil
  }

  public func sentMail(_ key: String) async throws(StoreFailure) -> OutboxMessage? {
    try outbox.read(outbox.sent(key))
  }
}

/// The files of the folder's outbox.
struct FolderOutbox {
  let folder: URL

  var queuedFolder: URL { folder.appendingPathComponent("queued", isDirectory: true) }
  var sentFolder: URL { folder.appendingPathComponent("sent", isDirectory: true) }

  func queued(_ key: String) -> URL { queuedFolder.appendingPathComponent(key + ".json") }
  func sent(_ key: String) -> URL { sentFolder.appendingPathComponent(key + ".json") }

  func isSent(_ key: String) -> Bool { FileManager.default.fileExists(atPath: sent(key).path) }

  /// The outbox's lock, held by an open descriptor of its own until `unlock` (or until the
  /// hold is dropped): a claim may be held across a send, on any thread.
  final class Hold: @unchecked Sendable {
    private var descriptor: Int32
    private let guardLock = NSLock()

    init(_ descriptor: Int32) { self.descriptor = descriptor }

    func unlock() {
      guardLock.lock()
      defer { guardLock.unlock() }
      guard descriptor >= 0 else { return }
      flock(descriptor, LOCK_UN)
      close(descriptor)
      descriptor = -1
    }

    deinit { unlock() }
  }

  /// Takes the lock, making the folders first. Waits for another holder without holding a
  /// thread: the lock is tried, and tried again a little later, until it is free.
  func lock() async throws(StoreFailure) -> Hold {
    try await Self.lock(folder.appendingPathComponent("lock").path, making: [folder, queuedFolder, sentFolder])
  }

  /// Takes the lock file at `path` (the outbox's, or the survey box's), making `folders`
  /// (owner only) first.
  static func lock(_ path: String, making folders: [URL]) async throws(StoreFailure) -> Hold {
    for directory in folders { try makeFolder(directory) }
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw problem(path, "cannot be opened") }
    let hold = Hold(fd)
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else { throw problem(path, "cannot be locked") }
      do { try await Task.sleep(for: .milliseconds(10)) } catch { throw .interrupted }
    }
    return hold
  }

  /// Every queued message, sorted by key; none when the outbox was never made.
  func queuedItems() throws(StoreFailure) -> [OutboxItem] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: queuedFolder.path)
    } catch {
      guard FileManager.default.fileExists(atPath: queuedFolder.path) else { return [] }
      throw problem(queuedFolder.path, "cannot be listed: \(error.localizedDescription)")
    }
    var items: [OutboxItem] = []
    for name in names.filter({ $0.hasSuffix(".json") && !$0.hasPrefix(".") }).sorted() {
      let key = String(name.dropLast(5))
      if let message = try read(queued(key)) { items.append(OutboxItem(key: key, message: message)) }
    }
    return items
  }

  /// The message in `url`; nil when there is none.
  func read(_ url: URL) throws(StoreFailure) -> OutboxMessage? {
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    do {
      return try JSONDecoder().decode(OutboxMessage.self, from: data)
    } catch {
      throw .damaged(client: nil, problem: "\(url.path) is not an outbox message Accord can read: \(error)")
    }
  }

  private static func makeFolder(_ url: URL) throws(StoreFailure) {
    if mkdir(url.path, 0o700) != 0 && errno != EEXIST {
      throw problem(url.path, "cannot be made: \(String(cString: strerror(errno)))")
    }
  }

  /// Writes `message` whole or not at all, readable by its owner only.
  func write(_ message: OutboxMessage, to url: URL) throws(StoreFailure) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Strings only: encoding cannot fail.
    try Self.write(try! encoder.encode(message) + Data([0x0A]), to: url)
  }

  /// Writes `data` to `url` whole or not at all (a temporary file synced, then renamed),
  /// readable by its owner only.
  static func write(_ data: Data, to url: URL) throws(StoreFailure) {
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

  func problem(_ path: String, _ text: String) -> StoreFailure { Self.problem(path, text) }

  static func problem(_ path: String, _ text: String) -> StoreFailure {
    .unavailable(problem: "\(path) \(text)")
  }
}
