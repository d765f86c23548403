import Foundation
import Testing

@testable import WorkspaceStore

@Suite struct LockingTests {
  /// Eight writers racing 25 updates each: with the lock held from read to write, none of
  /// the 200 appended events is lost and each is there exactly once.
  @Test func concurrentUpdatesAreNeverLost() throws {
    try withWorkspace(lockTimeout: .seconds(120)) { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let failures = Collector<String>()
      onThreads(8) { thread in
        for index in 0..<25 {
          do {
            try workspace.update(id) { $0.events.append(completion("m-\(thread)-\(index)")) }
          } catch {
            failures.add("\(thread)/\(index): \(error)")
          }
        }
      }
      #expect(failures.all.isEmpty)
      let record = try workspace.read(id)
      #expect(record.revision == 201)
      #expect(record.events.count == 4 + 200)
      var expected: [String] = []
      for thread in 0..<8 {
        for index in 0..<25 { expected.append("m-\(thread)-\(index)") }
      }
      let appended = record.events.dropFirst(4).compactMap { event -> String? in
        if case let .completed(milestone) = event.change { return milestone }
        return nil
      }
      #expect(appended.sorted() == expected.sorted())
      // Each thread's own updates keep their order.
      for thread in 0..<8 {
        let mine = appended.filter { $0.hasPrefix("m-\(thread)-") }
        #expect(mine == (0..<25).map { "m-\(thread)-\($0)" })
      }
    }
  }

  /// A command kept waiting gives up after its timeout and says who holds the client.
  @Test func heldLockTimesOutNamingTheHolder() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let before = try bytes(workspace)
      var holding = workspace
      holding.holder = "dana on laptop-7 (accord complete)"
      var waiting = workspace
      waiting.lockTimeout = .milliseconds(300)

      let acquired = DispatchSemaphore(value: 0)
      let release = DispatchSemaphore(value: 0)
      let finished = DispatchSemaphore(value: 0)
      Thread { [holding] in
        try? holding.update(id) { _ in
          acquired.signal()
          release.wait()
        }
        finished.signal()
      }.start()
      acquired.wait()

      let clock = ContinuousClock()
      let start = clock.now
      let error = #expect(throws: StoreError.self) {
        try waiting.update(id) { $0.name = "Acme Group" }
      }
      let waited = clock.now - start
      #expect(throws: StoreError.self) {
        try waiting.create(try sampleRecord())
      }
      release.signal()
      finished.wait()

      guard case let .locked(path, holder)? = error else {
        Issue.record("expected locked, got \(String(describing: error))")
        return
      }
      #expect(path == workspace.lockPath(for: id))
      #expect(holder.hasPrefix("dana on laptop-7 (accord complete) since 20"), "\(holder)")
      #expect(error?.code == "locked")
      #expect(waited >= .milliseconds(300))
      // Gave up at the timeout rather than waiting for the holder (generous: machines are noisy).
      #expect(waited < .seconds(30))
      #expect(try bytes(workspace) == before)

      // Released: the waiting command now goes through, and the holder's note is cleared.
      try waiting.update(id) { $0.name = "Acme Group" }
      #expect(try workspace.read(id).name == "Acme Group")
      #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.lockPath(for: id))).isEmpty)
    }
  }
}
