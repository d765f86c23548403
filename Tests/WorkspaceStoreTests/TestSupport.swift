import Foundation
import ProgrammeEngine
import Synchronization
import Testing

@testable import WorkspaceStore

/// A fresh folder under the system's temporary folder, removed after `body`. The workspace
/// itself is a subfolder that does not exist yet, so `create` has to make it.
func withWorkspace<T>(
  lockTimeout: Duration = .seconds(10), _ body: (Workspace) throws -> T
) throws -> T {
  let root = FileManager.default.temporaryDirectory
    .appendingPathComponent("accord-store-tests-\(UUID().uuidString)", isDirectory: true)
  defer { try? FileManager.default.removeItem(at: root) }
  let workspace = Workspace(
    directory: root.appendingPathComponent("workspace", isDirectory: true),
    lockTimeout: lockTimeout, holder: "test runner")
  return try body(workspace)
}

/// A small playbook text; its exact content only matters to the fingerprint.
let sampleSource = """
  id: sales-marketing-alignment
  version: 1
  title: Sales and marketing alignment
  roles:
    - {id: consultant, title: Consultant}
    - {id: czar, title: Collaboration czar}
  stages:
    - id: benchmark
      milestones: [benchmark-survey]

  """

func time(_ text: String) -> Date {
  Timestamp.parse(text)!
}

/// A client part-way through its programme: started, czar assigned, a milestone done and
/// one signature.
func sampleRecord(_ raw: String = "acme") throws -> ClientRecord {
  let playbook = StoredPlaybook(
    id: "sales-marketing-alignment", version: 1, title: "Sales and marketing alignment",
    origin: "playbooks/alignment.yaml", source: sampleSource)
  return ClientRecord(
    client: try ClientID(raw), name: "Acme Ltd", uid: "6f1c2b1e-8f7a-4c2e-9d3b-2a4f5e6d7c8b",
    playbook: playbook, assignments: ["consultant": "dana", "czar": "sam"],
    events: [
      Event(.started(client: raw, name: "Acme Ltd"), by: "dana", at: time("2026-11-02T09:00:00Z")),
      Event(.assigned(role: "czar", person: "sam"), by: "dana", at: time("2026-11-03T10:15:00Z")),
      Event(
        .completed(milestone: "benchmark-survey"), by: "sam", at: time("2026-11-20T15:30:00Z"),
        note: "42 of 45 staff answered"),
      Event(
        .signed(agreement: "charter", role: "head-of-sales"), by: "lee",
        at: time("2026-11-26T16:40:05Z")),
    ])
}

/// The client's file, byte for byte.
func bytes(_ workspace: Workspace, _ raw: String = "acme") throws -> Data {
  try Data(contentsOf: workspace.fileURL(for: try ClientID(raw)))
}

/// Everything in the workspace folder, hidden files included, sorted.
func folderListing(_ workspace: Workspace) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: workspace.directory.path).sorted()
}

/// Leftover temporary files: there must never be any after a command returns.
func temporaryFiles(_ workspace: Workspace) throws -> [String] {
  try folderListing(workspace).filter { $0.contains(".tmp-") }
}

/// An event to append in an update.
func completion(_ milestone: String) -> Event {
  Event(.completed(milestone: milestone), by: "sam", at: time("2026-12-01T09:00:00Z"))
}

/// The permission bits of the file or folder at `path`.
func mode(_ path: String) throws -> Int {
  let attributes = try FileManager.default.attributesOfItem(atPath: path)
  return try #require(attributes[.posixPermissions] as? Int)
}

/// Runs `body(0..<count)` on `count` threads of its own and waits for them all. Real
/// threads rather than tasks, because the store blocks while it waits for a lock.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
  let finished = DispatchSemaphore(value: 0)
  for index in 0..<count {
    Thread {
      body(index)
      finished.signal()
    }.start()
  }
  for _ in 0..<count { finished.wait() }
}

/// Collects values from several threads.
final class Collector<Value: Sendable>: Sendable {
  private let values = Mutex<[Value]>([])
  func add(_ value: Value) { values.withLock { $0.append(value) } }
  var all: [Value] { values.withLock { $0 } }
}

extension Event {
  /// The event without its link in the hash chain, as the engine made it before the store
  /// wrote it.
  var unlinked: Event {
    var event = self
    event.previous = nil
    return event
  }
}
