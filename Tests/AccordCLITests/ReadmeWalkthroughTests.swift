import Foundation
import Testing

/// The README's set-up and walkthrough, and the examples of every page of docs/guide, run
/// command by command through the built binary in a fresh folder as a new user would, with
/// what each command prints compared with what the page shows (times, dates and hashes
/// masked), so that the documentation cannot drift from the product. A shown output may say
/// `...` for lines left out.
///
/// What runs: the README's set-up (the first `sh` block of "Run it and test it", without the
/// test run) and the `console` blocks of its walkthrough; and, for each guide page, its
/// `console` blocks in order, each page in a workspace of its own, so that a page's first
/// blocks can set up what its later ones use. A `$ ` line is a command; the lines after it,
/// to the next command or the end of the block, are what it prints (none shown: it must
/// exit 0); a command whose line ends in `\` goes on on the next. Examples that a test cannot run (`accord serve`, which blocks; a PostgreSQL
/// database; a mail relay) are shown in `sh` or plain blocks instead, which are not run;
/// history on past days is made with `--date`.
@Suite("The README's walkthrough and the guide's examples, run")
struct ReadmeWalkthroughTests {
  struct Step {
    var command: String
    var shown: [String]
  }

  static let readme = AccordBinary.packageRoot.appendingPathComponent("README.md")
  static let guide = AccordBinary.packageRoot.appendingPathComponent("docs/guide")
  static let walkthrough = "## A walkthrough: one client through the gate"

  static func lines(of file: URL) throws -> [String] {
    try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
  }

  /// The commands of the `console` blocks of `lines`, each with what it is shown to print.
  static func consoleSteps(_ lines: some Collection<String>) -> [Step] {
    var steps: [Step] = []
    var inConsole = false
    for line in lines {
      if line == "```console" {
        inConsole = true
      } else if line == "```" {
        inConsole = false
      } else if inConsole, line.hasPrefix("$ ") {
        steps.append(Step(command: String(line.dropFirst(2)), shown: []))
      } else if inConsole, let last = steps.last, last.shown.isEmpty, last.command.hasSuffix("\\") {
        // A long command goes on on the next line, as a shell reads it.
        steps[steps.count - 1].command = String(last.command.dropLast()) + line.trimmingCharacters(in: .whitespaces)
      } else if inConsole, !steps.isEmpty {
        steps[steps.count - 1].shown.append(line)
      }
    }
    return steps
  }

  /// The set-up commands (the first `sh` block of "Run it and test it", without the test
  /// run) and the `console` blocks of the walkthrough, in order.
  static func readmeSteps() throws -> [Step] {
    let lines = try lines(of: readme)
    func section(_ heading: String) -> ArraySlice<String> {
      guard let start = lines.firstIndex(of: heading) else { return [] }
      let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
      return lines[start..<end]
    }
    var steps: [Step] = []
    let setup = section("## Run it and test it")
    if let open = setup.firstIndex(of: "```sh") {
      for line in setup[(open + 1)...].prefix(while: { $0 != "```" }) where !line.hasPrefix("swift test") && !line.hasPrefix("scripts/test") {
        steps.append(Step(command: line, shown: []))
      }
    }
    return steps + consoleSteps(section(walkthrough))
  }

  /// Every page of the guide that shows commands in `console` blocks.
  static let guidePages: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: guide.path)) ?? []
    return names.filter { $0.hasSuffix(".md") }.sorted().filter {
      ((try? String(contentsOf: guide.appendingPathComponent($0), encoding: .utf8)) ?? "").contains("\n```console\n")
    }
  }()

  /// Times, dates, hashes and the firm's key differ from run to run. (Word boundaries are
  /// the simple kind: Unicode's would join `54,6823` into one number, as in a CSV row.)
  static func masked(_ line: String) -> String {
    line.replacing(#/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/#, with: "<time>")
      .replacing(#/\d{4}-\d\d-\d\d/#, with: "<date>")
      .replacing(#/\b[0-9a-f]{12,64}\b/#.wordBoundaryKind(.simple), with: "<hash>")
      .replacing(#/accord-ed25519:[A-Za-z0-9+\/]{43}=/#, with: "<public key>")
      .replacing(#/\b[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}\b/#.wordBoundaryKind(.simple), with: "<fingerprint>")
  }

  /// Whether `output` is what the page shows: line by line, where `...` (indented or not)
  /// stands for any number of lines.
  static func matches(_ output: [String], _ shown: [String]) -> Bool {
    guard let first = shown.first else { return output.isEmpty }
    if first.trimmingCharacters(in: .whitespaces) == "..." {
      return (0...output.count).contains { matches(Array(output[$0...]), Array(shown.dropFirst())) }
    }
    guard let line = output.first, masked(line) == masked(first) else { return false }
    return matches(Array(output.dropFirst()), Array(shown.dropFirst()))
  }

  @Test func theWalkthroughPrintsWhatTheReadmeShows() throws {
    let steps = try Self.readmeSteps()
    try #require(steps.count > 20, "the README's walkthrough was not found")
    try Self.play(steps, shownIn: "the README", record: "accord-walkthrough.txt")
  }

  @Test func theGuideHasPagesWithExamplesToRun() {
    #expect(Self.guidePages.contains("consultant.md"))
  }

  @Test(arguments: guidePages)
  func eachGuidePagePrintsWhatItShows(_ page: String) throws {
    let steps = Self.consoleSteps(try Self.lines(of: Self.guide.appendingPathComponent(page)))
    try #require(!steps.isEmpty)
    try Self.play(steps, shownIn: "docs/guide/\(page)", record: "accord-guide-\(page).txt")
  }

  /// Runs `steps` in order in a fresh folder (with the files the examples name, where a
  /// clone has them: `docs/examples` and `playbooks`), comparing each command's output with what is shown.
  static func play(_ steps: [Step], shownIn page: String, record name: String) throws {
    let folder = try AccordBinary.temporaryFolder()
    let examples = folder.appendingPathComponent("docs/examples")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: AccordBinary.packageRoot.appendingPathComponent("docs/examples"), to: examples)
    // The playbooks we ship, for the examples that validate them or start a client on one.
    try FileManager.default.copyItem(
      at: AccordBinary.packageRoot.appendingPathComponent("playbooks"),
      to: folder.appendingPathComponent("playbooks"))
    // `accord` and `swift run accord` both run the built binary.
    let bin = folder.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: bin.appendingPathComponent("accord"), withDestinationURL: AccordBinary.executable)

    var environment = ProcessInfo.processInfo.environment
    for name in ["ACCORD_WORKSPACE", "ACCORD_USER", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "ACCORD_LOCK_TIMEOUT", "ACCORD_DATABASE"] {
      environment[name] = nil
    }
    let home = folder.appendingPathComponent("home").path
    environment["HOME"] = home
    environment["XDG_STATE_HOME"] = folder.appendingPathComponent("state").path
    environment["NO_COLOR"] = "1"
    environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")

    var record: [String] = []
    for step in steps {
      if step.command.hasPrefix("export "), let equals = step.command.firstIndex(of: "=") {
        let name = String(step.command[step.command.index(step.command.startIndex, offsetBy: 7)..<equals])
        environment[name] = String(step.command[step.command.index(after: equals)...])
        continue
      }
      let command = step.command.replacingOccurrences(of: "swift run accord", with: "accord")
      // The pages are written at alice's desk: the test's home folder stands for hers.
      let (status, printed) = try run(command, in: folder, environment: environment)
      let output = printed.map { $0.replacingOccurrences(of: home, with: "/home/alice") }
      record += ["$ " + step.command] + output
      if step.shown.isEmpty {
        #expect(status == 0, "\(page): '\(step.command)' exited \(status):\n\(output.joined(separator: "\n"))")
      } else {
        #expect(
          matches(output, step.shown),
          "\(page): '\(step.command)' printed:\n\(output.joined(separator: "\n"))\n\(page) shows:\n\(step.shown.joined(separator: "\n"))")
      }
    }
    if ProcessInfo.processInfo.environment["ACCORD_RECORD"] == "1" {
      // Every command's whole output, to choose from when the page changes.
      try (record.joined(separator: "\n") + "\n").write(
        to: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(name),
        atomically: true, encoding: .utf8)
    }
  }

  /// Runs `command` with bash, stdout and stderr together, as a terminal shows them.
  static func run(_ command: String, in folder: URL, environment: [String: String]) throws -> (Int32, [String]) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", command + " 2>&1"]
    process.currentDirectoryURL = folder
    process.environment = environment
    let out = Pipe.unshared()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    // CSV ends its lines with CRLF, one Character to Swift: split on either.
    var lines = String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .map(String.init)
    if lines.last == "" { lines.removeLast() }
    return (process.terminationStatus, lines)
  }
}
