import Foundation
import Testing

/// A real browser: headless Chromium, driven by Selenium, signs an agreement by clicking
/// through the pages of the built `accord serve`, and the gate it held opens.
///
/// Never skipped: without Chromium, chromium-driver or Selenium it fails (scripts/test
/// installs them).
@Suite("End to end: signing in a browser")
struct BrowserSigningTests {
  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
  }

  /// The Python that has Selenium: $ACCORD_PYTHON, else Debian's (python3-selenium), else
  /// the first python3 on the PATH.
  static var python: String {
    if let python = ProcessInfo.processInfo.environment["ACCORD_PYTHON"] { return python }
    return FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
  }

  @Test func aSponsorSignsInABrowserAndTheImplementationGateOpens() throws {
    try BrowserServer.seedReadyToSign(accord)
    // Every signature but the sponsor's on the metrics agreement, through the CLI.
    for (person, agreement) in [
      ("sam", "collaboration-charter"), ("mia", "collaboration-charter"), ("sid", "collaboration-charter"),
      ("sam", "metrics-agreement"), ("mia", "metrics-agreement"),
    ] {
      let run = try accord("sign", "acme", agreement, "--yes", as: person)
      try #require(run.status == 0, "\(person) signs \(agreement): \(run.stderr)")
    }
    #expect(try stage("implementation") == "gated")

    let served = try BrowserServer(accord)
    defer { served.stop() }
    let invite = try accord("invite", "acme", "sid", "--print", "--url", served.base, "--json")
    try #require(invite.status == 0, "\(invite.stderr)")
    let link = try #require((try invite.json() as? [String: Any])?["link"] as? String)

    let script = AccordBinary.packageRoot.appendingPathComponent("Tests/Browser/sign_agreement.py")
    let browser = try Self.run(Self.python, [script.path, link, "The metrics we share"])
    try #require(browser.status == 0, "the browser script failed:\n\(browser.stderr)\n\(browser.stdout)")
    let seen = try #require(
      try JSONSerialization.jsonObject(with: Data(browser.stdout.utf8)) as? [String: Any])
    let signatures = try #require(seen["signatures"] as? [String])
    #expect(signatures.contains { $0.hasPrefix("Executive sponsor (sid): signed by sid") })
    // Back on the agreement's page, which says what was done.
    #expect((seen["url"] as? String)?.contains("/clients/acme/agreements/metrics-agreement?done=") == true)
    // In titles, with what the signature opened.
    let done = try #require((seen["done"] as? [String])?.first)
    #expect(done.hasPrefix("Done: you signed 'The metrics we share' as Executive sponsor (terms "), "\(done)")
    #expect(done.hasSuffix("The gate is open: 'Implement and support' can begin."), "\(done)")

    // The gate opened: the CLI sees the web's signature.
    #expect(try stage("implementation") == "active")
    let next = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
    let actions = try #require(next["actions"] as? [[String: Any]])
    #expect(!actions.contains { $0["kind"] as? String == "sign" })
    #expect(actions.contains { $0["target"] as? String == "agreements-announced" })
    // The history says who signed, for which role, on which terms, and that it came through the web.
    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    let last = try #require(log.last)
    #expect(last["type"] as? String == "signed")
    #expect(last["by"] as? String == "sid")
    #expect(last["role"] as? String == "sponsor")
    #expect(last["terms"] as? String == seen["terms"] as? String)
    #expect(last["via"] as? String == "web")
  }

  func stage(_ id: String) throws -> String? {
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let stages = try #require(status["stages"] as? [[String: Any]])
    return stages.first { $0["id"] as? String == id }?["state"] as? String
  }

  static func run(_ executable: String, _ arguments: [String]) throws -> AccordBinary.Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    let out = Pipe.unshared()
    let err = Pipe.unshared()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Selenium says little; reading stdout then stderr cannot fill a pipe first.
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return AccordBinary.Run(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }
}

/// `accord serve --port 0` on a test's workspace, started from the built binary.
struct BrowserServer {
  let process: Process
  /// Where it listens, from its first line: `http://127.0.0.1:PORT`.
  let base: String

  init(_ accord: AccordBinary) throws {
    let process = Process()
    process.executableURL = accord.executable
    process.arguments = ["serve", "--port", "0"]
    process.currentDirectoryURL = accord.folder
    process.environment = accord.environment(as: "alice")
    let out = Pipe.unshared()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    let text = String(decoding: line, as: UTF8.self)
    guard let found = text.firstMatch(of: #/at (http://[^ ]+) /#) else {
      process.terminate()
      throw ServeFailed(output: text)
    }
    self.process = process
    base = String(found.1)
  }

  struct ServeFailed: Error { var output: String }

  func stop() {
    process.terminate()
    process.waitUntilExit()
  }

  /// acme with its roles, a survey round, and every milestone that can be done done: both
  /// agreements of the coaching stage await their signatures.
  static func seedReadyToSign(_ accord: AccordBinary) throws {
    try #require(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    for (role, person) in WebPageFixture.people.sorted(by: { $0.key < $1.key }) {
      try #require(try accord("assign", "acme", role, person).status == 0)
    }
    let answers = AccordBinary.packageRoot.appendingPathComponent("docs/examples/acme-survey-round-1.csv")
    try #require(try accord("survey", "import", "acme", answers.path).status == 0)
    try WebPageFixture(accord: accord).completeEverythingReady()
  }
}
