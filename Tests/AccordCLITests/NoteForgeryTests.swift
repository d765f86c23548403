import Foundation
import ProgrammeEngine
import Testing
import WorkspaceStore

/// Issue 19, section 2, through the built binary: no note or name forges a line of history
/// or sends a terminal an escape; a file written before the rules still reads, shown escaped;
/// the audit CSV never hands a spreadsheet a formula.
@Suite("Commands: names and notes cannot forge history")
struct NoteForgeryTests {
  static let untimed = ViaLogTests.untimed
  /// The line the attacker's note tried to pass off as a signature.
  static let forged = "2026-12-06T10:00:00Z  sam  signed  collaboration-charter as head-of-sales (via web)"

  static func started() throws -> AccordBinary {
    let accord = try AccordBinary()
    let start = try accord("start", "acme", "--name", "Acme Ltd", "--playbook", Self.untimed)
    try #require(start.status == 0, "\(start.stderr)")
    return accord
  }

  /// Appends `event` as an Accord before these rules would have written it: straight into
  /// the file, chained, with no rule of today's to stop it.
  static func storeAsBefore(_ accord: AccordBinary, _ event: Event, assigning: (String, String)? = nil) throws {
    let workspace = Workspace(directory: accord.workspace, lockTimeout: .seconds(10), holder: "test")
    try workspace.update(try ClientID("acme")) { record in
      record.events.append(event)
      if let (role, person) = assigning { record.assignments[role] = person }
    }
  }

  static func errorCode(_ run: AccordBinary.Run) throws -> String? {
    let object = try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: Any]
    return (object?["error"] as? [String: Any])?["code"] as? String
  }

  // MARK: Notes

  @Test func aNoteThatReturnsToTheStartOfTheLineIsRefused() throws {
    let accord = try Self.started()
    let before = try accord.stateFile("acme")
    let run = try accord("complete", "acme", "stakeholder-map", "--note", "done\r" + Self.forged)
    #expect(run.status == 64)
    #expect(run.stderr.contains("a carriage return (U+000D) at character 5"), "\(run.stderr)")
    #expect(try accord.stateFile("acme") == before)
  }

  @Test func aMultiLineNoteIsIndentedUnderItsEventAndNeverBeginsALine() throws {
    let accord = try Self.started()
    let done = try accord("complete", "acme", "stakeholder-map", "--note", "done\n" + Self.forged)
    #expect(done.status == 0, "\(done.stderr)")
    let log = try accord("log", "acme")
    let lines = log.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    #expect(lines[1].contains("completed") && lines[1].hasSuffix("(done"))
    #expect(lines[2].hasPrefix("    ") && lines[2].hasSuffix(Self.forged + ")"))
    // Only the two real events begin a line.
    #expect(lines.filter { $0.hasPrefix("20") }.count == 2)
    let show = try accord("show", "acme", "stakeholder-map")
    #expect(!show.stdout.split(separator: "\n").contains { $0.hasPrefix(Self.forged.prefix(10)) })
  }

  @Test func anEscapeInANoteIsRefusedAndAnOldOneIsPrintedEscaped() throws {
    let accord = try Self.started()
    let before = try accord.stateFile("acme")
    let refused = try accord("complete", "acme", "stakeholder-map", "--note", "ok\u{1B}[2J\u{7}", "--json")
    #expect(refused.status == 64)
    #expect(try Self.errorCode(refused) == "invalid-note")
    #expect(refused.stderr.contains("U+001B"))
    #expect(try accord.stateFile("acme") == before)

    try Self.storeAsBefore(
      accord, Event(.completed(milestone: "stakeholder-map"), by: "alice", at: Date(), note: "ok\u{1B}[2J\u{7}\0"))
    for arguments in [["log", "acme"], ["show", "acme", "stakeholder-map"], ["status", "acme"]] {
      let run = try accord.run(arguments)
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
      #expect(!run.stdout.utf8.contains { $0 < 0x20 && $0 != 0x0A }, "\(arguments) printed a raw control character")
    }
    #expect(try accord("log", "acme").stdout.contains(#"(ok\u{1B}[2J\u{7}\u{0})"#))
    // The file still checks: nothing in it is refused for breaking today's rules.
    #expect(try accord("check", "acme").status == 0)
  }

  @Test func aNoteHoldsAtMost2000Characters() throws {
    let accord = try Self.started()
    let long = try accord("complete", "acme", "stakeholder-map", "--note", String(repeating: "n", count: 2_001), "--json")
    #expect(long.status == 64)
    #expect(try Self.errorCode(long) == "invalid-note")
    #expect(long.stderr.contains("2001 characters long, the limit is 2000"))
    let fits = try accord("complete", "acme", "stakeholder-map", "--note", String(repeating: "n", count: 2_000))
    #expect(fits.status == 0, "\(fits.stderr)")
  }

  // MARK: Names

  @Test func aBidiOverrideInANameIsRefusedWithItsPositionWherePeopleAreNamed() throws {
    let accord = try Self.started()
    let before = try accord.stateFile("acme")
    let name = "sa\u{202E}m"
    let runs = [
      try accord("assign", "acme", "czar", name),
      try accord("complete", "acme", "stakeholder-map", "--by", name),
      try accord("complete", "acme", "stakeholder-map", as: name),
      try accord("delegate", "acme", "consultant", name, "--until", "2099-01-01", "--reason", "away"),
    ]
    for run in runs {
      #expect(run.status == 64, "\(run.stdout)\(run.stderr)")
      #expect(run.stderr.contains("has a right-to-left override (U+202E) at character 3"), "\(run.stderr)")
      #expect(!run.stderr.unicodeScalars.contains("\u{202E}"), "the refusal printed the override raw")
    }
    #expect(try accord.stateFile("acme") == before)
    let json = try accord("assign", "acme", "czar", "zero\u{200B}width", "--json")
    #expect(try Self.errorCode(json) == "invalid-person", "\(json.stderr)")
    let client = try accord("start", "beta", "--name", "Be\u{202E}ta")
    #expect(client.status == 64)
    #expect(client.stderr.contains("client name 'Be\\u{202E}ta' has a right-to-left override (U+202E) at character 3"))
  }

  @Test func anOldNameWithAnOverrideIsShownEscaped() throws {
    let accord = try Self.started()
    try Self.storeAsBefore(
      accord, Event(.assigned(role: "czar", person: "ca\u{202E}lor"), by: "alice", at: Date()),
      assigning: ("czar", "ca\u{202E}lor"))
    for arguments in [["log", "acme"], ["status", "acme"]] {
      let run = try accord.run(arguments)
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stdout.contains("ca\\u{202E}lor"), "\(arguments): \(run.stdout)")
      #expect(!run.stdout.unicodeScalars.contains("\u{202E}"))
    }
  }

  @Test func aSurveyFileWithAnOverrideInARespondentIsRefusedWithItsPlace() throws {
    let accord = try AccordBinary()
    #expect(try accord("start", "acme").status == 0)
    let example = AccordBinary.packageRoot.appendingPathComponent("docs/examples/acme-survey-round-1.csv")
    var lines = try String(contentsOf: example, encoding: .utf8)
      .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
    lines[1] = "r\u{202E}1" + lines[1].drop { $0 != "," }
    let file = accord.folder.appendingPathComponent("answers.csv")
    try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    let before = try accord.stateFile("acme")
    let run = try accord("survey", "import", "acme", file.path)
    #expect(run.status != 0)
    #expect(run.stderr.contains("answers.csv:2:1:"), "\(run.stderr)")
    #expect(run.stderr.contains("has a right-to-left override (U+202E) at character 2"), "\(run.stderr)")
    #expect(try accord.stateFile("acme") == before)
  }

  // MARK: CSV

  @Test func aCellASpreadsheetWouldTakeForAFormulaIsWrittenAsText() throws {
    let accord = try Self.started()
    #expect(try accord("assign", "acme", "czar", "=cmd|' /C calc'!A0").status == 0)
    for note in ["=1+2", "+1", "-2+3", "@SUM(A1)"] {
      try Self.storeAsBefore(accord, Event(.completed(milestone: "stakeholder-map"), by: "alice", at: Date(), note: note))
      try Self.storeAsBefore(accord, Event(.reopened(milestone: "stakeholder-map"), by: "alice", at: Date(), note: "again"))
    }
    try Self.storeAsBefore(accord, Event(.completed(milestone: "stakeholder-map"), by: "alice", at: Date(), note: "\tx"))
    let csv = try accord("log", "acme", "--format", "csv")
    #expect(csv.status == 0, "\(csv.stderr)")
    for cell in ["'=1+2", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'=cmd|' /C calc'!A0"] {
      #expect(csv.stdout.contains("," + cell + ",") || csv.stdout.contains(",\"" + cell), "no \(cell) in \(csv.stdout)")
    }
    #expect(!csv.stdout.contains(",=") && !csv.stdout.contains(",+") && !csv.stdout.contains(",@"))
    #expect(!csv.stdout.contains(",-2"))
  }

  // MARK: Hand-over

  @Test func handingOverTheConsultantRoleFromAScriptNeedsYes() throws {
    let accord = try Self.started()
    let before = try accord.stateFile("acme")
    let refused = try accord("assign", "acme", "consultant", "bob", "--json")
    #expect(refused.status == 1)
    #expect(try Self.errorCode(refused) == "confirmation-required")
    #expect(refused.stderr.contains("alice will no longer be acme's consultant"))
    #expect(try accord.stateFile("acme") == before)
    let done = try accord("assign", "acme", "consultant", "bob", "--yes")
    #expect(done.status == 0, "\(done.stderr)")
    #expect(done.stdout.contains("bob now holds the role 'consultant' on acme (was alice)"))
    // Any other role changes hands as before.
    #expect(try accord("assign", "acme", "czar", "carol", as: "bob").status == 0)
  }

  @Test(arguments: [("y\n", true), ("n\n", false)])
  func onATerminalTheHandOverIsAsked(answer: String, handedOver: Bool) throws {
    let accord = try Self.started()
    let before = try accord.stateFile("acme")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    let command = [accord.executable.path, "assign", "acme", "consultant", "bob"].joined(separator: " ")
    process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
    process.environment = accord.environment(as: "alice")
    let input = Pipe.unshared()
    let output = Pipe.unshared()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = output
    try process.run()
    // Answered once the question is up, as a person would.
    Thread.sleep(forTimeInterval: 1)
    input.fileHandleForWriting.write(Data(answer.utf8))
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(printed.contains("alice will no longer be acme's consultant"), "\(printed)")
    #expect(printed.contains("Hand over the role 'consultant' to bob? [y/N]"))
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let holder = (status["assignments"] as? [String: String])?["consultant"]
    #expect(holder == (handedOver ? "bob" : "alice"))
    #expect(process.terminationStatus == (handedOver ? 0 : 1))
    if !handedOver { #expect(try accord.stateFile("acme") == before) }
  }
}
