import Foundation
import ProgrammeEngine
import Testing
import WorkspaceStore

@Suite("End to end: commands, files and exit codes")
struct CommandLineTests {
  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
  }

  @Test func anInstalledBinaryCarriesTheStandardPlaybook() throws {
    // The binary copied alone into another folder, run from yet another.
    let install = try AccordBinary.temporaryFolder().appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: install, withIntermediateDirectories: true)
    let copy = install.appendingPathComponent("accord")
    try FileManager.default.copyItem(at: AccordBinary.executable, to: copy)
    var installed = accord
    installed.executable = copy
    let run = try installed("start", "acme")
    #expect(run.status == 0, "\(run.stderr)")

    // The client runs on exactly the text of playbooks/alignment.yaml.
    let source = try Data(contentsOf: AccordBinary.packageRoot.appendingPathComponent("playbooks/alignment.yaml"))
    let record = try #require(try JSONSerialization.jsonObject(with: try accord.stateFile("acme")) as? [String: Any])
    let playbook = try #require(record["playbook"] as? [String: Any])
    #expect(playbook["source"] as? String == String(decoding: source, as: UTF8.self))
    #expect(playbook["sha256"] as? String == SHA256.hex(source))
    #expect(playbook["id"] as? String == "sales-marketing-alignment")
  }

  @Test func startingAClientThatExistsIsRefusedAndLeavesItAlone() throws {
    #expect(try accord("start", "acme").status == 0)
    let before = try accord.stateFile("acme")
    let again = try accord("start", "acme", "--name", "Other", as: "bob")
    #expect(again.status == 1)
    #expect(again.stderr.contains("acme"))
    #expect(try accord.stateFile("acme") == before)
  }

  static let badInput: [([String], Int32)] = [
    (["next", "../etc"], 64), (["next", "a/b"], 64), (["next", String(repeating: "x", count: 65)], 64),
    (["next", "nobody"], 66), (["status", "nobody"], 66), (["frobnicate"], 64),
    (["next", "acme", "--role", "sales", "--person", "sam"], 64),
    (["validate", "no-such-file.yaml"], 66), (["start", "acme", "--playbook", "missing.yaml"], 66),
  ]

  @Test(arguments: badInput)
  func badInputExitsWithItsCode(arguments: [String], code: Int32) throws {
    let run = try accord.run(arguments)
    #expect(run.status == code, "\(arguments): \(run.stderr)")
    #expect(!run.stderr.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: accord.workspace.appendingPathComponent("acme.json").path))
  }

  @Test func anUnreadableStateFileIsReportedAndNeverOverwritten() throws {
    #expect(try accord("start", "acme").status == 0)
    let file = accord.workspace.appendingPathComponent("acme.json")
    let garbage = Data("{\"format\": 1, \"client\": \"acme\", \"events\": [".utf8)
    try garbage.write(to: file)
    for arguments in [["next", "acme"], ["assign", "acme", "czar", "carol"], ["status", "acme", "--json"]] {
      let run = try accord.run(arguments)
      #expect(run.status == 65, "\(arguments)")
      #expect(run.stderr.contains(file.path))
    }
    #expect(try Data(contentsOf: file) == garbage)
    let clients = try accord("clients")
    #expect(clients.status == 65)
  }

  @Test func validateReportsEveryProblemWithItsLocation() throws {
    let fixtures = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures")
    let invalid = try FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("invalid").path)
      .filter { $0.hasSuffix(".yaml") }.sorted()
    #expect(!invalid.isEmpty)
    for name in invalid {
      let path = fixtures.appendingPathComponent("invalid/\(name)").path
      let run = try accord("validate", path)
      #expect(run.status == 65, "\(name)")
      let lines = run.stderr.split(separator: "\n")
      #expect(!lines.isEmpty)
      for line in lines {
        #expect(line.hasPrefix("\(path):"), "\(line)")
        #expect(line.contains(": error: "), "\(line)")
      }
    }
    let standard = AccordBinary.packageRoot.appendingPathComponent("playbooks/alignment.yaml").path
    let valid = try accord("validate", standard)
    #expect(valid.status == 0, "\(valid.stderr)")
    #expect(valid.stdout.contains("\(standard): valid: 4 stages"))
  }

  @Test func jsonOutputKeepsItsContract() throws {
    #expect(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    #expect(try accord("assign", "acme", "czar", "carol", "--note-free").status == 64)

    let next = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
    #expect(next["client"] as? String == "acme")
    let action = try #require((next["actions"] as? [[String: Any]])?.first)
    #expect(Set(action.keys).isSuperset(of: ["kind", "target", "stage", "role", "person"]))
    #expect(next["blocked"] is [Any])

    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    #expect(status["client"] as? String == "acme")
    let stages = try #require(status["stages"] as? [[String: Any]])
    #expect(stages.map { $0["id"] as? String } == ["benchmark", "coaching", "implementation", "sustain"])
    #expect(stages.map { $0["state"] as? String } == ["active", "locked", "locked", "locked"])
    let milestone = try #require((stages[0]["milestones"] as? [[String: Any]])?.first)
    #expect(milestone["state"] as? String == "ready")
    let agreements = try #require(status["agreements"] as? [[String: Any]])
    #expect(agreements.map { $0["id"] as? String }.contains("collaboration-charter"))
    #expect(agreements.allSatisfy { $0["state"] as? String == "open" && ($0["signatures"] as? [Any])?.isEmpty == true })

    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.count == 1)
    #expect(log[0]["type"] as? String == "started")
    #expect(log[0]["by"] as? String == "alice")

    let clients = try #require(try accord("clients", "--json").json() as? [[String: Any]])
    #expect(clients.count == 1)
    #expect(clients[0]["client"] as? String == "acme")
    #expect(clients[0]["stage"] as? String == "benchmark")
    #expect(clients[0]["progress"] as? Int == 0)
    #expect((clients[0]["actions"] as? Int ?? 0) > 0)
  }

  @Test func byDefaultsToAccordUserThenTheFlag() throws {
    #expect(try accord("start", "acme", as: "alice").status == 0)
    let assign = try accord(
      "assign", "acme", "czar", "carol", "--by", "alice", "--note", "agreed at kick-off", as: "someone-else")
    #expect(assign.status == 0)
    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.map { $0["by"] as? String } == ["alice", "alice"])
    #expect(log.map { $0["note"] as? String } == [nil, "agreed at kick-off"])
  }

  @Test(arguments: [
    [], ["start"], ["assign"], ["next"], ["status"], ["complete"], ["sign"], ["revoke"], ["reopen"],
    ["log"], ["clients"], ["validate"],
  ])
  func everyCommandExplainsItself(command: [String]) throws {
    let run = try accord.run(command + ["--help"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("USAGE: accord"))
    #expect(run.stdout.contains("OVERVIEW:"))
  }

  @Test func versionPrints() throws {
    let run = try accord("--version")
    #expect(run.status == 0)
    #expect(!run.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
  }
}
