import Foundation
import ProgrammeEngine
import Synchronization
import Testing

@testable import WorkspaceStore

/// A stop asked for (Ctrl-C) while a change is on its way: before the rename nothing is
/// written and no temporary file is left; from the rename on the change is made.
@Suite("Reliability: interrupted writes")
struct InterruptionTests {
  /// An interruption check that says "stop" from its `after`-th question on, counting them.
  final class Stopper: Sendable {
    let after: Int
    let asked = Atomic<Int>(0)
    init(after: Int) { self.after = after }
    var check: InterruptionCheck {
      { [self] in asked.add(1, ordering: .relaxed).newValue >= after }
    }
  }

  static func temporaryFiles(_ workspace: Workspace) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: workspace.directory.path).filter { $0.contains(".tmp-") }
  }

  @Test func anUpdateStoppedAtAnySafePointWritesNothingAndLeavesNoTemporaryFile() throws {
    // Count the questions a whole update asks, then stop it at each of them in turn.
    let questions = try withWorkspace { workspace in
      try workspace.create(try sampleRecord())
      var counting = workspace
      let stopper = Stopper(after: .max)
      counting.interrupted = stopper.check
      try counting.update(try ClientID("acme")) { $0.name = "Changed" }
      return stopper.asked.load(ordering: .relaxed)
    }
    #expect(questions >= 4, "the lock wait is not asked when the lock is free; the write asks at least 3 times")
    for stop in 1...questions {
      try withWorkspace { workspace in
        try workspace.create(try sampleRecord())
        let id = try ClientID("acme")
        let before = try Data(contentsOf: workspace.fileURL(for: id))
        var stopping = workspace
        stopping.interrupted = Stopper(after: stop).check
        #expect(throws: StoreError.interrupted(path: workspace.fileURL(for: id).path)) {
          try stopping.update(id) { $0.name = "Changed" }
        }
        #expect(try Data(contentsOf: workspace.fileURL(for: id)) == before, "stopped at question \(stop)")
        #expect(try Self.temporaryFiles(workspace).isEmpty, "stopped at question \(stop)")
        // Nothing is stuck: the lock was released.
        try workspace.update(id) { $0.name = "Changed" }
        #expect(try workspace.read(id).name == "Changed")
      }
    }
  }

  @Test func aNewClientStoppedBeforeItsLinkLeavesNoFile() throws {
    for stop in 1...4 {
      try withWorkspace { workspace throws in
        var stopping = workspace
        stopping.interrupted = Stopper(after: stop).check
        #expect(throws: StoreError.self) { try stopping.create(try sampleRecord()) }
        let path = workspace.fileURL(for: try ClientID("acme")).path
        #expect(!FileManager.default.fileExists(atPath: path))
        if FileManager.default.fileExists(atPath: workspace.directory.path) {
          let leftovers = try Self.temporaryFiles(workspace)
          #expect(leftovers.isEmpty)
        }
      }
    }
  }

  @Test func aStopWhileWaitingForTheLockEndsTheWaitWithNothingWritten() throws {
    try withWorkspace(lockTimeout: .seconds(600)) { workspace in
      try workspace.create(try sampleRecord())
      let id = try ClientID("acme")
      let before = try Data(contentsOf: workspace.fileURL(for: id))
      // Hold the lock from another open file description, as another command would.
      let holder = open(workspace.lockPath(for: id), O_RDWR | O_CLOEXEC)
      #expect(holder >= 0)
      defer { close(holder) }
      #expect(flock(holder, LOCK_EX) == 0)
      var waiting = workspace
      // Stops on the tenth question: the waiter has polled the lock several times by then.
      waiting.interrupted = Stopper(after: 10).check
      #expect(throws: StoreError.interrupted(path: workspace.fileURL(for: id).path)) {
        try waiting.update(id) { $0.name = "Changed" }
      }
      #expect(try Data(contentsOf: workspace.fileURL(for: id)) == before)
    }
  }

  @Test func interruptedHasItsOwnCodeAndNamesTheFile() {
    let error = StoreError.interrupted(path: "/w/acme.json")
    #expect(error.code == "interrupted")
    #expect(error.details == ["path": "/w/acme.json"])
    #expect(error.description.contains("nothing was changed"))
  }
}
