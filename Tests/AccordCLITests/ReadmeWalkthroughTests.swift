import Foundation
import Testing

/// The README's set-up and walkthrough, run command by command through the built binary in
/// a fresh folder as a new user would, with what each command prints compared with what
/// the README shows (times and hashes masked), so that the README cannot drift from the
/// product. A shown output may say `...` for lines left out.
@Suite("The README's walkthrough, run")
struct ReadmeWalkthroughTests {
  struct Step {
    var command: String
    var shown: [String]
  }

  static let readme = AccordBinary.packageRoot.appendingPathComponent("README.md")

  /// The set-up commands (the first `sh` block of "Run it and test it", without the test
  /// run) and the `console` blocks of the two walkthroughs (the second goes on in the
  /// first's workspace), in order.
  static func steps() throws -> [Step] {
    let lines = try String(contentsOf: readme, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
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
    var inConsole = false
    let walkthroughs = section("## A walkthrough: one client through the gate") + section("## A consultant's Monday morning")
    for line in walkthroughs {
      if line == "```console" {
        inConsole = true
      } else if line == "```" {
        inConsole = false
      } else if inConsole, line.hasPrefix("$ ") {
        steps.append(Step(command: String(line.dropFirst(2)), shown: []))
      } else if inConsole, !steps.isEmpty {
        steps[steps.count - 1].shown.append(line)
      }
    }
    return steps
  }

  /// Times, dates and hashes differ from run to run.
  static func masked(_ line: String) -> String {
    line.replacing(#/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/#, with: "<time>")
      .replacing(#/\d{4}-\d\d-\d\d/#, with: "<date>")
      .replacing(#/\b[0-9a-f]{12,64}\b/#, with: "<hash>")
  }

  /// Whether `output` is what the README shows: line by line, where `...` stands for any
  /// number of lines.
  static func matches(_ output: [String], _ shown: [String]) -> Bool {
    guard let first = shown.first else { return output.isEmpty }
    if first == "..." {
      return (0...output.count).contains { matches(Array(output[$0...]), Array(shown.dropFirst())) }
    }
    guard let line = output.first, masked(line) == masked(first) else { return false }
    return matches(Array(output.dropFirst()), Array(shown.dropFirst()))
  }

  @Test func theWalkthroughPrintsWhatTheReadmeShows() throws {
    let steps = try Self.steps()
    try #require(steps.count > 20, "the README's walkthrough was not found")
    let folder = try AccordBinary.temporaryFolder()
    // The files the walkthrough names, where a clone has them.
    let examples = folder.appendingPathComponent("docs/examples")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: AccordBinary.packageRoot.appendingPathComponent("docs/examples"), to: examples)
    // `accord` and `swift run accord` both run the built binary.
    let bin = folder.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: bin.appendingPathComponent("accord"), withDestinationURL: AccordBinary.executable)

    var environment = ProcessInfo.processInfo.environment
    for name in ["ACCORD_WORKSPACE", "ACCORD_USER", "XDG_DATA_HOME", "ACCORD_LOCK_TIMEOUT"] {
      environment[name] = nil
    }
    environment["HOME"] = folder.appendingPathComponent("home").path
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
      let (status, output) = try Self.run(command, in: folder, environment: environment)
      record += ["$ " + step.command] + output
      if step.shown.isEmpty {
        #expect(status == 0, "'\(step.command)' exited \(status):\n\(output.joined(separator: "\n"))")
      } else {
        #expect(
          Self.matches(output, step.shown),
          "'\(step.command)' printed:\n\(output.joined(separator: "\n"))\nThe README shows:\n\(step.shown.joined(separator: "\n"))")
      }
    }
    if ProcessInfo.processInfo.environment["ACCORD_RECORD"] == "1" {
      // Every command's whole output, to choose from when the README changes.
      try (record.joined(separator: "\n") + "\n").write(
        to: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("accord-walkthrough.txt"),
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
    var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return (process.terminationStatus, lines)
  }
}
