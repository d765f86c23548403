import Foundation
import PostgresNIO
@testable import PostgresStore
import PostgresTestSupport
import ProgrammeEngine
import Synchronization
import Testing
import WorkspaceStore

/// The outbox's promises (`OutboxStore`), on both stores: a message queued is listed until
/// the relay takes it, then kept as a record without its body and never queued again; a
/// message is handed to one sender however many claim it at once; one let go stays queued.
@Suite("Outbox conformance")
struct OutboxConformanceTests {
  static func message(_ person: String, day: String, text: String = "Due soon: weekly-sync\r\n") -> OutboxMessage {
    OutboxMessage(
      person: person, day: day, from: "accord@example.com", to: "\(person)@example.com",
      messageID: "<accord.\(person).\(day)@example.com>", message: text)
  }

  @Test(arguments: StoreKind.allCases)
  func aQueuedMessageIsListedUntilSentThenKeptWithoutItsBody(_ kind: StoreKind) async throws {
    try await withOutbox(kind) { outbox in
      #expect(try await outbox.queuedMail() == [])
      #expect(try await outbox.mailState("2026-12-08.sam") == nil)
      #expect(try await outbox.queueMail(Self.message("sam", day: "2026-12-08"), as: "2026-12-08.sam") == .queued)
      #expect(try await outbox.queueMail(Self.message("alice", day: "2026-12-07"), as: "2026-12-07.alice") == .queued)
      #expect(
        try await outbox.queuedMail() == [
          OutboxItem(key: "2026-12-07.alice", message: Self.message("alice", day: "2026-12-07")),
          OutboxItem(key: "2026-12-08.sam", message: Self.message("sam", day: "2026-12-08")),
        ])
      #expect(try await outbox.mailState("2026-12-08.sam") == .queued)
      #expect(try await outbox.sentMail("2026-12-08.sam") == nil)

      let claim = try #require(try await outbox.claimMail("2026-12-08.sam"))
      #expect(claim.message == Self.message("sam", day: "2026-12-08"))
      let sentAt = Date(timeIntervalSince1970: 1_796_630_400)  // 2026-12-07T08:00:00Z
      try await outbox.markSent(claim, at: sentAt, relay: "smtp://127.0.0.1:2525")
      #expect(try await outbox.queuedMail().map(\.key) == ["2026-12-07.alice"])
      #expect(try await outbox.mailState("2026-12-08.sam") == .sent)
      var record = Self.message("sam", day: "2026-12-08")
      record.message = nil
      record.sentAt = "2026-12-07T08:00:00Z"
      record.relay = "smtp://127.0.0.1:2525"
      #expect(try await outbox.sentMail("2026-12-08.sam") == record, "who, day, Message-ID, relay; no body")
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aSentDayIsNeverQueuedAgain(_ kind: StoreKind) async throws {
    try await withOutbox(kind) { outbox in
      _ = try await outbox.queueMail(Self.message("sam", day: "2026-12-08"), as: "2026-12-08.sam")
      let claim = try #require(try await outbox.claimMail("2026-12-08.sam"))
      try await outbox.markSent(claim, at: Date(), relay: "smtp://relay")
      let again = Self.message("sam", day: "2026-12-08", text: "Due soon: something new\r\n")
      #expect(try await outbox.queueMail(again, as: "2026-12-08.sam") == .sent)
      #expect(try await outbox.queuedMail() == [])
      #expect(try await outbox.claimMail("2026-12-08.sam") == nil)
      #expect(try await outbox.sentMail("2026-12-08.sam")?.message == nil)
      // The next day is another digest.
      #expect(try await outbox.queueMail(Self.message("sam", day: "2026-12-09"), as: "2026-12-09.sam") == .queued)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aMessageLetGoStaysQueuedAndAQueuedOneTakesTheNewText(_ kind: StoreKind) async throws {
    try await withOutbox(kind) { outbox in
      _ = try await outbox.queueMail(Self.message("sam", day: "2026-12-08"), as: "2026-12-08.sam")
      let claim = try #require(try await outbox.claimMail("2026-12-08.sam"))
      await outbox.release(claim)
      #expect(try await outbox.mailState("2026-12-08.sam") == .queued)
      let newer = Self.message("sam", day: "2026-12-08", text: "Overdue: weekly-sync\r\n")
      #expect(try await outbox.queueMail(newer, as: "2026-12-08.sam") == .queued)
      #expect(try await outbox.queuedMail() == [OutboxItem(key: "2026-12-08.sam", message: newer)])
      let again = try #require(try await outbox.claimMail("2026-12-08.sam"), "let go: claimed again by the next run")
      #expect(again.message == newer)
      await outbox.release(again)
    }
  }

  /// Two senders claim every message at once, as two servers' reminder runs do: each
  /// message is held by one of them, which "sends" it (a pause) and marks it sent; the other
  /// gets nothing for it, even while the first is still sending.
  @Test(arguments: StoreKind.allCases)
  func twoConcurrentClaimersHandEachMessageOverOnce(_ kind: StoreKind) async throws {
    try await withOutbox(kind) { outbox in
      let keys = (1...4).map { "2026-12-08.person\($0)" }
      for (number, key) in keys.enumerated() {
        _ = try await outbox.queueMail(Self.message("person\(number + 1)", day: "2026-12-08"), as: key)
      }
      let handed = Handed()
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<2 {
          group.addTask {
            for item in try await outbox.queuedMail() {
              guard let claim = try await outbox.claimMail(item.key) else { continue }
              handed.keys.withLock { $0.append(claim.key) }
              try await Task.sleep(for: .milliseconds(50))
              try await outbox.markSent(claim, at: Date(), relay: "smtp://relay")
            }
          }
        }
        try await group.waitForAll()
      }
      #expect(handed.keys.withLock { $0.sorted() } == keys, "each message handed to the relay exactly once")
      #expect(try await outbox.queuedMail() == [])
      for key in keys { #expect(try await outbox.mailState(key) == .sent) }
    }
  }

  /// The same on the database through two stores (two servers' pools), and a claim held
  /// answers nil at once rather than waiting; one whose lease ran out (its sender killed
  /// mid-send) is claimed by the next run.
  @Test func twoServersClaimOnceAndALapsedClaimIsTakenByTheNextRun() async throws {
    let address = try await PostgresCluster.database()
    do {
      try await PostgresStore.migrate(address)
      let first = try await PostgresStore.open(address)
      let second = try await PostgresStore.open(address)
      _ = try await first.queueMail(Self.message("sam", day: "2026-12-08"), as: "2026-12-08.sam")
      let claim = try #require(try await first.claimMail("2026-12-08.sam"))
      #expect(try await second.claimMail("2026-12-08.sam") == nil)
      // Held while it is sent: a new queueing of the key does not change what is being sent.
      let rewritten = Self.message("sam", day: "2026-12-08", text: "x")
      #expect(try await second.queueMail(rewritten, as: "2026-12-08.sam") == .queued)
      #expect(try await second.queuedMail().map(\.message.message) == [Self.message("sam", day: "2026-12-08").message])

      // The first server dies holding it: once the lease has run out the second takes it.
      try await PostgresCluster.connect(address) { connection in
        try await connection.query(
          "UPDATE outbox SET claimed_until = now() - interval '1 second'", logger: PostgresStore.quiet)
      }
      let taken = try #require(try await second.claimMail("2026-12-08.sam"))
      try await second.markSent(taken, at: Date(), relay: "smtp://relay")
      // The first's late word neither sends it again nor unsends it.
      await first.release(claim)
      #expect(try await first.mailState("2026-12-08.sam") == .sent)
      #expect(try await first.claimMail("2026-12-08.sam") == nil)
      await first.shutdown()
      await second.shutdown()
      await PostgresCluster.drop(address)
    } catch {
      await PostgresCluster.drop(address)
      throw error
    }
  }

  /// A database at the step before the outbox's, holding a client: `migrate` adds the
  /// outbox and takes nothing away; the client reads as before, and mail can be queued.
  @Test func aDatabaseBeforeTheOutboxMigratesAndKeepsWhatItHeld() async throws {
    let address = try await PostgresCluster.database()
    do {
      let acme = try Client.started("acme").record.written(after: nil, place: "test")
      try await PostgresCluster.connect(address) { connection in
        let logger = PostgresStore.quiet
        try await migrate(connection, below: PostgresSchema.outboxStep)
        try await ClientRows.insertClient(acme, on: connection, logger: logger)
      }
      // An Accord with the outbox asks for the migration rather than writing to the old tables.
      await #expect(throws: StoreFailure.self) { try await PostgresStore.open(address) }
      let migrated = try await PostgresStore.migrate(address)
      #expect(migrated.from == PostgresSchema.outboxStep - 1 && migrated.to == PostgresSchema.current)
      let store = try await PostgresStore.open(address)
      #expect(try await store.load(ClientID("acme")) == acme)
      #expect(try await store.queueMail(Self.message("sam", day: "2026-12-08"), as: "2026-12-08.sam") == .queued)
      await store.shutdown()
      await PostgresCluster.drop(address)
    } catch {
      await PostgresCluster.drop(address)
      throw error
    }
  }
}

/// Runs `body` on the outbox of a new store of `kind`.
func withOutbox(_ kind: StoreKind, _ body: (any OutboxStore) async throws -> Void) async throws {
  try await withStore(kind) { store in
    try await body(try #require(store as? any OutboxStore, "every store keeps an outbox"))
  }
}

/// The keys the claimers were handed, shared by their tasks.
private final class Handed: Sendable {
  let keys = Mutex<[String]>([])
}
