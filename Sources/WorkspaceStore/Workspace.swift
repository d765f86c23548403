import Foundation
import Glibc
import PlaybookSpec
import ProgrammeEngine

/// A folder of client files, one `<client>.json` per client, and the rules for changing them.
///
/// Every change goes through `create` or `update`, which hold the client's lock from the
/// read to the end of the write and replace the file atomically: a refused or failed
/// command leaves every client file byte for byte as it was. Reads take no lock, because
/// a reader always sees a whole file, old or new.
public struct Workspace: Sendable {
  /// The workspace folder.
  public let directory: URL
  /// How long `create` and `update` wait for another command to release a client.
  public var lockTimeout: Duration
  /// Who we are, written into lock files for the message of anyone kept waiting.
  public var holder: String
  /// Where this machine remembers the newest revision it has seen of each client, so that
  /// `check` can tell when a file is replaced by an older copy. `nil`: remember nothing.
  public var seen: SeenRevisions?
  /// Where this user keeps stored playbooks already parsed, so that reading a client does
  /// not parse its playbook's YAML again. `nil`: parse it on every read.
  public var compiled: CompiledPlaybooks?
  /// Where this user remembers the SHA-256s of the texts in client files already hashed,
  /// by each file's stat, so that a file read again is not hashed again. `nil`: hash the
  /// stored texts on every read.
  public var hashed: HashedTexts?
  /// Test seam: makes atomic writes fail at a chosen step. Always `nil` outside tests.
  var faults: WriteFaults?
  /// Whether the user asked the command to stop (Ctrl-C). Asked while waiting for a lock
  /// and at the safe points of a write, up to the rename: a stop there throws
  /// `.interrupted` with nothing written; after the rename the change is made and the
  /// command carries on. `nil`: never stop.
  public var interrupted: InterruptionCheck?

  public init(
    directory: URL, lockTimeout: Duration = .seconds(10), holder: String = Workspace.defaultHolder
  ) {
    self.directory = directory
    self.lockTimeout = lockTimeout
    self.holder = holder
  }

  /// This process, for example `pid 1234 on dana-laptop`.
  public static var defaultHolder: String {
    var name = [CChar](repeating: 0, count: 256)
    guard gethostname(&name, name.count - 1) == 0 else { return "pid \(getpid())" }
    let host = String(
      decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return host.isEmpty ? "pid \(getpid())" : "pid \(getpid()) on \(host)"
  }

  /// The clients in the workspace, sorted by id; none if the folder does not exist yet.
  ///
  /// Only `<id>.json` files with a valid id count: hidden lock and temporary files, and
  /// anything else people keep beside the clients, are not clients.
  public func clientIDs() throws(StoreError) -> [ClientID] {
    let folder = directory.path
    guard let info = try status(folder) else { return [] }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw .io(path: folder, problem: "the workspace is not a folder")
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw .io(path: folder, problem: "cannot list the folder: \(error.localizedDescription)")
    }
    return
      names
      .filter { !$0.hasPrefix(".") && $0.hasSuffix(".json") }
      .compactMap { try? ClientID(String($0.dropLast(".json".count))) }
      .sorted()
  }

  /// Throws `.io` when the workspace cannot be read now: its folder is not a folder, or
  /// cannot be opened and listed. A folder not made yet answers (the first client makes
  /// it). For a server's health check: cheap, and it reads no client.
  public func answers() throws(StoreError) {
    let folder = directory.path
    guard let info = try status(folder) else { return }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw .io(path: folder, problem: "the workspace is not a folder")
    }
    guard let handle = opendir(folder) else {
      throw .io(path: folder, problem: POSIXFile.Failure(code: errno, action: "open the folder").problem)
    }
    closedir(handle)
  }

  /// Where the client's file is: `<directory>/<id>.json`.
  /// `.noSuchClient` for `id`, naming the nearest client id when one is close.
  func noSuchClient(_ id: ClientID) -> StoreError {
    let known = ((try? clientIDs()) ?? []).map(\.rawValue)
    return .noSuchClient(path: fileURL(for: id).path, suggestion: closestMatch(to: id.rawValue, among: known))
  }

  public func fileURL(for id: ClientID) -> URL {
    directory.appendingPathComponent(id.rawValue + ".json", isDirectory: false)
  }

  /// The client's lock file, hidden beside its client file: `<directory>/.<id>.lock`.
  func lockPath(for id: ClientID) -> String {
    directory.appendingPathComponent("." + id.rawValue + ".lock", isDirectory: false).path
  }

  /// Reads and checks the client's file.
  ///
  /// Throws `.noSuchClient`, `.newerFormat` for a file from a newer Accord, `.corrupt` for a
  /// file that does not parse, lacks fields, disagrees with its playbook fingerprint or names
  /// another client, and `.io` when the system refuses the read.
  public func read(_ id: ClientID) throws(StoreError) -> ClientRecord {
    try load(id).record
  }

  /// The client file's bytes as read, and the record they hold.
  ///
  /// Only a regular file is read: a symbolic link in the workspace (planted, or left by a
  /// careless copy) could otherwise lead Accord to read, and later replace, a file elsewhere.
  ///
  /// A file whose stat `hashed` has a memo of has its stored texts taken as hashing to what
  /// the memo says, when the file gives those SHA-256s; a file read and checked whole is
  /// remembered there for next time (see `HashedTexts` for when that is sound).
  func load(_ id: ClientID) throws(StoreError) -> (data: Data, record: ClientRecord) {
    let path = fileURL(for: id).path
    guard let (data, info) = try POSIXFile.readRegularFileStamped(path) else { throw noSuchClient(id) }
    guard let hashed, let info, data.count >= HashedTexts.worthwhile else {
      return (data, try ClientRecord.decode(data, path: path, expecting: id))
    }
    let stamp = HashedTexts.Stamp(info)
    let known = hashed.recall(stamp)
    let record = try ClientRecord.decode(data, path: path, expecting: id, trusting: known)
    let texts = (record.earlierPlaybooks + [record.playbook]).map(\.sha256)
    if !texts.allSatisfy(known.contains) { hashed.note(stamp, hashes: texts) }
    return (data, record)
  }

  /// Writes a new client's file, as revision 1 in the current format.
  ///
  /// Creates the workspace folder (mode 0700) if needed. Throws `.clientExists` rather than
  /// overwrite anything, `.locked` if another command holds the client, `.io` on failure,
  /// and `Refusal.duplicateEvent` for a history in which two events share an id.
  public func create(_ record: ClientRecord) throws {
    try create(record, asKept: false)
  }

  /// Writes a client kept elsewhere (read from another store, and checked there) as it
  /// was kept: its format, revision, chain and head unchanged, so that its file is the file
  /// it came from, byte for byte. Refused as `create` refuses.
  public func adopt(_ record: ClientRecord) throws {
    try create(record, asKept: true)
  }

  private func create(_ record: ClientRecord, asKept: Bool) throws {
    try whileHolding(record) { path in
      // lstat, so that even a dangling symbolic link counts as taken.
      if try linkStatus(path) != nil { throw StoreError.clientExists(path: path) }
      let stored = asKept ? record : try record.written(after: nil, place: path)
      // Announced in the change feed before the file can be read (see `FeedLog`).
      try FeedLog(workspace: self).note(stored, from: 0)
      try write(stored, to: path, replacing: nil)
      seen?.note(stored, in: directory)
    }
  }

  /// Runs `body` with the path of `record`'s client file, holding the client's lock, once the
  /// record is checked for repeated ids and the folder is made: how a whole record is put in
  /// place, new (`create`, `adopt`) or over a replica's copy (`replace`).
  private func whileHolding(_ record: ClientRecord, _ body: (String) throws -> Void) throws {
    // Before anything is made: no folder, no lock file.
    if let repeated = record.repeatedEventID(from: 0) { throw Refusal.duplicateEvent(id: repeated) }
    let id = try ClientID(record.client)
    let path = fileURL(for: id).path
    if interrupted?() == true { throw StoreError.interrupted(path: path) }
    try makeFolder()
    let lock = try ClientLock(
      path: lockPath(for: id), holder: holder, timeout: lockTimeout, target: path, interrupted: interrupted)
    defer { lock.release() }
    try body(path)
  }

  /// The client file's bytes as they are now; nil when there is none. A replica's sync reads
  /// them before it sends what was changed here, and replaces the file only if they hold.
  public func bytes(of id: ClientID) throws(StoreError) -> Data? {
    try POSIXFile.readRegularFile(fileURL(for: id).path)
  }

  /// Puts `record`, a client kept elsewhere and checked there, in place of the client's file
  /// as it was kept (format, revision, chain), for a replica: a folder that holds a server's
  /// clients as the server keeps them (`accord sync`, docs/sync.md). Under the client's lock,
  /// and only when the file still holds `expected` (nil: when there is no file): a change made
  /// here since those bytes were read is never overwritten, and the write is refused
  /// (`.changedOnDisk`, or `.clientExists` for a file that appeared). Nothing is noted in the
  /// change feed: a replica is not served.
  public func replace(with record: ClientRecord, expected: Data?) throws {
    try whileHolding(record) { path in
      let current = try POSIXFile.readRegularFile(path)
      guard current == expected else {
        guard let expected else { throw StoreError.clientExists(path: path) }
        throw StoreError.changedOnDisk(
          path: path, read: Self.revision(in: expected) ?? 0, found: current.flatMap(Self.revision(in:)))
      }
      try write(record, to: path, replacing: expected.map { ($0, Self.revision(in: $0) ?? 0) })
      seen?.note(record, in: directory)
    }
  }

  /// Removes the client's file from a replica, under the client's lock, when it still holds
  /// `expected`; the lock file stays, as every lock file does. For a client the replica's
  /// person may no longer see (docs/sync.md): what they changed in it was kept apart first.
  public func removeReplica(_ id: ClientID, expected: Data) throws {
    let path = fileURL(for: id).path
    let lock = try ClientLock(
      path: lockPath(for: id), holder: holder, timeout: lockTimeout, target: path, interrupted: interrupted)
    defer { lock.release() }
    let current = try POSIXFile.readRegularFile(path)
    guard current == expected else {
      throw StoreError.changedOnDisk(
        path: path, read: Self.revision(in: expected) ?? 0, found: current.flatMap(Self.revision(in:)))
    }
    guard unlink(path) == 0 else {
      throw StoreError.io(path: path, problem: POSIXFile.Failure(code: errno, action: "remove the file").problem)
    }
  }

  /// Reads the client, lets `body` change it, and writes it back if it changed, all under
  /// the client's lock so that no other command's change can be lost in between.
  ///
  /// Nothing is written when the file cannot be read (the `StoreError` is thrown), when
  /// `body` throws (its error is rethrown), or when `body` changes nothing. A write
  /// increases `revision` by one. `body` must not change `client` or `uid`, which are fixed
  /// for the life of a client.
  public func update<T>(_ id: ClientID, _ body: (inout ClientRecord) throws -> T) throws -> T {
    try update(id, recall: { nil }) { record, _ in try body(&record) } written: { _, _, _, _, _ in }
  }

  /// `update`, starting from the record `recall` gives under the lock (with the file's bytes
  /// as this process last read or wrote them) when the file still holds exactly those
  /// bytes: they are read again and compared, as the write compares them again before the
  /// rename, but not decoded again. `body` is told whether it was given that record. When
  /// `recall` also says where the events lie in those bytes (as the store wrote them), the
  /// write copies their text instead of writing them again.
  /// `written` is handed the bytes, record, stamp and events' place of a file written, still
  /// under the lock: once the moment before the new file takes the old one's place
  /// (`inPlace` false), so that a process can be ready to recognise it, and once after.
  /// A write that fails between the two leaves a file nobody will find at the path.
  func update<T>(
    _ id: ClientID, recall: () -> (data: Data, record: ClientRecord, events: WrittenEvents?)?,
    _ body: (inout ClientRecord, _ isKnown: Bool) throws -> T,
    written: (Data, ClientRecord, FileStamp, WrittenEvents, _ inPlace: Bool) -> Void
  ) throws -> T {
    let path = fileURL(for: id).path
    // Checked before locking, so asking for a client that does not exist leaves no lock file.
    if try linkStatus(path) == nil { throw noSuchClient(id) }
    if interrupted?() == true { throw StoreError.interrupted(path: path) }
    let lock = try ClientLock(
      path: lockPath(for: id), holder: holder, timeout: lockTimeout, target: path, interrupted: interrupted)
    defer { lock.release() }
    guard let original = try POSIXFile.readRegularFile(path) else { throw noSuchClient(id) }
    let known = recall()
    let isKnown = known?.data == original
    let before = try known.flatMap { isKnown ? $0.record : nil }
      ?? ClientRecord.decode(original, path: path, expecting: id)
    var record = before
    let result = try body(&record, isKnown)
    precondition(
      record.client == before.client && record.uid == before.uid,
      "an update must not change a client's id or uid")
    // `format` and `revision` belong to the store: compare without them, then set them for
    // the write (in the oldest format that holds the record, see `neededFormat`).
    record.format = before.format
    record.revision = before.revision
    guard record != before else { return result }
    // Checked after `body`, which reports a history that breaks the rules first.
    record = try record.written(after: before, place: path)
    // The events added, announced in the change feed before the file can hold them.
    try FeedLog(workspace: self).note(record, from: before.events.count)
    // The text of the events read is reused when the store wrote it and the file holds
    // exactly it (histories only grow: the record's events begin with those read).
    var reuse: (text: Data, events: WrittenEvents)?
    if isKnown, let events = known?.events, events.count == before.events.count { reuse = (original, events) }
    // Handed on the moment before the file takes the old one's place and the moment after,
    // so that a process keeping clients recognises it from the first.
    try write(record, to: path, replacing: (original, before.revision), reusing: reuse) { data, stamp, events, inPlace in
      written(data, record, stamp, events, inPlace)
    }
    // Still under the lock, so writers note their revisions in order.
    seen?.note(record, in: directory)
    return result
  }

  /// Writes `record` to `path` atomically. `replacing` is what the file held when read (its
  /// bytes and revision), or nil for a new file: the write is refused if the file no
  /// longer holds those bytes, or, for a new file, if one has appeared.
  /// `committed` is handed the bytes, the new file's stamp and where its events lie the
  /// moment before it takes the old file's place (`inPlace` false, for a file replaced) and
  /// the moment it is in place. `earlier`, a text the store wrote and where its events lie, is
  /// reused for those events (see `ClientRecord.canonicalJSON(reusing:)`).
  private func write(
    _ record: ClientRecord, to path: String, replacing original: (data: Data, revision: Int)?,
    reusing earlier: (text: Data, events: WrittenEvents)? = nil,
    committed: (Data, FileStamp, WrittenEvents, _ inPlace: Bool) -> Void = { _, _, _, _ in }
  ) throws(StoreError) {
    let (bytes, events) = record.canonicalJSON(reusing: earlier)
    let data = Data(bytes)
    do {
      try writeAtomically(
        data, to: path, expected: original?.data, faults: faults, interrupted: interrupted,
        prepared: { committed(data, FileStamp($0), events, false) },
        committed: { committed(data, FileStamp($0), events, true) })
    } catch {
      switch error {
      case let .system(failure): throw .io(path: path, problem: failure.problem)
      case .targetExists: throw .clientExists(path: path)
      case let .targetChanged(current):
        throw .changedOnDisk(
          path: path, read: original?.revision ?? 0, found: current.flatMap(Self.revision(in:)))
      case .interrupted: throw .interrupted(path: path)
      }
    }
  }

  /// The `revision` a file's bytes claim, read leniently: only for messages.
  private static func revision(in data: Data) -> Int? {
    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    return object?["revision"] as? Int
  }

  /// Creates the workspace folder, readable by its owner only, if it is missing.
  func makeFolder() throws(StoreError) {
    let folder = directory.path
    if let info = try status(folder) {
      guard info.st_mode & S_IFMT == S_IFDIR else {
        throw .io(path: folder, problem: "the workspace is not a folder")
      }
      return
    }
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
    } catch {
      throw .io(path: folder, problem: "cannot create the folder: \(error.localizedDescription)")
    }
    // The mode passed at creation is reduced by the umask; set it exactly.
    if chmod(folder, 0o700) != 0 {
      throw .io(
        path: folder,
        problem: POSIXFile.Failure(code: errno, action: "set the folder's permissions").problem)
    }
  }

  private func status(_ path: String) throws(StoreError) -> stat? {
    do {
      return try POSIXFile.status(path)
    } catch {
      throw .io(path: path, problem: error.problem)
    }
  }

  private func linkStatus(_ path: String) throws(StoreError) -> stat? {
    do {
      return try POSIXFile.linkStatus(path)
    } catch {
      throw .io(path: path, problem: error.problem)
    }
  }
}
