import Foundation
import Testing

/// A real browser: twenty respondents answer a client's benchmark round in headless
/// Chromium, phone-sized and with JavaScript off, through the built `accord serve`; the
/// round is closed and `benchmark` reads it with its small groups hidden.
///
/// Never skipped: without Chromium, chromium-driver or Selenium it fails (scripts/test
/// installs them).
@Suite("End to end: the survey answered in a browser")
struct BrowserSurveyTests {
  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
  }

  @Test func twentyRespondentsAnswerInABrowserAndTheBenchmarkHidesTheSmallGroups() throws {
    try #require(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    try #require(try accord("assign", "acme", "czar", "carol").status == 0)
    let served = try BrowserServer(accord)
    defer { served.stop() }
    let open = try accord("survey", "open", "acme", "--codes", "20", "--url", served.base, "--json", as: "carol")
    try #require(open.status == 0, "\(open.stderr)")
    let links = try #require((try open.json() as? [String: Any])?["links"] as? [String])
    try #require(links.count == 20)

    // Sales managers 9, marketing managers 5, marketing individual contributors 4,
    // executives of sales 2: the last under the threshold of 3.
    var next = 0
    for (index, (team, level, count)) in [
      ("sales", "manager", 9), ("marketing", "manager", 5), ("marketing", "individual", 4), ("sales", "executive", 2),
    ].enumerated() {
      let script = AccordBinary.packageRoot.appendingPathComponent("Tests/Browser/answer_survey.py")
      let browser = try BrowserSigningTests.run(
        BrowserSigningTests.python, [script.path, team, level, String(index + 1)] + links[next..<(next + count)])
      try #require(browser.status == 0, "the browser script failed:\n\(browser.stderr)\n\(browser.stdout)")
      let seen = try #require(try JSONSerialization.jsonObject(with: Data(browser.stdout.utf8)) as? [String: Any])
      #expect(seen["answered"] as? Int == count)
      #expect((seen["cookies"] as? [Any])?.isEmpty == true, "the survey pages set no cookie")
      next += count
    }

    let status = try #require(try accord("survey", "status", "acme", "--json").json() as? [String: Any])
    #expect((status["rounds"] as? [[String: Any]])?.first?["answers"] as? Int == 20)
    let close = try accord("survey", "close", "acme", "--round", "round-1", as: "carol")
    try #require(close.status == 0, "\(close.stderr)")

    let benchmark = try #require(try accord("benchmark", "acme", "--json").json() as? [String: Any])
    #expect(benchmark["respondents"] as? Int == 20)
    #expect((benchmark["round"] as? [String: Any])?["name"] as? String == "round-1")
    let hidden = try #require((benchmark["anonymity"] as? [String: Any])?["hidden"] as? [String])
    #expect(hidden.contains("sales/executive"), "\(hidden)")
    let shown = try #require(benchmark["groups"] as? [[String: Any]]).compactMap { $0["group"] as? String }
    #expect(!shown.contains("sales/executive") && !shown.contains("executive"), "\(shown)")
    #expect(shown.contains("sales") && shown.contains("marketing") && shown.contains("manager"), "\(shown)")
    let text = try accord("benchmark", "acme")
    #expect(text.status == 0)
    #expect(text.stdout.contains("20 respondents"))
  }
}
