import AccordKit
import Foundation
import ProgrammeEngine
import SeededRandom
import Testing
import WorkspaceStore

@testable import AccordRemote

/// A laptop: a replica of the stand-in server's clients, one person's, over its own link.
final class Device: @unchecked Sendable {
  let replica: Replica
  let link: Link
  var person: String { link.person }
  /// Every change made on this laptop that its engine accepted, by id.
  var made: [String: String] = [:]
  /// The laptop's clock, a minute a change.
  var clock = Date(timeIntervalSince1970: 1_796_000_000)

  init(_ server: StandInServer, as person: String) {
    replica = Replica(directory: scratchFolder("accord-replica"))
    link = Link(server, as: person)
  }

  deinit { try? FileManager.default.removeItem(at: replica.directory) }

  /// How many changes the server appended, answered as kept already, and refused, over this
  /// laptop's syncs.
  var outcomes: [String: Int] = [:]

  @discardableResult
  func sync() async throws -> SyncReport {
    let report = try await Sync.run(replica, through: link)
    for sent in report.sent {
      outcomes[sent.outcome, default: 0] += 1
      if case .upgraded = sent.event.change { outcomes["upgrade " + sent.outcome, default: 0] += 1 }
    }
    return report
  }

  /// Makes `change` on the replica, as the command line does; nil when the engine refuses it.
  @discardableResult
  func make(_ client: String, note: String? = nil, _ change: Change) throws -> Event? {
    clock += 60
    let desk = Desk(workspace: replica.workspace())
    do {
      let (_, after) = try desk.apply(to: try ClientID(client), by: person, note: note, at: clock) { _ in change }
      let event = after.history.last!
      made[event.id!] = client
      return event
    } catch is Refusal {
      return nil
    } catch is HintedRefusal {
      return nil
    } catch StoreError.noSuchClient {
      // Taken out of this copy: the person may no longer see it.
      return nil
    }
  }

  /// Moves `client` to `target` on the replica, as `accord upgrade` does (`--force` noted
  /// for sync as the command notes it); nil when the engine refuses it or it is there already.
  @discardableResult
  func upgrade(_ client: String, to target: StandInServer.Version, force: Bool) async throws -> Event? {
    clock += 60
    let plan = UpgradePlan(
      playbook: target.playbook, version: target.version, stored: target.stored, person: person,
      reason: "to v\(target.version.version)", force: force, dryRun: false, at: clock)
    let outcome = plan.run(try ClientID(client), from: nil, on: Desk(workspace: replica.workspace()))
    guard case .upgraded = outcome.result, let event = try events(client)?.last else { return nil }
    made[event.id!] = client
    if force { try await replica.noteForced([event.id!]) }
    return event
  }

  func events(_ client: String) throws -> [Event]? {
    let workspace = replica.workspace()
    guard let bytes = try workspace.bytes(of: try ClientID(client)) else { return nil }
    return try ClientRecord.decode(bytes, client: try ClientID(client), place: client).events
  }

  func rejected() throws -> [RejectedChange] { try replica.state().rejected }
}

@Suite struct SyncTests {
  @Test func aLaptopPullsItsClientsWorksOfflineAndSyncsWithEveryChangeKept() async throws {
    let server = try StandInServer()
    try server.start("acme", consultant: "cora")
    let laptop = Device(server, as: "cora")
    let first = try await laptop.sync()
    #expect(first.updated == ["acme"])
    #expect(try laptop.events("acme") == server.history("acme"))
    // The server's zone and the firm's public key come with the clients.
    #expect(try SettingsStore(laptop.replica.workspace()).read().timeZone == "Europe/London")
    #expect(laptop.replica.firmKey() == "accord-ed25519:stand-in")

    laptop.link.online = false
    let made = try #require(try laptop.make("acme", .completed(milestone: "stakeholder-map")))
    let offline = try await laptop.sync()
    #expect(offline.offline != nil)
    #expect(offline.waiting == 1)
    #expect(try server.history("acme").count == 1)

    laptop.link.online = true
    let report = try await laptop.sync()
    #expect(report.sent.map(\.outcome) == ["appended"])
    let kept = try server.history("acme")
    #expect(kept.count == 2)
    #expect(kept[1].id == made.id && kept[1].at == made.at && kept[1].via == .remote)
    #expect(try laptop.events("acme") == kept)
    #expect(report.waiting == 0)
  }

  @Test func twoLaptopsMakingConflictingChangesSyncInEitherOrderWithNothingLost() async throws {
    for zedFirst in [false, true] {
      let server = try StandInServer()
      try server.start("acme", consultant: "cora")
      try await server.change("acme", by: "cora", .assigned(role: "czar", person: "zed"))
      server.grant("zed", "acme")
      let cora = Device(server, as: "cora")
      let zed = Device(server, as: "zed")
      try await cora.sync()
      try await zed.sync()
      cora.link.online = false
      zed.link.online = false
      // Both complete the same milestone offline; only one completion can stand.
      let fromCora = try #require(try cora.make("acme", .completed(milestone: "stakeholder-map")))
      let fromZed = try #require(try zed.make("acme", .completed(milestone: "stakeholder-map")))
      cora.link.online = true
      zed.link.online = true
      let (winner, loser) = zedFirst ? (zed, cora) : (cora, zed)
      let won = try await winner.sync()
      #expect(won.sent.map(\.outcome) == ["appended"])
      let lost = try await loser.sync()
      #expect(lost.refused.map(\.code) == ["already-done"])
      try await winner.sync()
      let history = try server.history("acme")
      let winning = zedFirst ? fromZed : fromCora
      let losing = zedFirst ? fromCora : fromZed
      #expect(history.filter { $0.id == winning.id }.count == 1)
      #expect(!history.contains { $0.id == losing.id })
      #expect(try loser.rejected().map(\.id) == [losing.id])
      #expect(try cora.events("acme") == history)
      #expect(try zed.events("acme") == history)
    }
  }

  @Test func aPushCutOffAfterTheServerKeptItIsSentAgainAndKeptOnce() async throws {
    let server = try StandInServer()
    try server.start("acme", consultant: "cora")
    let laptop = Device(server, as: "cora")
    try await laptop.sync()
    let one = try #require(try laptop.make("acme", .completed(milestone: "stakeholder-map")))
    let two = try #require(try laptop.make("acme", note: "the map missed marketing ops", .reopened(milestone: "stakeholder-map")))
    laptop.link.dropNextAnswer = true
    let cut = try await laptop.sync()
    #expect(cut.offline != nil)
    #expect(try server.history("acme").map(\.id).contains(one.id))
    let again = try await laptop.sync()
    #expect(again.sent.map(\.outcome) == ["kept", "appended"])
    let history = try server.history("acme")
    #expect(history.filter { $0.id == one.id }.count == 1)
    #expect(history.filter { $0.id == two.id }.count == 1)
    #expect(try laptop.events("acme") == history)
  }

  @Test func aPersonWhoLostAccessMeanwhileHasTheirChangesRefusedKeptAndTheCopyRemoved() async throws {
    let server = try StandInServer()
    try server.start("acme", consultant: "cora")
    try await server.change("acme", by: "cora", .assigned(role: "czar", person: "zed"))
    server.grant("zed", "acme")
    let zed = Device(server, as: "zed")
    try await zed.sync()
    zed.link.online = false
    let made = try #require(try zed.make("acme", .completed(milestone: "stakeholder-map")))
    server.revoke("zed", "acme")
    zed.link.online = true
    let report = try await zed.sync()
    #expect(report.refused.map(\.code) == ["no-such-client"])
    #expect(report.removed == ["acme"])
    #expect(try zed.events("acme") == nil)
    #expect(try zed.rejected().map(\.id) == [made.id])
    var unlinked = made
    unlinked.previous = nil
    #expect(try zed.rejected().first?.event == unlinked)
  }

  @Test func aPersonWhoLostTheRoleMeanwhileHasTheChangeRefusedWithTheEnginesRefusal() async throws {
    let server = try StandInServer()
    try server.start("acme", consultant: "cora")
    try await server.change("acme", by: "cora", .assigned(role: "czar", person: "zed"))
    server.grant("zed", "acme")
    let zed = Device(server, as: "zed")
    try await zed.sync()
    zed.link.online = false
    try #require(try zed.make("acme", .completed(milestone: "sales-baseline")) != nil)
    try await server.change("acme", by: "cora", .assigned(role: "czar", person: "yan"))
    zed.link.online = true
    let report = try await zed.sync()
    #expect(report.refused.map(\.code) == ["not-permitted"])
    // Zed no longer keeps the roster: the copy is not theirs to hold any more.
    #expect(report.notKept.map(\.client) == ["acme"])
    #expect(try zed.rejected().count == 1)
  }

  @Test func aClientSeenAsCountsOnlyIsNotCopiedNorAskedForAgainUntilItChanges() async throws {
    let server = try StandInServer()
    try server.start("acme", consultant: "cora")
    server.grant("sam", "acme")
    let sam = Device(server, as: "sam")
    let first = try await sam.sync()
    #expect(first.notKept.map(\.code) == ["not-permitted"])
    #expect(try sam.events("acme") == nil)
    try await sam.sync()
    #expect(sam.link.recordsAsked == ["acme"])
    // Made the czar: a change the feed carries, so the copy is made.
    try await server.change("acme", by: "cora", .assigned(role: "czar", person: "sam"))
    let third = try await sam.sync()
    #expect(third.updated == ["acme"])
    #expect(try sam.events("acme") == server.history("acme"))
  }

  @Test func aSignatureMadeOfflineStaysOnTheTermsItWasMadeOn() async throws {
    let server = try StandInServer()
    try server.start("acme", consultant: "cora")
    let laptop = Device(server, as: "cora")
    try await laptop.sync()
    // Signing on terms other than those in force is refused here and on the server alike.
    let stale = String(repeating: "0", count: 64)
    #expect(try laptop.make("acme", .signed(agreement: "collaboration-charter", role: "consultant", terms: stale)) == nil)
    let pushed = Event(
      .signed(agreement: "collaboration-charter", role: "sponsor", terms: stale), by: "cora",
      at: server.now(), id: EventID.make())
    await #expect(throws: RemoteFailure.self) { try await laptop.link.push(pushed, to: "acme") }
  }

  @Test func aChangeMadeOnTheCopyDuringASyncIsNeverOverwritten() async throws {
    let server = try StandInServer()
    try server.start("acme", consultant: "cora")
    let laptop = Device(server, as: "cora")
    try await laptop.sync()
    let before = try laptop.replica.workspace().bytes(of: try ClientID("acme"))!
    try #require(try laptop.make("acme", .completed(milestone: "stakeholder-map")) != nil)
    #expect(throws: StoreError.self) {
      try laptop.replica.workspace().replace(
        with: try ClientRecord.decode(before, client: try ClientID("acme"), place: "acme"), expected: before)
    }
    #expect(try laptop.events("acme")?.count == 2)
  }

  @Test func anotherPersonsSignInDoesNotSendTheChangesOfTheCopysPerson() async throws {
    let server = try StandInServer()
    try server.start("acme", consultant: "cora")
    server.grant("zed", "acme")
    let laptop = Device(server, as: "cora")
    try await laptop.sync()
    laptop.link.online = false
    try #require(try laptop.make("acme", .completed(milestone: "stakeholder-map")) != nil)
    let other = Link(server, as: "zed")
    await #expect(throws: SyncRefusal.self) { try await Sync.run(laptop.replica, through: other) }
    #expect(try server.history("acme").count == 1)
  }
}
