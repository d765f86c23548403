import Foundation
import Testing

/// The benchmark step through the built binary: template, import, benchmark, evidence.
@Suite("End to end: the survey and the benchmark")
struct SurveyEndToEndTests {
  let accord: AccordBinary
  static let examples = AccordBinary.packageRoot.appendingPathComponent("docs/examples")
  static let roundOne = examples.appendingPathComponent("acme-survey-round-1.csv").path
  static let afterPilot = examples.appendingPathComponent("acme-survey-after-pilot.csv").path

  init() throws {
    accord = try AccordBinary()
    let start = try accord("start", "acme", "--name", "Acme Ltd")
    #expect(start.status == 0, "\(start.stderr)")
  }

  func write(_ text: String, to name: String) throws -> String {
    let url = accord.folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  /// The standard survey's header, from the template.
  func header() throws -> String {
    let run = try accord("survey", "template", "acme")
    #expect(run.status == 0, "\(run.stderr)")
    return run.stdout.trimmingCharacters(in: .newlines)
  }

  @Test func theTemplateIsTheHeaderAndOutRefusesToOverwrite() throws {
    let header = try header()
    #expect(header.hasPrefix("respondent,team,level,goals-lead,goals-target,"))
    #expect(header.split(separator: ",").count == 3 + 26)

    let out = accord.folder.appendingPathComponent("acme.csv").path
    let written = try accord("survey", "template", "acme", "--out", out)
    #expect(written.status == 0, "\(written.stderr)")
    #expect(written.stdout.contains("Wrote \(out): respondent, team, level and 26 statements."))
    #expect(written.stdout.contains("trust-credit     Each team gives the other credit for its share of a win."))
    #expect(try String(contentsOfFile: out, encoding: .utf8) == header + "\r\n")

    try Data("filled in".utf8).write(to: URL(fileURLWithPath: out))
    let again = try accord("survey", "template", "acme", "--out", out)
    #expect(again.status == 73)
    #expect(again.stderr.contains("already exists; use --force"))
    #expect(try String(contentsOfFile: out, encoding: .utf8) == "filled in")
    #expect(try accord("survey", "template", "acme", "--out", out, "--force").status == 0)
    #expect(try String(contentsOfFile: out, encoding: .utf8) == header + "\r\n")
  }

  @Test func anInvalidFileIsReportedByRowAndColumnAndNothingIsRecorded() throws {
    let header = try header()
    let fours = Array(repeating: "4", count: 26).joined(separator: ",")
    let file = try write(
      header + "\nr1,sales,manager,\(fours)\nr2,Sales,manager,\(fours)\nr1,marketing,boss,9"
        + String(repeating: ",", count: 25) + "\n",
      to: "bad.csv")
    let before = try accord.stateFile("acme")
    let run = try accord("survey", "import", "acme", file)
    #expect(run.status == 65)
    #expect(run.stderr.contains("\(file):3:2: error: unknown team 'Sales' (did you mean 'sales'?)"))
    #expect(run.stderr.contains("\(file):4:1: error: respondent 'r1' already answered in row 2"))
    #expect(run.stderr.contains("\(file):4:3: error: unknown level 'boss' (known: executive, manager, individual)"))
    #expect(run.stderr.contains("\(file):4:4: error: score 9 is outside the scale 1-5"))
    #expect(run.stderr.contains("accord: nothing was imported: 4 problems in \(file)"))
    #expect(try accord.stateFile("acme") == before)
  }

  @Test func importRulesAndExitCodes() throws {
    let before = try accord.stateFile("acme")
    let stranger = try accord("survey", "import", "acme", Self.roundOne, as: "sam")
    #expect(stranger.status == 1)
    #expect(stranger.stderr.contains("sam may not import survey answers: only the consultant or the czar may"))
    #expect(try accord("survey", "import", "acme", Self.roundOne, "--round", "bad name").status == 64)
    #expect(try accord("survey", "import", "acme", "missing.csv").status == 66)
    #expect(try accord.stateFile("acme") == before)

    let first = try accord("survey", "import", "acme", Self.roundOne, "--note", "kick-off survey")
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("Imported round 'round-1': 22 responses"))
    let again = try accord("survey", "import", "acme", Self.afterPilot, "--round", "round-1")
    #expect(again.status == 1)
    #expect(again.stderr.contains("a survey round named 'round-1' has already been imported"))

    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    let event = try #require(log.last)
    #expect(event["type"] as? String == "surveyImported")
    #expect(event["round"] as? String == "round-1")
    #expect(event["by"] as? String == "alice")
    #expect(event["note"] as? String == "kick-off survey")
    #expect((event["responses"] as? [[String: Any]])?.count == 22)
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let rounds = try #require(status["surveyRounds"] as? [[String: Any]])
    #expect(rounds.map { $0["name"] as? String } == ["round-1"])
    #expect(rounds.first?["responses"] as? Int == 22)
    #expect(status["opportunity"] is NSNull)
  }

  @Test func theSurveyMilestoneWaitsForARound() throws {
    #expect(try accord("complete", "acme", "stakeholder-map").status == 0)
    let next = try accord("next", "acme")
    #expect(next.stdout.contains("survey    collaboration-survey  consultant: alice"))
    let refused = try accord("complete", "acme", "collaboration-survey")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("it needs a round of the survey imported first"))
    #expect(try accord("survey", "import", "acme", Self.roundOne).status == 0)
    #expect(try accord("complete", "acme", "collaboration-survey").status == 0)
  }

  @Test func benchmarkWorkedByHandThroughTheBinary() throws {
    // Three salespeople answer 4 to everything (index 75); one marketing manager answers
    // 2 (index 25). Every dimension: (3 x 4 + 2) / 4 = 3.5, (3.5 - 1) / 4 x 100 = 62.5.
    // Marketing (1) and the managers (1) are under 3, and showing sales or the individual
    // contributors would give them away by subtraction, so no group is shown.
    let header = try header()
    let fours = Array(repeating: "4", count: 26).joined(separator: ",")
    let twos = Array(repeating: "2", count: 26).joined(separator: ",")
    let file = try write(
      header + "\n" + (1...3).map { "s\($0),sales,individual,\(fours)\n" }.joined()
        + "m1,marketing,manager,\(twos)\n",
      to: "small.csv")
    let noRound = try accord("benchmark", "acme")
    #expect(noRound.status == 66)
    #expect(noRound.stderr.contains("no survey round has been imported yet"))
    #expect(try accord("survey", "import", "acme", file).status == 0)

    let json = try #require(try accord("benchmark", "acme", "--json").json() as? [String: Any])
    #expect(json["index"] as? Double == 62.5)
    #expect(json["respondents"] as? Int == 4)
    let dimensions = try #require(json["dimensions"] as? [[String: Any]])
    #expect(dimensions.count == 7)
    #expect(dimensions.allSatisfy { $0["index"] as? Double == 62.5 })
    #expect((json["groups"] as? [Any])?.isEmpty == true)
    #expect((json["gaps"] as? [Any])?.isEmpty == true)
    let anonymity = try #require(json["anonymity"] as? [String: Any])
    #expect(anonymity["threshold"] as? Int == 3)
    #expect(
      anonymity["hidden"] as? [String] == [
        "sales", "marketing", "manager", "individual", "sales/individual", "marketing/manager",
      ])
    #expect(json["comparison"] is NSNull)

    let text = try accord("benchmark", "acme")
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("Collaboration index  62.5 of 100"))
    #expect(text.stdout.contains("Not shown on their own: sales, marketing, manager, individual"))
    #expect(!text.stdout.contains("25.0"))  // the marketing manager's own index
  }

  @Test func aLaterRoundIsComparedWithTheFirst() throws {
    #expect(try accord("survey", "import", "acme", Self.roundOne).status == 0)
    #expect(try accord("survey", "import", "acme", Self.afterPilot, "--round", "after-pilot", as: "alice").status == 0)
    let latest = try #require(try accord("benchmark", "acme", "--json").json() as? [String: Any])
    let first = try #require(try accord("benchmark", "acme", "--round", "round-1", "--json").json() as? [String: Any])
    #expect((latest["round"] as? [String: Any])?["name"] as? String == "after-pilot")
    #expect(first["comparison"] is NSNull)
    let comparison = try #require(latest["comparison"] as? [String: Any])
    #expect(comparison["baseline"] as? String == "round-1")
    let index = try #require(comparison["index"] as? [String: Double])
    #expect(index["before"] == first["index"] as? Double)
    #expect(index["after"] == latest["index"] as? Double)
    let change = try #require(index["change"])
    #expect(abs(change - (index["after"]! - index["before"]!)) <= 0.1)
    #expect((comparison["dimensions"] as? [String: Any])?.count == 7)
    // No hidden group leaks into the groups, however the rounds compare.
    let hidden = Set((latest["anonymity"] as? [String: Any])?["hidden"] as? [String] ?? [])
    let shown = Set(((latest["groups"] as? [[String: Any]]) ?? []).compactMap { $0["group"] as? String })
    #expect(!hidden.isEmpty && hidden.isDisjoint(with: shown))
    let text = try accord("benchmark", "acme")
    #expect(text.stdout.contains("since 'round-1'"))
    #expect(try accord("benchmark", "acme", "--round", "nope").status == 66)
  }

  @Test(arguments: [["survey"], ["survey", "template"], ["survey", "import"], ["benchmark"], ["opportunity"]])
  func theNewCommandsExplainThemselves(command: [String]) throws {
    let run = try accord.run(command + ["--help"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("USAGE: accord \(command.joined(separator: " "))"))
    #expect(run.stdout.contains("OVERVIEW:"))
  }
}
