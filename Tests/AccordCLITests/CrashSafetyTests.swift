import SeededRandom
import Foundation
import Glibc
import Testing
import WorkspaceStore

/// A client's file survives the binary being killed at any moment, and a write that fails
/// part-way leaves the old file exactly as it was.
@Suite("Reliability: crashes and failed writes")
struct CrashSafetyTests {
  /// A playbook where every command below can always be issued: one milestone to complete
  /// and reopen, one agreement to sign and revoke, and a czar to hand over.
  static let playbook = """
    playbook: crash-test
    version: 1
    title: Crash test
    roles:
      consultant: Consultant
      czar: Collaboration czar
      signer: Signer
    stages:
      - id: one
        title: One
        milestones:
          - {id: m, title: Toggled, owner: consultant}
          - {id: never, title: Never done, owner: consultant}
        agreements:
          - {id: a, title: Toggled, signatories: [signer]}
      - id: two
        title: Two
        milestones:
          - {id: later, title: Later, owner: consultant}

    """

  /// One changing command, and the note that marks its event in the history.
  struct Command {
    var arguments: [String]
    var person: String
    var note: String
  }

  /// Commands that are accepted in order: the model knows whether `m` is done and `a` signed.
  struct Script {
    var done = false
    var signed = false

    mutating func command(_ index: Int, using random: inout SeededRandom) -> Command {
      let note = "c\(index)"
      switch Int.random(in: 0..<3, using: &random) {
      case 0:
        return Command(arguments: ["assign", "acme", "czar", "p\(index)", "--note", note], person: "alice", note: note)
      case 1:
        defer { done.toggle() }
        return done
          ? Command(arguments: ["reopen", "acme", "m", "--reason", note], person: "alice", note: note)
          : Command(arguments: ["complete", "acme", "m", "--note", note], person: "alice", note: note)
      default:
        defer { signed.toggle() }
        return signed
          ? Command(arguments: ["revoke", "acme", "a", "--reason", note], person: "sam", note: note)
          : Command(arguments: ["sign", "acme", "a", "--note", note], person: "sam", note: note)
      }
    }
  }

  /// Starts `acme` on the crash-test playbook with sam as signer; returns the playbook's path.
  static func startClient(_ accord: AccordBinary) throws {
    let path = accord.folder.appendingPathComponent("crash.yaml")
    try playbook.write(to: path, atomically: true, encoding: .utf8)
    let start = try accord("start", "acme", "--playbook", path.path)
    #expect(start.status == 0, "\(start.stderr)")
    #expect(try accord("assign", "acme", "signer", "sam").status == 0)
  }

  /// The notes of the events after the two set-up ones, read and replayed by the store.
  static func notes(_ accord: AccordBinary) throws -> [String] {
    let workspace = Workspace(directory: accord.workspace)
    let history = try workspace.programme(try ClientID("acme")).programme.history
    return history.dropFirst(2).map { $0.note ?? "" }
  }

  @Test func killedAtRandomMomentsTheRecordStaysWholeAndHoldsEveryFinishedCommand() throws {
    let seed = SeededRandom.seed(for: "crash safety")
    var random = SeededRandom(seed: seed)
    let accord = try AccordBinary()
    try Self.startClient(accord)
    let lockPath = accord.workspace.appendingPathComponent(".acme.lock").path

    // Kill moments are spread over a little more than a command's usual run, measured here
    // (in microseconds) on a command that reads the client and changes nothing.
    let started = monotonicNow()
    #expect(try accord.start(["next", "acme"]).wait().ending == .exited(0))
    let window = max(UInt64(5_000), (monotonicNow() - started) / 1000 * 12 / 10)

    // A lock timeout of zero: a lock left held by a killed command would fail the very next one.
    let environment = ["ACCORD_LOCK_TIMEOUT": "0"]
    let total = Soak.count(200, soak: 2000)
    var script = Script()
    var issued: [String] = []
    var figures = (attempts: 0, killedBefore: 0, killedAfter: 0, finished: 0, heldLock: 0, leftovers: 0)
    for index in 0..<total {
      let command = script.command(index, using: &random)
      while true {
        figures.attempts += 1
        let child = try accord.start(command.arguments, as: command.person, environment: environment)
        let kill = Int.random(in: 0..<4, using: &random) > 0
        let delay = UInt64.random(in: 0...window, using: &random)
        if kill {
          usleep(UInt32(delay))
          child.send(SIGKILL)
        }
        let ending = child.wait().ending
        // The kernel has released a dead command's lock; a note still in the file shows it
        // died holding it.
        if ending == .signalled(SIGKILL), (try? Data(contentsOf: URL(fileURLWithPath: lockPath)))?.isEmpty == false {
          figures.heldLock += 1
        }

        let context =
          "seed \(seed), command \(index) (\(command.arguments.joined(separator: " "))), attempt ended with \(ending)"
        let notes: [String]
        do {
          notes = try Self.notes(accord)
        } catch {
          Issue.record("the client file does not load: \(error); \(context)")
          return
        }
        if notes == issued + [command.note] {
          issued.append(command.note)
          if ending == .exited(0) { figures.finished += 1 } else { figures.killedAfter += 1 }
          #expect(ending == .exited(0) || ending == .signalled(SIGKILL), "\(context): \(child.stderr)")
          break
        }
        // Not in the history: then the command must not have reported success.
        guard notes == issued else {
          Issue.record("the history is not a prefix of the commands issued: ends \(notes.suffix(3)); \(context)")
          return
        }
        guard ending == .signalled(SIGKILL) else {
          Issue.record("a command that was not killed left no event: \(child.stderr); \(context)")
          return
        }
        figures.killedBefore += 1
      }
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: accord.workspace.path)
    let leftovers = names.filter { $0.contains(".tmp-") }
    figures.leftovers = leftovers.count
    // A SIGKILL mid-write can leave a temporary file: check reports each as a problem, and
    // the client is sound once they are deleted.
    let check = try accord("check", "acme")
    #expect(check.status == (leftovers.isEmpty ? 0 : 65), "\(check.stdout)")
    for name in leftovers {
      #expect(check.stdout.contains(name), "\(check.stdout)")
      try FileManager.default.removeItem(at: accord.workspace.appendingPathComponent(name))
    }
    let clean = try accord("check", "acme")
    #expect(clean.status == 0, "\(clean.stdout)")
    #expect(try Self.notes(accord) == issued)
    #expect(figures.killedBefore > 0 && figures.killedAfter + figures.finished == total)
    print(
      "crash safety: \(total) commands in \(figures.attempts) runs: \(figures.killedBefore) killed before "
        + "their write landed, \(figures.killedAfter) killed after it, \(figures.finished) finished; "
        + "\(figures.heldLock) killed holding the lock, \(figures.leftovers) temporary files left; "
        + "kill window \(window / 1000) ms, seed \(seed)")
  }

  /// A real failed write through the binary, as root: the file-size limit (`ulimit -f`) makes
  /// `write` fail part-way with EFBIG, as a full disk would with ENOSPC.
  @Test func aWriteThatRunsOutOfSpaceExitsNonZeroAndLeavesTheOldFile() throws {
    let accord = try AccordBinary()
    try Self.startClient(accord)
    let before = try accord.stateFile("acme")
    #expect(before.count > 1024, "the new content must be larger than the limit")
    var limited = accord
    limited.executable = URL(fileURLWithPath: "/bin/sh")
    // One 512-byte block: enough for the lock's note, not for the client file. SIGXFSZ is
    // ignored so that write() fails instead of the signal killing the process.
    let script = "ulimit -f 1; trap '' XFSZ; exec \"$0\" \"$@\""
    let run = try limited.run(["-c", script, accord.executable.path, "assign", "acme", "czar", "carol"])
    #expect(run.status == 74, "\(run.stderr)")
    #expect(run.stderr.contains("File too large"), "\(run.stderr)")
    #expect(run.stderr.contains(accord.workspace.appendingPathComponent("acme.json").path))
    #expect(try accord.stateFile("acme") == before)
    let names = try FileManager.default.contentsOfDirectory(atPath: accord.workspace.path)
    #expect(names.filter { $0.contains(".tmp-") }.isEmpty, "\(names)")
    // Nothing is stuck: without the limit the same command goes through.
    #expect(try accord("assign", "acme", "czar", "carol").status == 0)
  }
}
