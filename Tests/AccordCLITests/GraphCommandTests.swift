import Foundation
import Testing

@testable import AccordKit

/// `accord graph`: the picture of a programme as Mermaid, DOT and (through Graphviz) SVG,
/// checked by the tools that read them: `dot` itself, and Mermaid's grammar as far as it can
/// be checked without a browser.
@Suite("Graph")
struct GraphCommandTests {
  /// Graphviz's `dot`, which scripts/test-deps installs.
  static let dot = "/usr/bin/dot"

  /// Runs `dot -Tsvg` on `source`: its exit status, the SVG, and what it said on stderr.
  static func runDot(_ source: String) throws -> (status: Int32, svg: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: dot)
    process.arguments = ["-Tsvg"]
    let input = Pipe.unshared()
    let output = Pipe.unshared()
    let errors = Pipe.unshared()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let writer = Thread {
      try? input.fileHandleForWriting.write(contentsOf: Data(source.utf8))
      try? input.fileHandleForWriting.close()
    }
    writer.start()
    let said = DispatchQueue(label: "dot-stderr")
    nonisolated(unsafe) var errorData = Data()
    let drained = DispatchSemaphore(value: 0)
    said.async {
      errorData = errors.fileHandleForReading.readDataToEndOfFile()
      drained.signal()
    }
    let svg = output.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: svg, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
  }

  /// Checks what can be checked of a Mermaid flowchart here: the header, every subgraph
  /// closed, every node declared once with a quoted label holding no bare quote, and every
  /// edge and class naming declared nodes.
  static func checkMermaid(_ text: String) {
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(lines.first == "flowchart LR")
    var depth = 0
    var nodes: Set<String> = []
    var edges = 0
    for line in lines.dropFirst() {
      if line.hasPrefix("subgraph ") {
        depth += 1
        #expect(line.wholeMatch(of: /subgraph s\d+\["[^"]*"\]/) != nil, "\(line)")
      } else if line == "end" {
        depth -= 1
        #expect(depth >= 0)
      } else if line == "direction TB" {
        #expect(depth == 1)
      } else if let node = line.wholeMatch(of: /(n\d+)(\("[^"]*"\)|\["[^"]*"\]|\{\{"[^"]*"\}\})/) {
        #expect(depth == 1, "a node outside its stage: \(line)")
        #expect(nodes.insert(String(node.1)).inserted, "declared twice: \(line)")
      } else if let edge = line.wholeMatch(of: /(n\d+) (?:-->|-\. gate \.->) (n\d+)/) {
        #expect(nodes.contains(String(edge.1)) && nodes.contains(String(edge.2)), "\(line)")
        edges += 1
      } else if line.hasPrefix("classDef ") {
        #expect(line.wholeMatch(of: /classDef (done|ready|waiting|gated|overdue) fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6}/) != nil)
      } else if let member = line.wholeMatch(of: /class ([n0-9,]+) (done|ready|waiting|gated|overdue)/) {
        for name in member.1.split(separator: ",") { #expect(nodes.contains(String(name)), "\(line)") }
      } else {
        Issue.record("a line Mermaid's flowchart grammar does not have here: \(line)")
      }
    }
    #expect(depth == 0)
    #expect(!nodes.isEmpty)
    #expect(edges > 0)
  }

  /// A playbook whose every title is hostile: quotes, backslashes, markup, Mermaid's entity
  /// marks and DOT's own escapes.
  static let hostilePlaybook = #"""
    playbook: hostile
    version: 1
    title: 'Quote " and back\slash'
    roles: {consultant: Consultant}
    stages:
      - id: first
        title: '</title><script>alert(1)</script>'
        milestones:
          - {id: a, title: 'Say "hi" \n \N \" end\', owner: consultant}
          - {id: b, title: 'A #quot; & <b>bold</b> `tick`', owner: consultant, needs: [a]}
        agreements:
          - {id: deal, title: '"]; evil [label="x', signatories: [consultant], needs: [b]}
      - id: second
        title: 'Second } end'
        gate: {agreements: [deal]}
        milestones:
          - {id: c, title: 'subgraph end -->', owner: consultant}
    """#

  func hostileFile(_ accord: AccordBinary) throws -> String {
    let path = accord.folder.appendingPathComponent("hostile.yaml").path
    try Data(Self.hostilePlaybook.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func aClientsDOTIsAcceptedByDotWithEveryNodeMarked() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme", "--name", "Acme Ltd").status == 0)
    try #require(accord("assign", "acme", "czar", "carol").status == 0)
    try #require(accord("complete", "acme", "stakeholder-map").status == 0)
    let run = try accord("graph", "acme", "--format", "dot", "--as-of", "2099-01-01")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.hasPrefix("digraph programme {"))
    // Stages are clusters; needs and gates are edges.
    #expect(run.stdout.contains("subgraph cluster_0"))
    #expect(run.stdout.contains(#"[class="needs"]"#))
    #expect(run.stdout.contains(#"class="gate", style=dashed"#))

    let drawn = try Self.runDot(run.stdout)
    #expect(drawn.status == 0, "\(drawn.errors)")
    #expect(drawn.errors.isEmpty, "dot warned: \(drawn.errors)")
    #expect(drawn.svg.contains("<svg"))
    // Each state reaches the SVG as a class: done (the map), overdue (work ready since a
    // date long past), waiting (a later stage's work), gated (implementation's gate).
    #expect(drawn.svg.contains(#"class="node milestone done""#))
    #expect(drawn.svg.contains(#"class="node milestone overdue""#))
    #expect(drawn.svg.contains(#"class="node milestone waiting""#))
    #expect(drawn.svg.contains(#"class="node gate gated""#))
    #expect(drawn.svg.contains("Map the stakeholders"))
  }

  @Test func onTheDayItIsReadyNotOverdue() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme").status == 0)
    let today = try accord("graph", "acme", "--format", "dot")
    #expect(today.status == 0, "\(today.stderr)")
    #expect(today.stdout.contains(#"class="milestone ready""#))
    #expect(!today.stdout.contains("overdue"))
    let later = try accord("graph", "acme", "--format", "dot", "--as-of", "2099-01-01")
    #expect(later.stdout.contains(#"class="milestone overdue""#))
  }

  @Test func svgIsDrawnThroughGraphviz() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme").status == 0)
    let run = try accord("graph", "acme", "--format", "svg")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("<svg"))
    #expect(run.stdout.contains(#"class="node milestone ready""#))
    // --out FILE: its extension picks the format, and an existing file is kept without --force.
    let out = accord.folder.appendingPathComponent("acme.svg").path
    let written = try accord("graph", "acme", "--out", out)
    #expect(written.status == 0, "\(written.stderr)")
    #expect((written.stdout + written.stderr).contains("\(out): an SVG picture of acme."))
    #expect(try String(contentsOfFile: out, encoding: .utf8).contains("<svg"))
    let again = try accord("graph", "acme", "--out", out)
    #expect(again.status == 73)
    #expect(again.stderr.contains("already exists; use --force"))
    #expect(try accord("graph", "acme", "--out", out, "--force").status == 0)
  }

  @Test func withoutDotSVGSaysHowToInstallIt() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme").status == 0)
    // A PATH with no dot on it (the binary is run by its full path, so nothing else is needed).
    let empty = accord.folder.appendingPathComponent("bin", isDirectory: true)
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let run = try accord("graph", "acme", "--format", "svg", environment: ["PATH": empty.path])
    #expect(run.status == 66)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains(
      "accord graph --format svg needs Graphviz's dot: install it (Debian/Ubuntu: apt-get install graphviz; "
        + "macOS: brew install graphviz), or use --format dot or mermaid"))
    // DOT and Mermaid need nothing installed.
    #expect(try accord("graph", "acme", "--format", "dot", environment: ["PATH": empty.path]).status == 0)
    #expect(try accord("graph", "acme", environment: ["PATH": empty.path]).status == 0)
  }

  @Test func aClientsMermaidIsWellFormed() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme").status == 0)
    try #require(accord("complete", "acme", "stakeholder-map").status == 0)
    let run = try accord("graph", "acme")
    #expect(run.status == 0, "\(run.stderr)")
    Self.checkMermaid(run.stdout)
    #expect(run.stdout.contains(#"("Map the stakeholders (done)")"#))
    #expect(run.stdout.contains("class "))
  }

  @Test func aPlaybookFileIsDrawnWithoutStates() throws {
    let accord = try AccordBinary()
    let path = AccordBinary.packageRoot.appendingPathComponent("playbooks/alignment.yaml").path
    let mermaid = try accord("graph", path, "--format", "mermaid")
    #expect(mermaid.status == 0, "\(mermaid.stderr)")
    Self.checkMermaid(mermaid.stdout)
    #expect(!mermaid.stdout.contains("classDef"))
    let dot = try accord("graph", path, "--format", "dot")
    #expect(dot.status == 0)
    #expect(!dot.stdout.contains("done"))
    #expect(try Self.runDot(dot.stdout).status == 0)
    // A playbook by name that is not there, and a playbook with --as-of.
    let missing = try accord("graph", "nowhere.yaml")
    #expect(missing.status == 66)
    #expect(missing.stderr.contains("nowhere.yaml: no such file"))
    #expect(try accord("graph", path, "--as-of", "2030-01-01").status == 64)
    // A client that is not there is named as one.
    let noClient = try accord("graph", "nobody")
    #expect(noClient.status == 66)
  }

  @Test func hostileTitlesStayLabels() throws {
    let accord = try AccordBinary()
    let path = try hostileFile(accord)
    let dot = try accord("graph", path, "--format", "dot")
    try #require(dot.status == 0, "\(dot.stderr)")
    // Each title stays inside its quoted string, so no title ends it or adds an attribute.
    #expect(dot.stdout.contains(#"label="\"]; evil [label=\"x""#))
    #expect(dot.stdout.contains(#"label="Say \"hi\" \\n \\N \\\" end\\""#))
    let drawn = try Self.runDot(dot.stdout)
    #expect(drawn.status == 0, "\(drawn.errors)")
    #expect(!drawn.svg.contains("<script"))
    #expect(drawn.svg.contains("&lt;/title&gt;&lt;script&gt;"))
    // The backslashes are drawn as typed, not taken as DOT's line breaks or node names.
    #expect(drawn.svg.contains(#"Say &quot;hi&quot; \n \N \&quot; end\"#))
    #expect(drawn.svg.components(separatedBy: "class=\"node").count - 1 == 5)

    let mermaid = try accord("graph", path)
    try #require(mermaid.status == 0, "\(mermaid.stderr)")
    Self.checkMermaid(mermaid.stdout)
    #expect(mermaid.stdout.contains(#"n1("A #35;quot; #amp; #lt;b#gt;bold#lt;/b#gt; #96;tick#96;")"#))
    #expect(!mermaid.stdout.contains("<script"))

    let svg = try accord("graph", path, "--format", "svg")
    #expect(svg.status == 0)
    #expect(!svg.stdout.contains("<script"))
  }

  @Test func lineBreaksAndControlsInATitleBecomeSpaces() {
    #expect(ProgrammeGraph.dotString("a\nb\r\u{2028}c\u{1B}d") == #""a b  c d""#)
    #expect(ProgrammeGraph.dotString(#"x"\"#, lineBelow: "(done)") == #""x\"\\\n(done)""#)
    #expect(ProgrammeGraph.mermaidLabel("a\n\"b\"") == #""a #quot;b#quot;""#)
  }
}
