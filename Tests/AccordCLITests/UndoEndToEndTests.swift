import Foundation
import Testing

/// Mistakes undone in the open, through the built binary: archiving and restoring a client,
/// a survey file imported twice, a round withdrawn, and answers saved with semicolons.
@Suite("End to end: archive, restore, withdraw, semicolons")
struct UndoEndToEndTests {
  let accord: AccordBinary
  static let roundOne = SurveyEndToEndTests.roundOne
  static let afterPilot = SurveyEndToEndTests.afterPilot

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

  @Test func anArchivedClientLeavesTheListsKeepsItsHistoryAndComesBack() throws {
    #expect(try accord("start", "beta").status == 0)
    #expect(try accord("assign", "acme", "czar", "carol").status == 0)
    // Only the consultant, and only with a reason.
    #expect(try accord("archive", "acme", "--reason", "paused", as: "carol").status == 1)
    #expect(try accord("archive", "acme", "--reason", " ").status == 64)
    let archive = try accord("archive", "acme", "--reason", "engagement paused")
    #expect(archive.status == 0, "\(archive.stderr)")
    #expect(archive.stdout.contains("Archived 'acme'"))
    let archived = try accord.stateFile("acme")

    let clients = try accord("clients")
    #expect(!clients.stdout.contains("acme"), "\(clients.stdout)")
    #expect(clients.stdout.contains("beta"))
    #expect(clients.stdout.contains("1 archived client not shown (accord clients --all)."))
    let listed = try #require(try accord("clients", "--json").json() as? [[String: Any]])
    #expect(listed.map { $0["client"] as? String } == ["beta"])
    for flag in ["--all", "--archived"] {
      let all = try accord("clients", flag)
      #expect(all.stdout.contains("acme    benchmark (archived)"), "\(all.stdout)")
    }
    let every = try #require(try accord("clients", "--all", "--json").json() as? [[String: Any]])
    #expect(every.map { $0["client"] as? String } == ["acme", "beta"])
    #expect(every.map { $0["archived"] as? Bool } == [true, false])

    // Every change is refused, the file untouched; reading still works and says so.
    for (arguments, person) in [
      (["complete", "acme", "stakeholder-map"], "alice"), (["assign", "acme", "czar", "dora"], "alice"),
      (["survey", "import", "acme", Self.roundOne], "alice"), (["archive", "acme", "--reason", "again"], "alice"),
    ] {
      let run = try accord.run(arguments + ["--json"], as: person)
      #expect(run.status == 1, "\(arguments)")
      let error = try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: [String: Any]]
      let code = arguments[0] == "archive" ? "already-archived" : "client-archived"
      #expect(error?["error"]?["code"] as? String == code, "\(arguments): \(run.stderr)")
    }
    #expect(try accord.stateFile("acme") == archived)
    let next = try accord("next", "acme")
    #expect(next.status == 0)
    #expect(next.stdout.contains("benchmark (active), 0% done, archived"), "\(next.stdout)")
    #expect(next.stdout.contains("by alice: engagement paused."))
    #expect(next.stdout.contains("accord restore acme"))
    let nextJSON = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
    #expect(nextJSON["archived"] as? Bool == true)
    #expect((nextJSON["actions"] as? [Any])?.isEmpty == true)
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let stamp = try #require(status["archived"] as? [String: Any])
    #expect(stamp["by"] as? String == "alice")
    #expect(stamp["reason"] as? String == "engagement paused")
    #expect(try accord("status", "acme").stdout.contains("Archived "))
    #expect(try accord("log", "acme").stdout.contains("archived"))

    // Back as it was; a reason is optional; only an archived client can be restored.
    #expect(try accord("restore", "acme", as: "carol").status == 1)
    let restore = try accord("restore", "acme")
    #expect(restore.status == 0, "\(restore.stderr)")
    let again = try accord("restore", "acme", "--json")
    #expect(again.status == 1)
    #expect(again.stderr.contains("\"code\" : \"not-archived\""))
    #expect(try accord("clients").stdout.contains("acme"))
    #expect(try accord("complete", "acme", "stakeholder-map").status == 0)
    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.map { $0["type"] as? String }.suffix(3) == ["archived", "restored", "completed"])
    #expect(log[log.count - 3]["note"] as? String == "engagement paused")
    let statusAfter = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    #expect(statusAfter["archived"] is NSNull)
  }

  @Test func theSameFileTwiceIsRefusedUnlessForced() throws {
    #expect(try accord("survey", "import", "acme", Self.roundOne).status == 0)
    let before = try accord.stateFile("acme")
    let twice = try accord("survey", "import", "acme", Self.roundOne, "--json")
    #expect(twice.status == 1)
    let error = try #require(try JSONSerialization.jsonObject(with: Data(twice.stderr.utf8)) as? [String: [String: Any]])
    #expect(error["error"]?["code"] as? String == "duplicate-round")
    #expect(error["error"]?["earlier"] as? String == "round-1")
    #expect(error["error"]?["round"] as? String == "round-2")
    #expect(try accord.stateFile("acme") == before)

    // The same answers in another order, under another name: still the same round.
    let lines = try String(contentsOfFile: Self.roundOne, encoding: .utf8).split(separator: "\n")
    let shuffled = try write(([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\n") + "\n", to: "shuffled.csv")
    let reordered = try accord("survey", "import", "acme", shuffled, "--round", "again")
    #expect(reordered.status == 1)
    #expect(reordered.stderr.contains("exactly those of round 'round-1'"), "\(reordered.stderr)")
    #expect(reordered.stderr.contains("--force"))
    #expect(try accord.stateFile("acme") == before)

    let forced = try accord("survey", "import", "acme", shuffled, "--force")
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(forced.stdout.contains("Imported round 'round-2'"))
    #expect(try accord("survey", "import", "acme", Self.afterPilot).status == 0, "different answers are a new round")
  }

  @Test func aWithdrawnRoundLeavesTheBenchmarkButNotTheHistory() throws {
    #expect(try accord("complete", "acme", "stakeholder-map").status == 0)
    #expect(try accord("survey", "import", "acme", Self.roundOne).status == 0)
    #expect(try accord("survey", "import", "acme", Self.afterPilot).status == 0)
    #expect(try accord("assign", "acme", "czar", "carol").status == 0)

    #expect(try accord("survey", "withdraw", "acme", "round-1", "--reason", "x", as: "sam").status == 1)
    #expect(try accord("survey", "withdraw", "acme", "round-1").status == 64, "a reason is required")
    let unknown = try accord("survey", "withdraw", "acme", "round-9", "--reason", "x", "--json")
    #expect(unknown.status == 66)
    #expect(unknown.stderr.contains("\"code\" : \"unknown-round\""))
    let withdraw = try accord("survey", "withdraw", "acme", "round-1", "--reason", "wrong teams", as: "carol")
    #expect(withdraw.status == 0, "\(withdraw.stderr)")
    #expect(withdraw.stdout.contains("The baseline is round 'round-2'."))
    let twice = try accord("survey", "withdraw", "acme", "round-1", "--reason", "again", "--json")
    #expect(twice.status == 1)
    #expect(twice.stderr.contains("\"code\" : \"already-withdrawn\""))

    // The benchmark shows round-2 on its own: it is the baseline now.
    let benchmark = try #require(try accord("benchmark", "acme", "--json").json() as? [String: Any])
    #expect((benchmark["round"] as? [String: Any])?["name"] as? String == "round-2")
    #expect(benchmark["comparison"] == nil || benchmark["comparison"] is NSNull)
    // Asked for by name, round-1 is shown, marked withdrawn.
    let named = try accord("benchmark", "acme", "--round", "round-1")
    #expect(named.status == 0)
    #expect(named.stdout.contains("This round was withdrawn"), "\(named.stdout)")
    let namedJSON = try #require(try accord("benchmark", "acme", "--round", "round-1", "--json").json() as? [String: Any])
    let stamp = try #require((namedJSON["round"] as? [String: Any])?["withdrawn"] as? [String: Any])
    #expect(stamp["by"] as? String == "carol")
    #expect(stamp["reason"] as? String == "wrong teams")

    // Its name stays taken, and the history keeps it.
    let reuse = try accord("survey", "import", "acme", Self.roundOne, "--round", "round-1", "--force")
    #expect(reuse.status == 1)
    #expect(reuse.stderr.contains("has already been imported"))
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let rounds = try #require(status["surveyRounds"] as? [[String: Any]])
    #expect(rounds.map { $0["name"] as? String } == ["round-1", "round-2"])
    #expect(rounds[0]["withdrawn"] is [String: Any])
    #expect(rounds[1]["withdrawn"] is NSNull)

    // With both withdrawn, there is no evidence and nothing to benchmark by default.
    #expect(try accord("survey", "withdraw", "acme", "round-2", "--reason", "pilot redone").status == 0)
    let none = try accord("benchmark", "acme")
    #expect(none.status == 66)
    #expect(none.stderr.contains("every survey round has been withdrawn"))
    let refused = try accord("complete", "acme", "collaboration-survey")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("it needs a round of the survey imported first"))
  }

  @Test func aSemicolonFileImportsAndSaysSo() throws {
    let semicolons = try String(contentsOfFile: Self.roundOne, encoding: .utf8)
      .replacingOccurrences(of: ",", with: ";")
    let file = try write(semicolons, to: "excel.csv")
    let run = try accord("survey", "import", "acme", file)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("22 responses (16 answered every statement), semicolon-separated."), "\(run.stdout)")
    let comma = try accord("survey", "import", "acme", Self.afterPilot, "--json")
    let json = try #require(try comma.json() as? [String: Any])
    #expect(json["separator"] as? String == "comma")
    // The same answers as a comma file: the duplicate check sees through the separator.
    let duplicate = try accord("survey", "import", "acme", Self.roundOne)
    #expect(duplicate.stderr.contains("exactly those of round 'round-1'"), "\(duplicate.stderr)")
  }

  @Test func everyLocatedDiagnosticWorksWithSemicolons() throws {
    let header = try accord("survey", "template", "acme").stdout.trimmingCharacters(in: .newlines)
      .replacingOccurrences(of: ",", with: ";")
    let fours = Array(repeating: "4", count: 26).joined(separator: ";")
    let file = try write(
      header + "\nr1;sales;manager;\(fours)\nr2;Sales;manager;\(fours)\nr1;marketing;boss;9"
        + String(repeating: ";", count: 25) + "\n\"r3\";sales;manager;\"4\";" + Array(repeating: "4", count: 25).joined(separator: ";")
        + ";4\n",
      to: "bad.csv")
    let before = try accord.stateFile("acme")
    let run = try accord("survey", "import", "acme", file)
    #expect(run.status == 65)
    #expect(run.stderr.contains("\(file):3:2: error: unknown team 'Sales' (did you mean 'sales'?)"), "\(run.stderr)")
    #expect(run.stderr.contains("\(file):4:1: error: respondent 'r1' already answered in row 2"))
    #expect(run.stderr.contains("\(file):4:3: error: unknown level 'boss' (known: executive, manager, individual)"))
    #expect(run.stderr.contains("\(file):4:4: error: score 9 is outside the scale 1-5"))
    #expect(run.stderr.contains("\(file):5:30:"), "a cell past the header's last column: \(run.stderr)")
    #expect(try accord.stateFile("acme") == before)
  }
}
