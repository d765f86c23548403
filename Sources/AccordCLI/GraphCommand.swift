import AccordKit
import ArgumentParser
import Foundation
import PlaybookSpec
import WorkspaceStore

extension Accord {
  /// `accord graph`: a picture of a programme, for a client or for a playbook file.
  struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "graph",
      abstract: "Draw a client's programme, or a playbook, as a Mermaid, Graphviz DOT or SVG picture.",
      discussion: """
        Stages are groups, milestones and agreements are nodes, and what each needs (and \
        what a gate waits for) are edges. For a client each node is marked done, ready, \
        waiting, gated or overdue (judged on today in the workspace's time zone, or on \
        --as-of). The argument is a playbook when it names a file or ends in .yaml or .yml, \
        else a client id. --format svg runs Graphviz's dot, which must be installed \
        (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz); without \
        --format, --out FILE's extension (.svg, .dot or .gv, .mmd) picks it, else mermaid. \
        An existing --out FILE is only replaced with --force.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case mermaid, dot, svg
    }

    @Argument(
      help: ArgumentHelp("A client's id, or a playbook file (.yaml or .yml).", valueName: "playbook-or-client"),
      completion: .file(extensions: ["yaml", "yml"]))
    var subject: String
    @Option(help: ArgumentHelp("mermaid, dot or svg (default: as --out FILE's extension says, else mermaid).", valueName: "format"))
    var format: Format?
    @Option(
      help: ArgumentHelp("Write the picture to this file instead of printing it.", valueName: "file"),
      completion: .file())
    var out: String?
    @Flag(help: "Replace --out FILE if it exists.")
    var force = false
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var workspace: WorkspaceOptions

    /// The format a file's name asks for, if it asks for one.
    static func format(of path: String) -> Format? {
      switch URL(fileURLWithPath: path).pathExtension.lowercased() {
      case "svg": .svg
      case "dot", "gv": .dot
      case "mmd", "mermaid": .mermaid
      default: nil
      }
    }

    /// Whether the argument names a playbook rather than a client: a file that is there,
    /// or a name a playbook file has (a client id never ends in `.yaml`: it has no dots).
    static func namesPlaybook(_ subject: String) -> Bool {
      let lowered = subject.lowercased()
      return lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") || FileManager.default.fileExists(atPath: subject)
    }

    func validate() throws {
      try OutputFile.checkForce(force, out: out)
      if asOf.asOf != nil && Self.namesPlaybook(subject) {
        throw ValidationError("--as-of only applies to a client: a playbook has no dates of its own")
      }
    }

    func run() throws {
      let format = format ?? out.flatMap(Self.format(of:)) ?? .mermaid
      let output = out.map { OutputFile(path: $0, force: force) }
      // Before anything is read or drawn: an answer that is refused anyway should come first.
      try output?.checkWritable()
      let graphviz = Graphviz()
      if format == .svg && graphviz == nil { throw GraphvizFailure.missing }

      let graph: ProgrammeGraph
      if Self.namesPlaybook(subject) {
        graph = ProgrammeGraph(playbook: try Playbook.parse(try InputFile.playbook.read(subject), file: subject))
      } else {
        let id = try ClientID(subject)
        let desk = try Desk(workspace, command: "graph")
        let programme = try desk.programme(id)
        graph = ProgrammeGraph(programme: programme, dates: try desk.dates(of: programme, asOf: asOf.asOf))
      }

      let text: String
      switch format {
      case .mermaid: text = graph.mermaid()
      case .dot: text = graph.dot()
      case .svg:
        guard let graphviz else { throw GraphvizFailure.missing }
        text = try graphviz.svg(from: graph.dot())
      }
      guard let output else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
      }
      try output.write(text)
      let kind =
        switch format {
        case .mermaid: "a Mermaid"
        case .dot: "a DOT"
        case .svg: "an SVG"
        }
      emit(["Wrote \(output.path): \(kind) picture of \(subject)."])
    }
  }
}
