import Foundation
import Glibc
import PostgresStore
import PostgresTestSupport
import Testing
import WorkspaceStore

/// `accord serve --database --smtp` against the loopback SMTP sink: the servers on one
/// database share its outbox, so each digest is handed to the relay once however many
/// servers mail the day's reminders; one the relay refused stays queued in the database and
/// goes on the next run. And two `remind --smtp` at once on a folder, likewise.
@Suite("End to end: reminders mailed by several senders at once")
struct ServeDatabaseMailTests {
  let accord: AccordBinary
  let sink: SMTPSink
  let address: PostgresAddress

  /// The reminder tests' client (acme: alice's kick-off due in 3 days, sam's weekly sync in
  /// 7), kept in a new database of the throwaway cluster with the folder's settings (the
  /// people's addresses).
  init() async throws {
    accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("reminders.yaml")
    try RemindEndToEndTests.playbook.write(to: path, atomically: true, encoding: .utf8)
    for arguments in [
      ["start", "acme", "--name", "Acme Ltd", "--playbook", path.path], ["assign", "acme", "head-of-sales", "sam"],
      ["address", "sam", "sam@example.com"], ["address", "alice", "alice@example.com"],
    ] {
      let run = try accord.run(arguments)
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
    }
    address = try await PostgresCluster.database()
    try await PostgresStore.migrate(address)
    let folder = FolderStore(Workspace(directory: accord.workspace))
    let store = try await PostgresStore.open(address)
    do {
      for id in try await folder.clientIDs() { try await store.adopt(try await folder.load(id)) }
      let settings = try await folder.settings()
      try await store.updateSettings { $0 = settings }
      await store.shutdown()
    } catch {
      await store.shutdown()
      throw error
    }
    sink = try SMTPSink()
  }

  var connection: String {
    "postgresql://\(address.username):\(address.password ?? "")@\(address.host):\(address.port)/\(address.database)"
      + "?sslmode=disable"
  }

  /// `accord serve --database ... --smtp ...` on a port of its own, from a folder that
  /// holds no client (the database is the store).
  func serve() throws -> Child {
    try accord.start(["serve", "--port", "0", "--database", connection, "--smtp", sink.url, "--remind-at", "06:30"])
  }

  /// Waits until `done`, or a minute; false when it never was.
  func waitUntil(_ done: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(60)
    while try !done() {
      guard Date() < deadline else { return false }
      usleep(20_000)
    }
    return true
  }

  /// The outbox as the database holds it: the keys queued, and each key's state.
  func outbox(_ keys: [String]) async throws -> (queued: [String], states: [OutboxState?]) {
    let store = try await PostgresStore.open(address)
    do {
      let queued = try await store.queuedMail().map(\.key)
      var states: [OutboxState?] = []
      for key in keys { states.append(try await store.mailState(key)) }
      await store.shutdown()
      return (queued, states)
    } catch {
      await store.shutdown()
      throw error
    }
  }

  func stop(_ server: Child) {
    server.send(SIGTERM)
    #expect(server.wait().ending == .exited(0), "\(server.stderr)")
  }

  @Test func twoServersOnOneDatabaseMailEachDigestOnce() async throws {
    defer { sink.stop() }
    let today = RemindEndToEndTests.day(0)
    // Both start at once, and each mails the day's reminders as it starts; the relay takes
    // a while over each message, so that both servers' runs are under way together.
    sink.slow(0.7)
    let first = try serve()
    let second = try serve()
    defer {
      for server in [first, second] where !server.hasEnded {
        server.send(SIGKILL)
        _ = server.wait()
      }
    }
    let ran = waitUntil {
      [first, second].allSatisfy { $0.stderr.contains("reminders: next run at") || $0.hasEnded }
    }
    #expect(ran, "\(first.stderr)\n\(second.stderr)")
    #expect(!first.hasEnded && !second.hasEnded, "\(first.stderr)\n\(second.stderr)")
    #expect(
      sink.messages.map(\.recipients).sorted { $0[0] < $1[0] } == [["alice@example.com"], ["sam@example.com"]],
      "each digest exactly once: \(sink.messages.map(\.recipients))")
    let logs = first.stderr + second.stderr
    #expect(logs.components(separatedBy: "Sent sam's reminders for \(today) to sam@example.com.").count == 2)
    #expect(logs.components(separatedBy: "Sent alice's reminders for \(today) to alice@example.com.").count == 2)
    #expect(!logs.contains("weekly-sync") && !logs.contains("kick-off"), "never a body in a log")
    let kept = try await outbox(["\(today).alice", "\(today).sam"])
    #expect(kept.queued.isEmpty)
    #expect(kept.states == [.sent, .sent])

    // A third server the same day sends nothing more.
    let third = try serve()
    #expect(waitUntil { third.stderr.contains("reminders: next run at") || third.hasEnded }, "\(third.stderr)")
    stop(third)
    #expect(sink.messages.count == 2)
    stop(first)
    stop(second)
  }

  @Test func aRefusedSendStaysQueuedInTheDatabaseAndGoesOnTheNextRun() async throws {
    defer { sink.stop() }
    let today = RemindEndToEndTests.day(0)
    sink.fail(with: "451 4.3.0 Mailbox busy, try again later")
    let failing = try serve()
    #expect(
      waitUntil { failing.stderr.contains("reminders: next run at") || failing.hasEnded }, "\(failing.stderr)")
    #expect(
      failing.stderr.contains("could not send sam's reminders for \(today) to sam@example.com"), "\(failing.stderr)")
    #expect(!failing.stderr.contains("weekly-sync"), "never a body in a log")
    stop(failing)
    #expect(sink.messages.isEmpty)
    let queued = try await outbox(["\(today).alice", "\(today).sam"])
    #expect(queued.queued == ["\(today).alice", "\(today).sam"])
    #expect(queued.states == [.queued, .queued])

    // The relay takes mail again: the next server's run sends both, once.
    sink.fail(with: nil)
    let next = try serve()
    #expect(waitUntil { next.stderr.contains("reminders: next run at") || next.hasEnded }, "\(next.stderr)")
    stop(next)
    #expect(sink.messages.map(\.recipients).sorted { $0[0] < $1[0] } == [["alice@example.com"], ["sam@example.com"]])
    let sent = try await outbox(["\(today).alice", "\(today).sam"])
    #expect(sent.queued.isEmpty)
    #expect(sent.states == [.sent, .sent])
  }

  /// `accord remind --smtp` and `accord invite` on the database mail through its outbox, the
  /// one the servers share: a server started after the CLI's run sends nothing again, and
  /// the folder the commands ran in keeps no outbox.
  @Test func theCommandsOnTheDatabaseMailThroughItsOutboxShared() async throws {
    defer { sink.stop() }
    let today = RemindEndToEndTests.day(0)
    let remind = try accord.run(["remind", "--database", connection, "--smtp", sink.url])
    #expect(remind.status == 0, "\(remind.stderr)")
    #expect(remind.stdout.contains("Sent sam's reminders for \(today) to sam@example.com."), "\(remind.stdout)")
    #expect(sink.messages.map(\.recipients).sorted { $0[0] < $1[0] } == [["alice@example.com"], ["sam@example.com"]])
    let kept = try await outbox(["\(today).alice", "\(today).sam"])
    #expect(kept.queued.isEmpty)
    #expect(kept.states == [.sent, .sent])
    // The same day again, from the CLI or a server: nothing more.
    let again = try accord.run(["remind", "--database", connection, "--smtp", sink.url])
    #expect(again.status == 0, "\(again.stderr)")
    let server = try serve()
    #expect(waitUntil { server.stderr.contains("reminders: next run at") || server.hasEnded }, "\(server.stderr)")
    stop(server)
    #expect(sink.messages.count == 2)

    // A sign-in link mailed from the database: sent once, its key in the database's outbox.
    let invite = try accord.run([
      "invite", "acme", "sam", "--database", connection, "--smtp", sink.url, "--url", "https://accord.example.com",
    ])
    #expect(invite.status == 0, "\(invite.stderr)")
    #expect(sink.messages.count == 3)
    #expect(sink.messages.last?.recipients == ["sam@example.com"])
    #expect(!(invite.stdout + invite.stderr).contains("/sign-in/"), "only where the link went is printed")
    #expect(try await outbox([]).queued.isEmpty)
    let folderOutbox = accord.workspace.appendingPathComponent(".accord-outbox")
    #expect(!FileManager.default.fileExists(atPath: folderOutbox.path), "the folder kept mail it does not send")
  }

  /// The folder's outbox under the same race: two `accord remind --smtp` at once on one
  /// workspace, the relay slow, take turns on each message's claim (the outbox's lock) and
  /// send each digest once; the files are the ones the folder always had.
  @Test func twoRemindersAtOnceOnAFolderMailEachDigestOnce() throws {
    defer { sink.stop() }
    sink.slow(0.7)
    let day = RemindEndToEndTests.day(8)
    let runs = try (0..<2).map { _ in try accord.start(["remind", "--as-of", day, "--smtp", sink.url]) }
    for run in runs { #expect(run.wait().ending == .exited(0), "\(run.stderr)") }
    #expect(sink.messages.map(\.recipients).sorted { $0[0] < $1[0] } == [["alice@example.com"], ["sam@example.com"]])
    let sent = runs.map(\.stdout).joined()
    #expect(sent.components(separatedBy: "Sent sam's reminders for \(day) to sam@example.com.").count == 2, "\(sent)")
    let outbox = accord.workspace.appendingPathComponent(".accord-outbox")
    #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("queued").path) == [])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("sent").path).sorted()
        == ["\(day).alice.json", "\(day).sam.json"])
  }
}
