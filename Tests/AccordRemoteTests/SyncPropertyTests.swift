import AccordKit
import Foundation
import ProgrammeEngine
import SeededRandom
import Testing
import WorkspaceStore

@testable import AccordRemote

/// Random interleavings of changes made online and offline by several people on several
/// laptops (upgrades to other playbook versions among them), of syncs cut off, of changes
/// made on the server meanwhile, and of a person losing their role or their access: afterwards the server's history is one the engine replays,
/// every change a laptop's engine accepted was kept by the server exactly once or is in that
/// laptop's record of rejected changes (never both, never neither), and every laptop's copy
/// is the server's. 1,000 runs; `ACCORD_SOAK=1` runs 20,000; `ACCORD_SYNC_SEED` replays one.
@Suite struct SyncPropertyTests {
  static let milestones = [
    "stakeholder-map", "collaboration-survey", "sales-baseline", "marketing-baseline", "benchmark-findings",
    "findings-presented",
  ]

  @Test func everyChangeIsKeptOnceOrRefusedAndEveryCopyEndsAsTheServer() async throws {
    if let text = ProcessInfo.processInfo.environment["ACCORD_SYNC_SEED"], let seed = UInt64(text) {
      try await Self.run(seed: seed)
      return
    }
    let base = SeededRandom.seed(for: "SyncPropertyTests")
    var outcomes: [String: Int] = [:]
    for run in 0..<UInt64(Soak.count(1_000, soak: 20_000)) {
      outcomes.merge(try await Self.run(seed: base &+ run), uniquingKeysWith: +)
    }
    // The runs met every outcome: changes appended, kept by an earlier push, and refused.
    #expect(outcomes["appended", default: 0] > 100 && outcomes["kept", default: 0] > 10, "\(outcomes)")
    #expect(outcomes["refused", default: 0] > 50, "\(outcomes)")
    #expect(outcomes["upgrade appended", default: 0] > 50 && outcomes["upgrade refused", default: 0] > 0, "\(outcomes)")
  }

  @discardableResult
  static func run(seed: UInt64) async throws -> [String: Int] {
    var random = SeededRandom(seed: seed)
    let server = try StandInServer()
    try server.start("acme", consultant: "cora")
    try await server.change("acme", by: "cora", .assigned(role: "czar", person: "zed"))
    server.grant("zed", "acme")
    // Cora on two laptops, Zed on one.
    let devices = [Device(server, as: "cora"), Device(server, as: "cora"), Device(server, as: "zed")]
    for device in devices { try await device.sync() }

    for _ in 0..<Int.random(in: 4...14, using: &random) {
      let device = devices.randomElement(using: &random)!
      switch Int.random(in: 0..<100, using: &random) {
      case 0..<15:
        device.link.online.toggle()
      case 15..<55:
        let milestone = milestones.randomElement(using: &random)!
        if Bool.random(using: &random) {
          try device.make("acme", .completed(milestone: milestone))
        } else {
          try device.make("acme", note: "done again", .reopened(milestone: milestone))
        }
      case 55..<80:
        device.link.dropNextAnswer = Int.random(in: 0..<4, using: &random) == 0
        try await device.sync()
      case 80..<90:
        // Someone on the server's pages meanwhile.
        let milestone = milestones.randomElement(using: &random)!
        _ = try? await server.change("acme", by: "cora", note: "seen on the web", .reopened(milestone: milestone))
      case 90..<95:
        // A move to another version of the playbook, forced or not, by whoever holds the laptop.
        let target = Bool.random(using: &random) ? StandInServer.version4 : StandInServer.version5
        try await device.upgrade("acme", to: target, force: Bool.random(using: &random))
      case 95..<97:
        // The czar's role passes to someone else, or back.
        let czar = Bool.random(using: &random) ? "yan" : "zed"
        _ = try? await server.change("acme", by: "cora", .assigned(role: "czar", person: czar))
      default:
        server.revoke("zed", "acme")
      }
    }
    for device in devices {
      device.link.online = true
      device.link.dropNextAnswer = false
    }
    // Everyone syncs, then everyone again, so each copy has every other's changes.
    for device in devices { try await device.sync() }
    for device in devices { try await device.sync() }

    let history = try server.history("acme")
    let record = try server.workspace.read(try ClientID("acme"))
    #expect(throws: Never.self, "seed \(seed): the server's history replays") { try record.verifiedProgramme() }
    var counts: [String: Int] = [:]
    for event in history { counts[event.id ?? "", default: 0] += 1 }
    #expect(counts.values.allSatisfy { $0 == 1 }, "seed \(seed): an event kept twice")
    for device in devices {
      let rejected = Set(try device.rejected().map(\.id))
      for (id, _) in device.made {
        let kept = counts[id] ?? 0
        #expect(
          (kept == 1) != rejected.contains(id),
          "seed \(seed): \(id) by \(device.person) kept \(kept) times, rejected: \(rejected.contains(id))")
      }
      let state = try device.replica.state()
      if try server.sees(device.person, "acme") && record.verifiedProgramme().keepsRoster(device.person) {
        #expect(try device.events("acme") == history, "seed \(seed): \(device.person)'s copy is not the server's")
        #expect(state.clients["acme"] == history.count)
      } else {
        #expect(try device.events("acme") == nil, "seed \(seed): a copy \(device.person) may no longer keep")
      }
      #expect(try Sync.waiting(in: device.replica.workspace(), state: state) == 0, "seed \(seed)")
    }
    return devices.map(\.outcomes).reduce(into: [:]) { $0.merge($1, uniquingKeysWith: +) }
  }
}
