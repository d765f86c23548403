import Foundation
import Glibc
import PlaybookSpec
import ProgrammeEngine
import Testing
import WorkspaceStore

/// A real `accord` holding a client's lock: the next command waits for the lock timeout and
/// then exits 75 naming the holder; once the holder is killed, the kernel has released its
/// lock and the next command goes straight through.
@Suite("Reliability: locks held and left by killed commands")
struct LockRecoveryTests {
  /// A client with a long history, so that a command spends a while between taking the lock
  /// and writing (reading and replaying every event), long enough to be caught in it.
  static func longClient(_ accord: AccordBinary, events: Int) throws {
    let source = CrashSafetyTests.playbook
    let playbook = try Playbook.parse(source, file: "crash.yaml")
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    var programme = try Programme(
      playbook: playbook, start: Event(.started(client: "acme", name: "Acme"), by: "alice", at: start))
    for index in 1..<events {
      try programme.apply(
        Event(.assigned(role: "czar", person: "p\(index)"), by: "alice", at: start.addingTimeInterval(Double(index))))
    }
    let record = try ClientRecord(starting: programme, source: source, origin: "crash.yaml")
    try Workspace(directory: accord.workspace).create(record)
  }

  /// Starts `accord assign` and stops it (SIGSTOP) while it holds the lock, which its note in
  /// the lock file shows. Tries again if a command slips through before it can be stopped.
  static func stoppedHolder(_ accord: AccordBinary) throws -> Child {
    let lock = accord.workspace.appendingPathComponent(".acme.lock")
    func noted() -> Bool { (try? Data(contentsOf: lock))?.isEmpty == false }
    for attempt in 1...20 {
      let child = try accord.start(["assign", "acme", "czar", "holder-\(attempt)"], as: "dana")
      while !noted() && !child.hasEnded { usleep(100) }
      // Stopped with its note still there (notes are cleared on release): it holds the lock.
      if child.stop() {
        if noted() { return child }
        child.send(SIGCONT)
      }
      _ = child.wait()
    }
    Issue.record("could not catch a command holding the lock in 20 attempts")
    throw CancellationError()
  }

  @Test func aHeldLockTimesOutWithTheHolderAndAKilledHolderBlocksNobody() throws {
    let accord = try AccordBinary()
    try Self.longClient(accord, events: 5_000)
    let before = try accord.stateFile("acme")
    let holder = try Self.stoppedHolder(accord)

    // Held: the next command gives up after its timeout, naming the holder.
    let waiting = try accord(
      "assign", "acme", "czar", "carol", as: "alice", environment: ["ACCORD_LOCK_TIMEOUT": "0.5"])
    #expect(waiting.status == 75, "\(waiting.stderr)")
    #expect(waiting.stderr.contains("accord assign by dana (pid \(holder.pid))"), "\(waiting.stderr)")
    #expect(waiting.stderr.contains(".acme.lock"))
    #expect(try accord.stateFile("acme") == before)

    // Killed while holding the lock: its note stays in the file, but the lock is gone with it.
    holder.send(SIGKILL)
    #expect(holder.wait().ending == .signalled(SIGKILL))
    let note = try String(contentsOf: accord.workspace.appendingPathComponent(".acme.lock"), encoding: .utf8)
    #expect(note.contains("pid \(holder.pid)"), "died holding the lock: \(note)")
    #expect(try accord.stateFile("acme") == before, "killed before its write")
    let next = try accord(
      "assign", "acme", "czar", "carol", as: "alice", environment: ["ACCORD_LOCK_TIMEOUT": "0"])
    #expect(next.status == 0, "a lock timeout of zero: the lock must already be free. \(next.stderr)")
  }
}
