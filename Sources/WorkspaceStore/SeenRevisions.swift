import Foundation
import Glibc
import ProgrammeEngine

/// What this machine remembers of each client it has read or written: the newest revision,
/// how many events it held and the hash chain's link at their end, which stands for all of
/// them (see `Mark.chain`).
///
/// A workspace may live in a synced folder or in git, where a client file can be replaced
/// by an older copy of itself (a restored backup, a sync conflict resolved the wrong way, a
/// checkout of an old commit) or by another machine's different revision. The file alone
/// cannot show that; a memory kept elsewhere can. It is kept per machine and per user,
/// outside the workspace, because anything inside would be rolled back or synced along with
/// the files it is meant to check. It is keyed by the client's `uid` and id, so a client
/// deleted and started again under the same id is a new client here too, and a file copied
/// by hand to another id (uid and all) does not share the original's memory.
///
/// Everything here is best effort for the commands that read and write clients: failing to
/// remember must never fail a command, it only makes `check` less able to tell.
public struct SeenRevisions: Sendable {
  /// The folder of marks, one `<sha256 of uid and id>.json` per client.
  public let directory: URL

  public init(directory: URL) {
    self.directory = directory
  }

  /// `$XDG_STATE_HOME/accord/seen`, else `$HOME/.local/state/accord/seen` (the XDG base
  /// directory rules for state that should survive but need not be backed up); nil when
  /// neither variable holds an absolute path.
  ///
  /// - Parameter environment: the variables to use; nil (the default) reads the process's
  ///   own, one variable at a time (copying the whole environment into a dictionary is a
  ///   noticeable part of an everyday read).
  public static func standard(environment: [String: String]? = nil) -> SeenRevisions? {
    let path = UserFolder.state.path("seen") { name in environment.map { $0[name] } ?? processVariable(name) }
    return path.map { SeenRevisions(directory: URL(fileURLWithPath: $0, isDirectory: true)) }
  }

  /// One client as this machine last saw it.
  public struct Mark: Codable, Sendable, Equatable {
    /// The client's id when it was seen.
    public var client: String
    public var uid: String
    /// The newest revision seen.
    public var revision: Int
    /// How many events that revision held.
    public var events: Int
    /// The history's chain at the end of those events (`HistoryChain.link(before:in:)`): a
    /// hash of the newest of them, each of which carries the hash of those before, so that
    /// it stands for every event seen and costs one event's hash to compare or to make.
    /// Marks written before this was kept have `history` instead.
    public var chain: String?
    /// A fingerprint of every event seen (see `SeenRevisions.fingerprints`), in marks
    /// written before `chain` was kept, still read and compared as then.
    public var history: String?
    /// The workspace folder it was seen in, for messages.
    public var workspace: String
    /// When it was seen.
    public var at: String

    /// A mark as `store` writes it, read without `JSONDecoder` (every read of a client
    /// reads its mark); nil for anything else, which `JSONDecoder` then judges.
    static func quickly(from data: Data) -> Mark? {
      data.withUnsafeBytes { bytes -> Mark? in
        var reader = JSONReader(bytes)
        var client: String?, uid: String?, chain: String?, history: String?, workspace: String?, at: String?
        var revision: Int?, events: Int?
        func once<Value>(_ slot: inout Value?, _ value: Value?) -> Bool {
          guard slot == nil, let value else { return false }
          slot = value
          return true
        }
        let ok = reader.object { reader, key in
          if key.spells("client") { return once(&client, reader.string()) }
          if key.spells("uid") { return once(&uid, reader.string()) }
          if key.spells("revision") { return once(&revision, reader.integer()) }
          if key.spells("events") { return once(&events, reader.integer()) }
          if key.spells("chain") { return once(&chain, reader.string()) }
          if key.spells("history") { return once(&history, reader.string()) }
          if key.spells("workspace") { return once(&workspace, reader.string()) }
          if key.spells("at") { return once(&at, reader.string()) }
          return false
        }
        guard ok, reader.atEnd(), let client, let uid, let revision, let events, chain != nil || history != nil,
          let workspace, let at
        else { return nil }
        return Mark(
          client: client, uid: uid, revision: revision, events: events, chain: chain, history: history,
          workspace: workspace, at: at)
      }
    }
  }

  /// How a client file compares with what this machine has seen of it.
  public enum Verdict: Sendable, Equatable {
    /// This machine has not seen the client before.
    case unknown
    /// The file is what this machine saw, or a later revision of it.
    case consistent(Mark)
    /// The file is an earlier revision than one this machine has seen.
    case older(Mark)
    /// The file's history is not the one this machine saw: events changed, removed or
    /// reordered, or a revision written by another copy of the workspace.
    case diverged(Mark)
  }

  /// Where the mark for the client with `uid` and id `client` is kept. Named by a hash,
  /// since the uid comes from a file that may have been tampered with and must not choose
  /// a path.
  func markPath(uid: String, client: String) -> String {
    directory.appendingPathComponent(SHA256.hex((uid + "\n" + client).utf8) + ".json").path
  }

  /// The mark for the client with `uid` and id `client`, or nil when there is none or it
  /// cannot be read.
  public func mark(uid: String, client: String) -> Mark? {
    readMark(uid: uid, client: client)?.mark
  }

  /// Compares `record` with what this machine has seen of it.
  public func verdict(on record: ClientRecord) -> Verdict {
    guard let mark = mark(uid: record.uid, client: record.client) else { return .unknown }
    return Self.verdict(on: record, against: mark)
  }

  static func verdict(on record: ClientRecord, against mark: Mark) -> Verdict {
    // Fewer events than were seen: the events seen cannot all be here.
    guard record.events.count >= mark.events else { return .older(mark) }
    guard startsWithSeen(record.events, mark) else { return .diverged(mark) }
    if record.revision < mark.revision { return .older(mark) }
    // The same revision number with other events was written by another copy.
    if record.revision == mark.revision && record.events.count != mark.events {
      return .diverged(mark)
    }
    return .consistent(mark)
  }

  /// Whether `events` begin with the ones `mark` saw: their chain's link at the mark's end
  /// is the one seen (or, for a mark written before marks kept the chain, the fingerprint
  /// of those events is).
  ///
  /// The link stands for every event before it only where each event's `previous` holds,
  /// which every read verifies before noting a record and `check` reports itself when it
  /// does not: then the history was edited, whatever the mark says.
  static func startsWithSeen(_ events: [Event], _ mark: Mark) -> Bool {
    if let chain = mark.chain { return HistoryChain.link(before: mark.events, in: events) == chain }
    guard let history = mark.history else { return false }
    return fingerprints(of: events, at: mark.events).prefix == history
  }

  /// Remembers `record` if it is newer than what was seen and carries on from it. A record
  /// that does not carry on from the mark leaves the mark as it is, so that `check` keeps
  /// reporting it until someone looks (and accepts it, if it is right).
  func note(_ record: ClientRecord, in workspace: URL) {
    // Every read notes what it saw; most see nothing newer. Settle that without creating
    // folders or taking the folder's lock (`store` decides again under the lock).
    if let existing = readMark(uid: record.uid, client: record.client),
      record.revision <= existing.mark.revision
    {
      return
    }
    store(record, in: workspace) { existing in
      guard let existing else { return true }
      guard record.revision > existing.revision else { return false }
      return Self.verdict(on: record, against: existing) == .consistent(existing)
    }
  }

  /// Takes `record` as the newest this machine has seen, whatever was seen before: for an
  /// older copy restored on purpose. Throws `.io` when the mark cannot be written.
  public func accept(_ record: ClientRecord, in workspace: URL) throws(StoreError) {
    if let problem = store(record, in: workspace, when: { _ in true }) {
      throw .io(path: markPath(uid: record.uid, client: record.client), problem: problem)
    }
  }

  /// Writes the mark for `record` when `when(existing mark)` says so, holding a lock on the
  /// folder so that two commands cannot interleave their read and write. Returns what went
  /// wrong, or nil when the mark was written or did not need to be.
  @discardableResult
  private func store(
    _ record: ClientRecord, in workspace: URL, when decide: (Mark?) -> Bool
  ) -> String? {
    do {
      try UserFolder.makePrivate(directory)
      let lock = try FolderLock(directory.path)
      defer { lock.release() }
      let existing = readMark(uid: record.uid, client: record.client)
      guard decide(existing?.mark) else { return nil }
      // The chain's link at the end: for a history written by Accord since histories were
      // chained, the hash of the newest event, whatever the history's length.
      let chain = HistoryChain.link(before: record.events.count, in: record.events)
      let mark = Mark(
        client: record.client, uid: record.uid, revision: record.revision,
        events: record.events.count, chain: chain,
        history: chain == nil ? Self.fingerprints(of: record.events, at: record.events.count).whole : nil,
        workspace: workspace.path, at: Timestamp.format(Date()))
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      let data = try encoder.encode(mark) + Data("\n".utf8)
      let path = markPath(uid: record.uid, client: record.client)
      try writeAtomically(data, to: path, expected: existing?.data)
      return nil
    } catch let error as POSIXFile.Failure {
      return error.problem
    } catch let error as WriteFailure {
      if case let .system(failure) = error { return failure.problem }
      return "the mark was changed by another command meanwhile"
    } catch {
      return "\(error)"
    }
  }

  private func readMark(uid: String, client: String) -> (data: Data, mark: Mark)? {
    guard let data = try? POSIXFile.readAll(markPath(uid: uid, client: client)),
      let mark = Mark.quickly(from: data) ?? (try? JSONDecoder().decode(Mark.self, from: data)),
      mark.uid == uid, mark.client == client
    else { return nil }
    return (data, mark)
  }
}

/// An exclusive `flock` on a folder, waited for briefly: a command never stalls on marks.
private struct FolderLock {
  private let descriptor: Int32

  init(_ path: String) throws(POSIXFile.Failure) {
    descriptor = try POSIXFile.open(path, O_RDONLY | O_DIRECTORY, action: "open")
    // About a second in all; the lock is only ever held for the time of one small write.
    for _ in 0..<200 {
      if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
      usleep(5_000)
    }
    close(descriptor)
    throw POSIXFile.Failure(code: EWOULDBLOCK, action: "lock \(path)")
  }

  func release() {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
