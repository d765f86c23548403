import AccordKit
import BundledPlaybooks
import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

@testable import AccordRemote

/// A firm's server for sync's tests, in this process: a workspace folder kept through the
/// store protocol, the change feed the folder keeps, and pushes decided by `SyncPush` inside
/// `StoreChange.run`, as `accord serve` decides them. Each device reaches it over a `Link`
/// that can be cut (offline) or drop the answer to a push the server has kept.
final class StandInServer: @unchecked Sendable {
  let folder: URL
  let workspace: Workspace
  let store: FolderStore
  /// Who may see which client: a person missing here sees nothing.
  private var access: [String: Set<String>] = [:]
  private let lock = NSLock()
  /// The server's clock: each call moves it on a second.
  private var clock = Date(timeIntervalSince1970: 1_796_000_000)

  init() throws {
    folder = scratchFolder("accord-standin")
    var workspace = Workspace(directory: folder)
    workspace.compiled = nil
    self.workspace = workspace
    store = FolderStore(workspace)
  }

  deinit { try? FileManager.default.removeItem(at: folder) }

  func now() -> Date {
    lock.withLock {
      clock += 1
      return clock
    }
  }

  func grant(_ person: String, _ client: String) { lock.withLock { access[person, default: []].insert(client) } }
  func revoke(_ person: String, _ client: String) { lock.withLock { _ = access[person]?.remove(client) } }
  func sees(_ person: String, _ client: String) -> Bool { lock.withLock { access[person]?.contains(client) == true } }
  func visible(to person: String) -> Set<String> { lock.withLock { access[person] ?? [] } }

  static let source = BundledPlaybooks.text(named: BundledPlaybooks.defaultName)!
  static let playbook = try! Playbook.parse(source, file: BundledPlaybooks.defaultName)

  /// A version of the bundled playbook a client may be upgraded to.
  struct Version: Sendable {
    let playbook: Playbook
    let version: PlaybookVersion
    let stored: StoredPlaybook

    init(_ source: String) {
      playbook = try! Playbook.parse(source, file: "upgrade.yaml")
      stored = StoredPlaybook(
        id: playbook.id, version: playbook.version, title: playbook.title, origin: "upgrade.yaml", source: source)
      version = PlaybookVersion(id: stored.id, version: stored.version, sha256: stored.sha256)
    }
  }

  /// Version 4: the charter's teams review their processes every month (its terms change).
  static let version4 = Version(
    source.replacingOccurrences(of: "version: 3\n", with: "version: 4\n")
      .replacingOccurrences(of: "together every quarter", with: "together every month"))
  /// Version 5: findings-presented gives way to findings-shared, so an upgrade to it drops
  /// findings-presented, and needs --force once it is done.
  static let version5 = Version(
    source.replacingOccurrences(of: "version: 3\n", with: "version: 5\n")
      .replacingOccurrences(of: "id: findings-presented", with: "id: findings-shared"))

  /// Starts `client` with `consultant` in its consultant role.
  func start(_ client: String, consultant: String) throws {
    let event = Event(
      .started(client: client, name: client.capitalized, playbook: SHA256.hex(Self.source.utf8)), by: consultant,
      at: now(), id: EventID.make())
    let programme = try Programme(playbook: Self.playbook, start: event)
    try workspace.create(try ClientRecord(starting: programme, source: Self.source, origin: "bundled:alignment.yaml"))
    grant(consultant, client)
  }

  /// A change made on the server itself (its pages or API), by `person`, decided there.
  @discardableResult
  func change(_ client: String, by person: String, note: String? = nil, _ change: Change) async throws -> Event {
    let time = now()
    let kept = try await StoreChange.run(try ClientID(client), in: store, compiled: nil) { programme in
      try Desk.record(change, by: person, at: time, note: note, via: .api, in: &programme)
    }
    return kept.after.history.last!
  }

  /// The client's history as the server keeps it.
  func history(_ client: String) throws -> [Event] { try workspace.read(try ClientID(client)).events }

  /// What the server answers a refusal with, as the API does: its status and report.
  static func answer(_ error: any Error) -> RemoteFailure {
    let report = Report(error)!
    let status = report.code == "not-permitted" ? 403 : report.status == .noInput ? 404 : 409
    return .answered(status: status, code: report.code, message: report.message, body: Data())
  }
}

/// One device's way to the stand-in server, as one person.
final class Link: RemoteTransport, @unchecked Sendable {
  let server: StandInServer
  let person: String
  var online = true
  /// The next push the server keeps loses its answer on the way back.
  var dropNextAnswer = false
  /// The clients whose file was asked for, in order.
  var recordsAsked: [String] = []

  init(_ server: StandInServer, as person: String) {
    self.server = server
    self.person = person
  }

  private func reach() throws {
    guard online else { throw RemoteFailure.unreachable(reason: "the network is away") }
  }

  private func open(_ client: String) throws -> ClientID {
    guard server.sees(person, client) else {
      throw RemoteFailure.answered(
        status: 404, code: "no-such-client", message: "no client '\(client)'", body: Data())
    }
    return try ClientID(client)
  }

  func me() async throws -> RemotePerson {
    try reach()
    return RemotePerson(person: person, clients: server.visible(to: person).sorted(), zone: "Europe/London")
  }

  func clients() async throws -> [String] {
    try reach()
    return server.visible(to: person).sorted()
  }

  func changes(after cursor: String?, limit: Int) async throws -> RemoteChanges {
    try reach()
    let page = try await server.store.changes(
      after: try cursor.map { try FeedCursor(parsing: $0) }, limit: limit, clients: server.visible(to: person))
    return RemoteChanges(
      clients: Set(page.changes.map(\.client)), cursor: page.cursor.description, count: page.changes.count)
  }

  func record(of client: String) async throws -> Data {
    try reach()
    recordsAsked.append(client)
    let id = try open(client)
    let programme = try server.workspace.read(id).verifiedProgramme()
    guard programme.keepsRoster(person) else {
      throw RemoteFailure.answered(status: 403, code: "not-permitted", message: "counts only", body: Data())
    }
    return try server.workspace.bytes(of: id)!
  }

  func certificate(of agreement: String, client: String, format: String) async throws -> String {
    throw RemoteFailure.answered(status: 404, code: "no-firm-key", message: "the stand-in seals nothing", body: Data())
  }

  func start(_ client: String, _ start: RemoteStart) async throws {
    throw RemoteFailure.answered(status: 403, code: "not-permitted", message: "the stand-in starts nothing", body: Data())
  }

  func openSurvey(_ client: String, _ opening: RemoteSurveyOpening) async throws -> RemoteSurveyOpened {
    throw RemoteFailure.answered(status: 503, code: "store-unavailable", message: "the stand-in keeps no survey box", body: Data())
  }

  func closeSurvey(_ client: String, round: String, note: String?) async throws -> String {
    throw RemoteFailure.answered(status: 503, code: "store-unavailable", message: "the stand-in keeps no survey box", body: Data())
  }

  func invite(_ client: String, person: String, print: Bool, expires: Int) async throws -> InviteJSON {
    throw RemoteFailure.answered(status: 503, code: "store-unavailable", message: "the stand-in keeps no access book", body: Data())
  }

  func inviteRoster(_ client: String, print: Bool, expires: Int) async throws -> RosterInvitedJSON {
    throw RemoteFailure.answered(status: 503, code: "store-unavailable", message: "the stand-in keeps no access book", body: Data())
  }

  func access(of client: String) async throws -> AccessListing {
    throw RemoteFailure.answered(status: 503, code: "store-unavailable", message: "the stand-in keeps no access book", body: Data())
  }

  func revokeAccess(of person: String, to client: String) async throws -> RevocationJSON {
    throw RemoteFailure.answered(status: 503, code: "store-unavailable", message: "the stand-in keeps no access book", body: Data())
  }

  func addresses() async throws -> [AddressJSON] {
    throw RemoteFailure.answered(status: 503, code: "store-unavailable", message: "the stand-in keeps no addresses", body: Data())
  }

  func record(address: String?, of person: String) async throws -> AddressChangeJSON {
    throw RemoteFailure.answered(status: 503, code: "store-unavailable", message: "the stand-in keeps no addresses", body: Data())
  }

  func surveyStatus(_ client: String) async throws -> SurveyStatusJSON {
    throw RemoteFailure.answered(status: 503, code: "store-unavailable", message: "the stand-in keeps no survey box", body: Data())
  }

  func firmKey() async throws -> String? {
    try reach()
    return "accord-ed25519:stand-in"
  }

  func push(_ event: Event, upgrade: SyncPush.Upgrade?, to client: String) async throws -> PushAnswer {
    try reach()
    // A change kept before its person lost access, whose answer was lost on the way: it is
    // theirs, so they are told it was kept (as the server tells them), and nothing else.
    if !server.sees(person, client), let id = event.id,
      let position = try? server.history(client).firstIndex(where: { $0.id == id && $0.by == person })
    {
      return PushAnswer(outcome: "kept", position: position)
    }
    let id = try open(client)
    let now = server.now()
    let answer: PushAnswer
    do {
      let programme = try server.workspace.read(id).verifiedProgramme()
      if let position = try SyncPush.check(event, as: person, in: programme) {
        answer = PushAnswer(outcome: "kept", position: position)
      } else {
        let playbook = try SyncPush.playbook(for: event, upgrade)
        let kept = try await StoreChange.run(id, in: server.store, compiled: nil, upgradedTo: playbook?.stored) {
          programme in
          _ = try SyncPush.decide(event, upgrade: playbook, as: person, in: &programme, now: now)
        }
        answer = PushAnswer(outcome: "appended", position: kept.after.history.count - 1)
      }
    } catch let failure as RemoteFailure {
      throw failure
    } catch {
      throw StandInServer.answer(error)
    }
    if dropNextAnswer {
      dropNextAnswer = false
      throw RemoteFailure.unreachable(reason: "the connection dropped before the answer came")
    }
    return answer
  }
}

/// A new folder for a test's files: in memory (/dev/shm) where the machine has it, since
/// every change a store keeps is flushed to disk, and a thousand runs' flushes are minutes.
func scratchFolder(_ name: String) -> URL {
  let memory = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
  let base = FileManager.default.isWritableFile(atPath: memory.path) ? memory : FileManager.default.temporaryDirectory
  return base.appendingPathComponent("\(name)-\(UUID().uuidString)")
}
