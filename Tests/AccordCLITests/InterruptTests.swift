import Foundation
import Glibc
import SeededRandom
import Testing
import WorkspaceStore

/// Ctrl-C means something: a changing command stopped by SIGINT (or SIGTERM) before its
/// change is written exits 130, says nothing was changed and leaves the client file byte for
/// byte as it was; once the change is written it finishes and exits 0. Never a temporary
/// file left behind.
@Suite("Reliability: Ctrl-C and SIGTERM")
struct InterruptTests {
  /// What one interrupted run came to.
  struct Figures {
    var runs = 0
    var stoppedBefore = 0
    var finished = 0
    /// Ended by the signal itself: it arrived while the system was still loading the
    /// program, before any of Accord's code (its handler included) could run.
    var stoppedLoading = 0
    var unsignalled = 0
  }

  @Test func interruptedAtRandomMomentsACommandChangesNothingOrFinishes() throws {
    let seed = SeededRandom.seed(for: "interrupt")
    var random = SeededRandom(seed: seed)
    let accord = try AccordBinary()
    try CrashSafetyTests.startClient(accord)

    // Signal moments are spread over a little more than a changing command's usual run.
    let started = monotonicNow()
    #expect(try accord.start(["assign", "acme", "czar", "timing"]).wait().ending == .exited(0))
    let window = max(UInt64(5_000), (monotonicNow() - started) / 1000 * 12 / 10)
    var issued = try CrashSafetyTests.notes(accord)

    let total = Soak.count(100, soak: 1000)
    var script = CrashSafetyTests.Script()
    var figures = Figures()
    for index in 0..<total {
      let command = script.command(index, using: &random)
      while true {
        figures.runs += 1
        let before = try accord.stateFile("acme")
        let child = try accord.start(command.arguments, as: command.person)
        // Three runs in four are signalled (one of those four with SIGTERM), so that every
        // command lands in a few runs; a run left alone must simply finish.
        let signal = Int.random(in: 0..<4, using: &random) == 0 ? SIGTERM : SIGINT
        let signalled = Int.random(in: 0..<4, using: &random) > 0
        let delay = UInt64.random(in: 0...window, using: &random)
        if signalled {
          usleep(UInt32(delay))
          child.send(signal)
        } else {
          figures.unsignalled += 1
        }
        let ending = child.wait().ending
        let context =
          "seed \(seed), command \(index) (\(command.arguments.joined(separator: " "))), signal \(signal), "
          + "ended with \(ending); stderr: \(child.stderr)"
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: accord.workspace.path)
          .filter { $0.contains(".tmp-") }
        guard leftovers.isEmpty else {
          Issue.record("temporary files left: \(leftovers); \(context)")
          return
        }
        let notes = try CrashSafetyTests.notes(accord)
        switch ending {
        case .exited(0):
          guard notes == issued + [command.note] else {
            Issue.record("exit 0, but the change is not the last event: ends \(notes.suffix(3)); \(context)")
            return
          }
          issued.append(command.note)
          figures.finished += 1
        case .exited(130):
          #expect(child.stderr.contains("nothing was changed"), "\(context)")
          guard try accord.stateFile("acme") == before else {
            Issue.record("exit 130, but the client file changed; \(context)")
            return
          }
          figures.stoppedBefore += 1
          continue
        case .signalled(signal):
          // Only before the program runs at all: then it has said nothing and done nothing.
          #expect(child.stderr.isEmpty && child.stdout.isEmpty, "\(context)")
          guard try accord.stateFile("acme") == before else {
            Issue.record("ended by the signal, but the client file changed; \(context)")
            return
          }
          figures.stoppedLoading += 1
          continue
        default:
          Issue.record("neither 0 nor 130: \(context)")
          return
        }
        break
      }
    }
    #expect(try CrashSafetyTests.notes(accord) == issued)
    #expect(figures.stoppedBefore > 0, "no run was stopped before its write: the window is too wide")
    let check = try accord("check", "acme")
    #expect(check.status == 0, "\(check.stdout)")
    print(
      "interrupt: \(total) commands in \(figures.runs) runs: \(figures.stoppedBefore) stopped before their "
        + "change (exit 130), \(figures.finished) finished (exit 0), \(figures.stoppedLoading) ended by the "
        + "signal while still loading, \(figures.unsignalled) not signalled; signal window \(window / 1000) ms, "
        + "seed \(seed)")
  }

  @Test func aStartInterruptedBeforeItsFileIsInPlaceLeavesNoClient() throws {
    let seed = SeededRandom.seed(for: "interrupted start")
    var random = SeededRandom(seed: seed)
    let accord = try AccordBinary()
    let started = monotonicNow()
    #expect(try accord.start(["start", "timing"]).wait().ending == .exited(0))
    let window = max(UInt64(5_000), (monotonicNow() - started) / 1000 * 12 / 10)
    var outcomes: [String: Int] = [:]
    for index in 0..<Soak.count(30, soak: 300) {
      let client = "c\(index)"
      let child = try accord.start(["start", client])
      usleep(UInt32(UInt64.random(in: 0...window, using: &random)))
      child.send(SIGINT)
      let ending = child.wait().ending
      outcomes[ending.description, default: 0] += 1
      let path = accord.workspace.appendingPathComponent("\(client).json").path
      let context = "seed \(seed), start \(client) ended with \(ending): \(child.stderr)"
      switch ending {
      case .exited(0): #expect(FileManager.default.fileExists(atPath: path), "\(context)")
      case .exited(130), .signalled(SIGINT): #expect(!FileManager.default.fileExists(atPath: path), "\(context)")
      default: Issue.record("neither 0 nor 130: \(context)")
      }
      let names = try FileManager.default.contentsOfDirectory(atPath: accord.workspace.path)
      #expect(names.filter { $0.contains(".tmp-") }.isEmpty, "\(context)")
    }
    print("interrupted start: \(outcomes), seed \(seed)")
  }

  /// Holds the client's lock from this process, as another command would.
  static func holdLock(_ accord: AccordBinary, _ client: String) throws -> Int32 {
    let descriptor = open(accord.workspace.appendingPathComponent(".\(client).lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    try #require(descriptor >= 0)
    try #require(flock(descriptor, LOCK_EX) == 0)
    return descriptor
  }

  @Test(arguments: [SIGINT, SIGTERM])
  func aStopWhileWaitingForTheLockEndsAtOnceWithNothingWritten(signal: Int32) throws {
    let accord = try AccordBinary()
    try CrashSafetyTests.startClient(accord)
    let before = try accord.stateFile("acme")
    let lock = try Self.holdLock(accord, "acme")
    defer { close(lock) }
    // Far longer than the test takes: a 75 would mean the wait ran out instead.
    let child = try accord.start(["complete", "acme", "m"], environment: ["ACCORD_LOCK_TIMEOUT": "3600"])
    // Wait until it is waiting: the lock file is only ever opened by a command that got past
    // its reading of the command line.
    while !Self.isWaiting(child) && !child.hasEnded { usleep(10_000) }
    child.send(signal)
    #expect(child.wait().ending == .exited(130))
    #expect(child.stderr.contains("interrupted before the change was written: nothing was changed"), "\(child.stderr)")
    #expect(try accord.stateFile("acme") == before)
  }

  /// Whether the child has the client's lock file open, that is, is waiting for the lock.
  static func isWaiting(_ child: Child) -> Bool {
    let folder = "/proc/\(child.pid)/fd"
    let links = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return links.contains { name in
      (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + name))?.hasSuffix(".acme.lock") == true
    }
  }

  @Test func withJSONTheStopIsAnErrorObjectOnStderr() throws {
    let accord = try AccordBinary()
    try CrashSafetyTests.startClient(accord)
    let lock = try Self.holdLock(accord, "acme")
    defer { close(lock) }
    let child = try accord.start(["complete", "acme", "m", "--json"], environment: ["ACCORD_LOCK_TIMEOUT": "3600"])
    while !Self.isWaiting(child) && !child.hasEnded { usleep(10_000) }
    child.send(SIGINT)
    #expect(child.wait().ending == .exited(130))
    let object = try JSONSerialization.jsonObject(with: Data(child.stderr.utf8)) as? [String: [String: String]]
    #expect(object?["error"]?["code"] == "interrupted", "\(child.stderr)")
    #expect(object?["error"]?["path"] == accord.workspace.appendingPathComponent("acme.json").path)
  }
}
