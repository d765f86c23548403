import Foundation
import ProgrammeEngine
import Testing
import WorkspaceStore

@testable import AccordCLI
@testable import AccordKit

/// Changes made through the server (`Desk.apply(..., via:)`, as `accord serve` will make
/// them): the event records its door, `log` shows it, and the file becomes format 3.
@Suite("Commands: changes made through the server")
struct ViaLogTests {
  /// The standard playbook before it had times: a client on one keeps the oldest format
  /// that holds it (a timed client is format 4 whatever its doors).
  static let untimed = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures/valid/alignment-v1.yaml").path

  /// A started client, then one change through each door, made through the desk as the
  /// server makes them.
  static func clientChangedThroughTheServer() throws -> AccordBinary {
    let accord = try AccordBinary()
    try #require(try accord("start", "acme", "--name", "Acme Ltd", "--playbook", Self.untimed).status == 0)
    let desk = Desk(workspace: Workspace(directory: accord.workspace, lockTimeout: .seconds(10), holder: "test"))
    let id = try ClientID("acme")
    _ = try desk.apply(.completed(milestone: "stakeholder-map"), to: id, by: "alice", via: .web)
    _ = try desk.apply(to: id, by: "alice", note: "from a script", via: .api) { _ in
      .assigned(role: "czar", person: "carol")
    }
    return accord
  }

  @Test func logShowsTheDoorOnItsEventsLineAndNowhereElse() throws {
    let accord = try Self.clientChangedThroughTheServer()
    let run = try accord("log", "acme")
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    #expect(lines[0].contains("started") && !lines[0].contains("via"))
    #expect(lines[1].contains("completed") && lines[1].hasSuffix("stakeholder-map (via web)"))
    #expect(lines[2].contains("assigned") && lines[2].contains("czar -> carol (via api)  (from a script)"))
  }

  @Test func logJSONCarriesItAsStored() throws {
    let accord = try Self.clientChangedThroughTheServer()
    let events = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(events.map { $0["via"] as? String } == [nil, "web", "api"])
    #expect(events[0].keys.contains("via") == false)
  }

  @Test func theFileIsFormat3AndChecksClean() throws {
    let accord = try Self.clientChangedThroughTheServer()
    let file = try #require(try JSONSerialization.jsonObject(with: accord.stateFile("acme")) as? [String: Any])
    // A client started by this Accord gives its events ids: format 6, which holds `via` as 3
    // does (ViaFieldTests holds a file with `via` alone to 3).
    #expect(file["format"] as? Int == 6)
    let check = try accord("check", "acme")
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    // The command line's own changes after it leave `via` out, and the file's format as it was.
    let assign = try accord("assign", "acme", "sales-manager", "sean")
    #expect(assign.status == 0, "\(assign.stderr)")
    let events = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(events.map { $0["via"] as? String } == [nil, "web", "api", nil])
    let after = try #require(try JSONSerialization.jsonObject(with: accord.stateFile("acme")) as? [String: Any])
    #expect(after["format"] as? Int == 6)
    #expect(try accord("check", "acme").status == 0)
  }

  /// The audit CSV keeps its nine documented columns (pinned by the format-2 compatibility
  /// fixture); each row's event hash covers `via`.
  @Test func theAuditExportKeepsItsColumns() throws {
    let accord = try Self.clientChangedThroughTheServer()
    let run = try accord("log", "acme", "--format", "csv")
    #expect(run.status == 0, "\(run.stderr)")
    let rows = run.stdout.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(rows.count == 4)
    #expect(rows.allSatisfy { $0.count == 9 })
  }

  /// Nothing the command line writes records a door.
  @Test func theCommandLineRecordsNone() throws {
    let accord = try AccordBinary()
    #expect(try accord("start", "acme", "--playbook", Self.untimed).status == 0)
    #expect(try accord("complete", "acme", "stakeholder-map").status == 0)
    let events = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(events.allSatisfy { $0["via"] == nil })
    // Format 6 for its events' ids, and for nothing a door would need.
    let file = try #require(try JSONSerialization.jsonObject(with: accord.stateFile("acme")) as? [String: Any])
    #expect(file["format"] as? Int == 6)
    #expect(!String(decoding: try accord.stateFile("acme"), as: UTF8.self).contains("\"via\""))
  }
}
