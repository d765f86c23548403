import AccordKit
import Foundation
import Glibc
import ProgrammeEngine
import WorkspaceStore

/// A remote's clients on this machine: a workspace folder, as every command knows one, that
/// holds each client the person may see as the server keeps it, followed by the changes made
/// here and not yet sent (docs/sync.md). What sync knows of it is kept beside the clients, in
/// a hidden file the workspace ignores, `.accord-sync.json`.
package struct Replica: Sendable {
  /// The folder: `$XDG_DATA_HOME/accord/remotes/NAME`.
  package let directory: URL

  package init(directory: URL) {
    self.directory = directory
  }

  /// The folder as a workspace, for the commands and for sync.
  package func workspace(holder: String = Workspace.defaultHolder) -> Workspace {
    var workspace = Workspace(directory: directory, holder: holder)
    workspace.compiled = CompiledPlaybooks.standard()
    return workspace
  }

  var stateURL: URL { directory.appendingPathComponent(".accord-sync.json") }

  /// The firm's public key as the server gave it, for `verify` offline.
  package var firmKeyURL: URL { directory.appendingPathComponent(".accord-firm-key.pub") }

  /// The firm's public key sync brought, if the server has one.
  package func firmKey() -> String? {
    (try? String(contentsOf: firmKeyURL, encoding: .utf8)).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
  }

  /// Keeps the firm's public key (nil: forgets it): public, but only the server may change it.
  func keep(firmKey key: String?) throws {
    guard let key else {
      try? FileManager.default.removeItem(at: firmKeyURL)
      return
    }
    guard firmKey() != key else { return }
    try Data((key + "\n").utf8).write(to: firmKeyURL, options: .atomic)
  }

  /// Takes the server's time zone, so that the copy's dates are the server's.
  func keep(zone: String?) throws {
    // Only a zone this machine knows: a copy whose settings do not read would open nothing.
    guard let zone, WorkspaceSettings.zone(named: zone) != nil else { return }
    let settings = SettingsStore(workspace())
    guard try settings.read().timeZone != zone else { return }
    try settings.update { $0.timeZone = zone }
  }

  /// What sync knows of the replica; a replica never synced knows nothing yet.
  package func state() throws -> SyncState {
    let data: Data
    do {
      data = try Data(contentsOf: stateURL)
    } catch CocoaError.fileReadNoSuchFile {
      return SyncState()
    } catch {
      throw ReplicaProblem(path: stateURL.path, problem: "cannot read it: \(error.localizedDescription)")
    }
    do {
      let state = try JSONDecoder().decode(SyncState.self, from: data)
      guard state.format <= SyncState.currentFormat else {
        throw ReplicaProblem(
          path: stateURL.path,
          problem: "it is format \(state.format), from a newer Accord (this one reads up to \(SyncState.currentFormat))")
      }
      return state
    } catch let problem as ReplicaProblem {
      throw problem
    } catch {
      throw ReplicaProblem(path: stateURL.path, problem: "it does not read as sync's record: \(error)")
    }
  }

  /// Keeps `state`, readable by its owner only, in one atomic write.
  package func save(_ state: SyncState) throws {
    try makeFolder()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(state) + Data("\n".utf8)
    let temporary = directory.appendingPathComponent(".accord-sync.json.tmp-\(getpid())")
    guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600])
    else { throw ReplicaProblem(path: temporary.path, problem: "cannot write it") }
    guard rename(temporary.path, stateURL.path) == 0 else {
      unlink(temporary.path)
      throw ReplicaProblem(path: stateURL.path, problem: "cannot put it in place (\(String(cString: strerror(errno))))")
    }
  }

  /// Creates the folder, readable by its owner only, where it is missing.
  package func makeFolder() throws {
    var info = stat()
    if stat(directory.path, &info) == 0 { return }
    do {
      try FileManager.default.createDirectory(
        at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw ReplicaProblem(path: directory.path, problem: "cannot create the folder: \(error.localizedDescription)")
    }
    chmod(directory.path, 0o700)
  }

  /// Runs `body` holding the replica's sync lock, so that two syncs of one replica (a command
  /// and `accord sync` at once) take turns. Waits up to `timeout`.
  package func whileSyncing<T>(timeout: Duration = .seconds(30), _ body: () async throws -> T) async throws -> T {
    try makeFolder()
    let path = directory.appendingPathComponent(".accord-sync.lock").path
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw ReplicaProblem(path: path, problem: "cannot open the lock (\(String(cString: strerror(errno))))")
    }
    defer { close(descriptor) }
    let deadline = ContinuousClock.now + timeout
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline else {
        throw ReplicaProblem(path: path, problem: "another sync of this copy is still running; try again", status: .tryAgain)
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    defer { flock(descriptor, LOCK_UN) }
    return try await body()
  }

  /// What an upgrade made here sends beside its event: the text it moves to, which `record`
  /// keeps, and whether it was forced. Nil for any other event.
  package static func upgrade(of event: Event, in record: ClientRecord, state: SyncState) -> SyncPush.Upgrade? {
    guard case let .upgraded(_, to) = event.change,
      let text = ([record.playbook] + record.earlierPlaybooks).first(where: { $0.sha256 == to.sha256 })
    else { return nil }
    return SyncPush.Upgrade(text: text.source, origin: text.origin, force: state.forced.contains(event.id ?? ""))
  }

  /// Notes that the upgrades `ids` (just made here) were asked for with `--force`, under the
  /// sync lock.
  package func noteForced(_ ids: [String]) async throws {
    guard !ids.isEmpty else { return }
    try await whileSyncing {
      var state = try state()
      state.forced.formUnion(ids)
      try save(state)
    }
  }

  /// The changes made here to `record` and not yet sent: its events past the `confirmed` the
  /// server had, but for a seal, which the server writes for itself.
  package static func pending(in record: ClientRecord, confirmed: Int) -> [Event] {
    guard confirmed < record.events.count else { return [] }
    return record.events[confirmed...].filter {
      if case .sealed = $0.change { false } else { true }
    }
  }
}

/// What sync knows of a replica.
package struct SyncState: Codable, Sendable, Equatable {
  package static let currentFormat = 1
  package var format = Self.currentFormat
  /// The person whose copy this is: every change kept here waiting is theirs.
  package var person: String?
  /// The change feed's cursor after the last sync that read it.
  package var cursor: String?
  /// When the replica last matched the server (ISO 8601, UTC).
  package var syncedAt: String?
  /// How many events of each client's history the server had at the last sync: the events
  /// of the client file past that many were made here and are waiting to be sent.
  package var clients: [String: Int] = [:]
  /// Changes the server refused, oldest first, kept until redone or dropped.
  package var rejected: [RejectedChange] = []
  /// Clients the person may see but not copy (they see its staff as counts only), asked for
  /// again only when the feed says they changed: a role given is a change.
  package var uncopied: Set<String> = []
  /// The upgrades made here with `--force`, by event id, until sent: an event does not
  /// record it, and the server decides each upgrade again as it was asked for.
  package var forced: Set<String> = []

  package init() {}

  enum CodingKeys: String, CodingKey { case format, person, cursor, syncedAt, clients, rejected, uncopied, forced }

  package init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    format = try container.decode(Int.self, forKey: .format)
    person = try container.decodeIfPresent(String.self, forKey: .person)
    cursor = try container.decodeIfPresent(String.self, forKey: .cursor)
    syncedAt = try container.decodeIfPresent(String.self, forKey: .syncedAt)
    clients = try container.decodeIfPresent([String: Int].self, forKey: .clients) ?? [:]
    rejected = try container.decodeIfPresent([RejectedChange].self, forKey: .rejected) ?? []
    uncopied = try container.decodeIfPresent(Set<String>.self, forKey: .uncopied) ?? []
    forced = try container.decodeIfPresent(Set<String>.self, forKey: .forced) ?? []
  }
}

/// A change made on the replica that the server refused: the event as it was made, and why.
package struct RejectedChange: Codable, Sendable, Equatable {
  package var client: String
  package var event: Event
  /// The refusal's code and sentence, as the server gave them (`milestone-not-ready`, ...).
  package var code: String
  package var message: String
  /// When sync was told (ISO 8601, UTC).
  package var refusedAt: String
  /// For an upgrade, the playbook text it moves to and whether it was forced, as sent: the
  /// copy, brought up to the server, no longer holds the text.
  package var upgrade: SyncPush.Upgrade?

  package init(
    client: String, event: Event, code: String, message: String, refusedAt: String, upgrade: SyncPush.Upgrade? = nil
  ) {
    self.client = client
    self.event = event
    self.code = code
    self.message = message
    self.refusedAt = refusedAt
    self.upgrade = upgrade
  }

  /// The event's id, by which `sync --drop` and `sync --retry` name it.
  package var id: String { event.id ?? "" }
}

/// A replica's own file that cannot be used, with its path.
package struct ReplicaProblem: ReportableError, CustomStringConvertible {
  package var path: String
  package var problem: String
  /// 65 for a file that does not read; 75 for a copy another sync holds.
  package var status: ExitStatus = .dataError
  package var description: String { "\(path): \(problem)" }
  package var report: Report {
    .of(status, status == .tryAgain ? "copy-busy" : "invalid-copy", description, details: ["path": .text(path)])
  }
}
