import Foundation
import Testing

/// `accord opportunity` through the built binary, on the article's worked example.
@Suite("End to end: the opportunity calculator")
struct OpportunityEndToEndTests {
  let accord: AccordBinary
  /// 10 marketers at 60,000; 50% of their time on content; 50% of it unused; 20,000 a year
  /// of ancillary cost: 170,000 a year, 2.83 people ("nearly three").
  static let article = [
    "--marketing-staff", "10", "--cost-per-head", "60,000", "--content-share", "50",
    "--unused-share", "50", "--ancillary", "20000",
  ]

  init() throws {
    accord = try AccordBinary()
  }

  @Test func withoutAClientNothingIsStored() throws {
    let run = try accord.run(["opportunity"] + Self.article + ["--currency", "GBP"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Salaries total"))
    #expect(run.stdout.contains("£600,000"))
    #expect(run.stdout.contains("£170,000"))
    #expect(run.stdout.contains("the cost of 2.83 full-time people"))
    #expect(!FileManager.default.fileExists(atPath: accord.workspace.path))

    let json = try #require(try accord.run(["opportunity", "--json"] + Self.article).json() as? [String: Any])
    let rows = try #require(json["rows"] as? [[String: Any]])
    let values = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as! String, $0["value"] as! Double) })
    #expect(values["marketingOpportunity"] == 170_000)
    #expect(values["fullTimeEquivalents"] == 2.83)
    #expect(json["client"] is NSNull)
    #expect(json["currency"] is NSNull)
  }

  @Test func salesRowsAndCurrencies() throws {
    let run = try accord.run(
      ["opportunity"] + Self.article + ["--sales-staff", "20", "--sales-cost-per-head", "70000", "--currency", "EUR"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("€1,400,000"))
    #expect(run.stdout.contains("winning back 10% of selling time is worth €140,000 a year"))
    #expect(run.stdout.contains("up to 40%"))
    let swiss = try accord.run(["opportunity"] + Self.article + ["--currency", "chf"])
    #expect(swiss.stdout.contains("CHF 170,000"))
  }

  @Test func onAClientTheInputsAreAnEventAndStatusShowsThem() throws {
    #expect(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    let nothing = try accord("opportunity", "acme")
    #expect(nothing.status == 66)
    #expect(nothing.stderr.contains("no opportunity inputs are stored yet"))

    let set = try accord.run(["opportunity", "acme", "--currency", "GBP"] + Self.article)
    #expect(set.status == 0, "\(set.stderr)")
    #expect(set.stdout.contains("Stored the opportunity inputs on acme."))
    // Changing one input keeps the others.
    let more = try accord("opportunity", "acme", "--ancillary", "32000", "--note", "printing bill", as: "alice")
    #expect(more.status == 0, "\(more.stderr)")
    #expect(more.stdout.contains("£182,000"))
    // The same inputs again change nothing and write nothing.
    let before = try accord.stateFile("acme")
    #expect(try accord("opportunity", "acme", "--ancillary", "32000").status == 0)
    #expect(try accord.stateFile("acme") == before)

    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.map { $0["type"] as? String } == ["started", "opportunitySet", "opportunitySet"])
    let inputs = try #require(log.last?["inputs"] as? [String: Any])
    #expect(inputs["ancillary"] as? Double == 32_000)
    #expect(inputs["marketingStaff"] as? Double == 10)
    #expect(inputs["currency"] as? String == "GBP")
    #expect(log.last?["note"] as? String == "printing bill")

    let status = try accord("status", "acme")
    #expect(status.stdout.contains("£182,000 a year in marketing (3.03 people)"))
    let json = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let opportunity = try #require(json["opportunity"] as? [String: Any])
    #expect(opportunity["by"] as? String == "alice")
    #expect((opportunity["inputs"] as? [String: Any])?["unusedShare"] as? Double == 50)
  }

  @Test func missingOrWrongInputsAreUsageErrorsAndWriteNothing() throws {
    let missing = try accord("opportunity", "--marketing-staff", "10")
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("the calculation needs --cost-per-head, --content-share"))
    #expect(try accord.run(["opportunity"] + Self.article + ["--content-share", "120"]).status == 64)
    #expect(try accord("opportunity", "--marketing-staff", "ten").status == 64)

    #expect(try accord("start", "acme").status == 0)
    let before = try accord.stateFile("acme")
    let wrong = try accord.run(["opportunity", "acme"] + Self.article + ["--unused-share", "150"])
    #expect(wrong.status == 64)
    #expect(wrong.stderr.contains("unused share must be a percentage from 0 to 100, got 150"))
    let stranger = try accord.run(["opportunity", "acme"] + Self.article, as: "sam")
    #expect(stranger.status == 1)
    #expect(try accord.stateFile("acme") == before)
  }
}
