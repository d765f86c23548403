import Foundation
import Glibc
import Synchronization
import Testing
import WorkspaceStore

/// Many processes changing one client at the same moment lose nothing and duplicate
/// nothing, and a client next door is not disturbed.
@Suite("Reliability: concurrent writers")
struct ConcurrentWritersTests {
  static let writers = 8
  static let commandsEach = 50

  /// Each writer has a role and a milestone of its own, so all its commands are accepted
  /// whatever the others do: hand its role to someone new, complete its milestone, reopen it.
  static var playbook: String {
    let roles = (0..<writers).map { "  r\($0): Role \($0)" }.joined(separator: "\n")
    let milestones = (0..<writers).map { "      - {id: m\($0), title: M\($0), owner: consultant}" }
      .joined(separator: "\n")
    return """
      playbook: concurrency
      version: 1
      title: Concurrency
      roles:
        consultant: Consultant
      \(roles)
      stages:
        - id: one
          title: One
          milestones:
      \(milestones)
            - {id: never, title: Never done, owner: consultant}
        - id: two
          title: Two
          milestones:
            - {id: later, title: Later, owner: consultant}

      """
  }

  /// One command as a writer issued it, with when it started and ended (monotonic ns).
  struct Outcome: Sendable {
    var writer: Int
    var note: String
    var ending: Child.Ending
    var start: UInt64
    var end: UInt64
    var stderr: String
  }

  static func arguments(client: String, writer: Int, index: Int) -> [String] {
    let note = "\(client)-w\(writer)-\(index)"
    // The neighbour's writer is alone on its client: it can use the first role and milestone.
    let own = writer % writers
    switch index % 3 {
    case 0: return ["assign", client, "r\(own)", "p\(writer)-\(index)", "--note", note]
    case 1: return ["complete", client, "m\(own)", "--note", note]
    default: return ["reopen", client, "m\(own)", "--reason", note]
    }
  }

  static func notes(_ accord: AccordBinary, _ client: String) throws -> (notes: [String], revision: Int) {
    let (record, programme) = try Workspace(directory: accord.workspace).programme(try ClientID(client))
    return (programme.history.dropFirst().map { $0.note ?? "" }, record.revision)
  }

  @Test func eightWritersLoseNothingAndANeighbourIsUndisturbed() throws {
    let accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("concurrency.yaml")
    try Self.playbook.write(to: path, atomically: true, encoding: .utf8)
    for client in ["acme", "beta"] {
      let start = try accord("start", client, "--playbook", path.path)
      #expect(start.status == 0, "\(start.stderr)")
    }

    // Writers 0-7 on acme, writer 8 on beta, all at once. A generous lock timeout: on two
    // busy cores a command may wait behind many others.
    let outcomes = Mutex<[Outcome]>([])
    let failures = Mutex<[String]>([])
    let finished = DispatchSemaphore(value: 0)
    for writer in 0...Self.writers {
      Thread {
        let client = writer == Self.writers ? "beta" : "acme"
        for index in 0..<Self.commandsEach {
          let arguments = Self.arguments(client: client, writer: writer, index: index)
          let start = monotonicNow()
          do {
            let child = try accord.start(arguments, environment: ["ACCORD_LOCK_TIMEOUT": "600"])
            let ending = child.wait().ending
            let outcome = Outcome(
              writer: writer, note: arguments.last!, ending: ending, start: start, end: monotonicNow(),
              stderr: child.stderr)
            outcomes.withLock { $0.append(outcome) }
          } catch {
            failures.withLock { $0.append("\(arguments): \(error)") }
          }
        }
        finished.signal()
      }.start()
    }
    for _ in 0...Self.writers { finished.wait() }
    #expect(failures.withLock { $0 }.isEmpty)

    let all = outcomes.withLock { $0 }
    let acme = all.filter { $0.writer < Self.writers }
    for outcome in all where outcome.ending != .exited(0) {
      Issue.record("\(outcome.note) ended with \(outcome.ending): \(outcome.stderr)")
    }
    let succeeded = acme.filter { $0.ending == .exited(0) }
    let (history, revision) = try Self.notes(accord, "acme")

    // Every command that exited 0 is there exactly once; nothing else is.
    #expect(history.count == Set(history).count, "no event twice")
    #expect(Set(history) == Set(succeeded.map(\.note)))
    #expect(revision == 1 + succeeded.count)
    // Each writer's commands in the order it issued them.
    for writer in 0..<Self.writers {
      let mine = history.filter { $0.hasPrefix("acme-w\(writer)-") }
      let issued = succeeded.filter { $0.writer == writer }.map(\.note)
      #expect(mine == issued, "writer \(writer)")
    }
    // And in an order consistent with what every process saw: a command that ended before
    // another began comes before it in the history.
    let byNote = Dictionary(uniqueKeysWithValues: succeeded.map { ($0.note, $0) })
    var latestStart: (UInt64, String) = (0, "")
    for note in history {
      guard let outcome = byNote[note] else { continue }
      #expect(outcome.end >= latestStart.0, "\(note) ended before \(latestStart.1) began, yet comes after it")
      if outcome.start > latestStart.0 { latestStart = (outcome.start, note) }
    }

    // The neighbour: exactly its own commands, in order.
    let beta = try Self.notes(accord, "beta")
    #expect(beta.notes == (0..<Self.commandsEach).map { "beta-w\(Self.writers)-\($0)" })
    #expect(beta.revision == 1 + Self.commandsEach)
    let check = try accord("check")
    #expect(check.status == 0, "\(check.stdout)")
    print(
      "concurrent writers: \(Self.writers) x \(Self.commandsEach) commands on acme and "
        + "\(Self.commandsEach) on beta at once: \(succeeded.count) of \(acme.count) succeeded on acme, "
        + "history of \(history.count) events, revision \(revision)")
  }
}
