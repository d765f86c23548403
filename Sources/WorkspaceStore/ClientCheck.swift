import Foundation
import Glibc
import ProgrammeEngine

/// What `accord check` found about one client: every problem with its file, and notes
/// about things that are harmless but worth knowing.
public struct ClientCheck: Sendable, Equatable {
  /// The client's id.
  public var client: String
  /// The client file.
  public var path: String
  /// The file's revision and number of events, when it could be read.
  public var revision: Int?
  public var events: Int?
  /// Each problem in words, naming the file. Empty when the client is sound.
  public var problems: [String] = []
  /// Things worth knowing that are not problems, such as a write in progress.
  public var notes: [String] = []
  /// Temporary files a command left beside the client file when it was killed mid-write
  /// (SIGKILL, a crash, a power cut): each is also a problem. The client file is whole
  /// without them.
  public var leftovers: [String] = []

  public var isSound: Bool { problems.isEmpty }

  public init(
    client: String, path: String, revision: Int? = nil, events: Int? = nil, problems: [String] = [],
    notes: [String] = [], leftovers: [String] = []
  ) {
    self.client = client
    self.path = path
    self.revision = revision
    self.events = events
    self.problems = problems
    self.notes = notes
    self.leftovers = leftovers
  }
}

extension ClientStore {
  /// Checks one client of any store: it reads (format, stored texts), its history's chain
  /// holds from the first event to the last, and it replays through its playbook's rules.
  public func check(_ id: ClientID) async -> ClientCheck {
    let place = "\(self.place), client \(id.rawValue)"
    do throws(StoreFailure) {
      let record = try await load(id)
      _ = try record.verifiedProgramme()
      return ClientCheck(client: id.rawValue, path: place, revision: record.revision, events: record.events.count)
    } catch {
      return ClientCheck(client: id.rawValue, path: place, problems: ["\(error)"])
    }
  }
}

extension Workspace {
  /// Checks one client: its file reads and its history replays through the playbook's rules,
  /// its lock file is a plain file, and it is not older than, or different from, what this
  /// machine has seen of it (when `seen` is set). A client this machine has not seen before,
  /// or a later revision of what it saw, is remembered.
  ///
  /// Throws only when there is no such client; every other problem is in the result.
  public func check(_ id: ClientID) throws(StoreError) -> ClientCheck {
    let path = fileURL(for: id).path
    var result = ClientCheck(client: id.rawValue, path: path)
    for name in temporaryFiles(of: id) {
      let file = directory.appendingPathComponent(name).path
      if Self.writerIsRunning(name) {
        result.notes.append("\(file) is a write in progress by a running command.")
      } else {
        result.leftovers.append(file)
        result.problems.append(
          "\(file) is a temporary file left by a command killed in the middle of a write (or a "
            + "crash or power cut). The client file is whole without it: delete it when no Accord "
            + "command is running.")
      }
    }
    let lock = lockPath(for: id)
    if let info = try? POSIXFile.linkStatus(lock), info.st_mode & S_IFMT != S_IFREG {
      result.problems.append(
        StoreError.notRegularFile(path: lock, found: POSIXFile.kind(of: info)).description)
    }
    let record: ClientRecord
    do {
      // Every text hashed here, never taken on this machine's word (`hashed`), so that a
      // check says what it would say on any other machine.
      var unaided = self
      unaided.hashed = nil
      record = try unaided.read(id)
    } catch {
      if case .noSuchClient = error { throw error }
      result.problems.append(error.description)
      return result
    }
    result.revision = record.revision
    result.events = record.events.count
    if let broken = HistoryChain.firstBreak(in: record.events, head: record.head) {
      result.problems.append(
        "\(path): " + Self.describe(broken, in: record.events) + ". Compare the file with git or a backup.")
    }
    var replays = true
    // Never the compiled cache: the playbook is read from the client file itself, so a check
    // on this machine says what it would say on any other.
    if case let .failure(problem) = record.replay() {
      result.problems.append(StoreError.corrupt(path: path, problem: problem.text).description)
      replays = false
    }
    if !record.isSealed {
      result.notes.append(
        "\(path): the playbook text is not yet covered by the history's hash chain (the client "
          + "was started before Accord recorded it); the next change to the client seals it.")
    }
    guard let seen else { return result }
    switch seen.verdict(on: record) {
    case .unknown, .consistent:
      if replays { seen.note(record, in: directory) }
    case let .older(mark):
      result.problems.append(
        "\(path) is an older copy of this client: it is revision \(record.revision) with "
          + "\(record.events.count) events, but this machine saw revision \(mark.revision) with "
          + "\(mark.events) events (\(Self.describe(mark))). Changes made after revision "
          + "\(record.revision) are missing from it: restore the newer copy from git, a backup or "
          + "the machine that has it. If the older copy was restored on purpose, accept it with "
          + "`accord check \(id) --accept`.")
    case let .diverged(mark):
      result.problems.append(
        "\(path) does not carry on from what this machine saw at revision \(mark.revision) "
          + "(\(Self.describe(mark))): events were changed, removed or reordered, or another copy "
          + "of the workspace wrote its own revision \(mark.revision). Compare it with git or a "
          + "backup before changing it further; if this copy is the one to keep, accept it with "
          + "`accord check \(id) --accept`.")
    }
    return result
  }

  /// Checks every client in the workspace, sorted by id.
  public func checkAll() throws(StoreError) -> [ClientCheck] {
    var results: [ClientCheck] = []
    for id in try clientIDs() {
      do {
        results.append(try check(id))
      } catch {
        // Gone between the listing and the check: another command deleted it.
        continue
      }
    }
    return results
  }

  /// Takes the client file as it is now as the newest this machine has seen: for an older
  /// copy restored on purpose. The file must read and replay cleanly.
  public func accept(_ id: ClientID) throws(StoreError) -> ClientRecord {
    let (record, _) = try programme(id)
    try seen?.accept(record, in: directory)
    return record
  }

  /// A break in the hash chain in words, naming the event; one clause without a final
  /// period, so that it reads inside `check`'s sentence and inside a refused write's.
  static func describe(_ broken: HistoryChain.Break, in events: [Event]) -> String {
    func name(_ position: Int) -> String {
      guard events.indices.contains(position) else { return "events[\(position)]" }
      let event = events[position]
      return "events[\(position)] (\(event.change.type) by \(event.by) at \(Timestamp.format(event.at)))"
    }
    let position = broken.position
    switch broken.kind {
    case .linkMismatch:
      // The link covers the events back to the nearest earlier linked one: one event, or
      // the whole prefix written before histories were chained.
      let start = events[..<position].lastIndex { $0.previous != nil } ?? 0
      let edited: String =
        start == position - 1 ? name(start) : "one of events[\(start)...\(position - 1)]"
      return "the history's hash chain breaks at \(name(position)): its link does not match "
        + "what comes before it, so \(edited) was edited, or events were inserted, removed or "
        + "reordered before it"
    case .linkMissing:
      return "the history's hash chain breaks at \(name(position)): it carries no link though "
        + "the events before it do, so it was inserted or its link removed by hand"
    case .linkWithoutPredecessor:
      return "the history's hash chain breaks at \(name(0)): the first event links to events "
        + "before it, so events were removed from the start"
    case .headMismatch:
      return "the history's hash chain breaks at \(name(position)), the newest event: it does "
        + "not match the file's head, so it was edited, or events were added or removed at the end"
    case .headMissing:
      return "the history's hash chain has no head: the file's `head` was removed, so an edit "
        + "to the newest event, \(name(position)), would not show"
    }
  }

  private static func describe(_ mark: SeenRevisions.Mark) -> String {
    "in \(mark.workspace), at \(mark.at)"
  }

  /// The names of temporary files beside the client's file: `.<id>.json.tmp-<pid>-<random>`.
  private func temporaryFiles(of id: ClientID) -> [String] {
    let prefix = "." + id.rawValue + ".json.tmp-"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasPrefix(prefix) }.sorted()
  }

  /// Whether the process a temporary file's name holds is running on this machine, so the
  /// file may be a write in progress rather than a leftover. (A reused pid, or a writer on
  /// another machine sharing the folder, can mislead it; the next check tells.)
  private static func writerIsRunning(_ name: String) -> Bool {
    guard let tail = name.split(separator: "-").dropLast().last, let pid = pid_t(tail), pid > 0,
      pid != getpid()
    else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
  }
}
