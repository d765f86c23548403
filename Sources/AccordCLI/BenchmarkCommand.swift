import AccordKit
import ArgumentParser
import CollaborationBenchmark
import PlaybookSpec
import ProgrammeEngine

extension Accord {
  /// `accord benchmark`: a survey round measured.
  struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "benchmark",
      abstract: "Measure a survey round: collaboration index, gaps, bottlenecks, quick wins.",
      discussion: """
        Shows the collaboration index (0 to 100) overall, per dimension, per team and per \
        level, the perception gaps between teams, the weakest dimensions, the groups \
        furthest apart, and the low-hanging fruit. A round after the first is compared \
        with the first. Groups smaller than the playbook's anonymity threshold (3 unless \
        it says otherwise) are never shown on their own, in text or JSON: their answers \
        count only in the groups above them. A withdrawn round (accord survey withdraw) \
        counts for nothing: the latest round not withdrawn is shown, compared with the \
        first not withdrawn; --round still shows a withdrawn one, marked and compared with \
        nothing. A round open on the web (accord survey open) shows only its number of \
        answers until it is closed. docs/benchmark.md has every formula.
        """)

    @OptionGroup var client: ClientArgument
    @Option(help: ArgumentHelp("The round to measure (default: the latest).", valueName: "name"))
    var round: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let desk = try Desk(workspace, command: "benchmark")
      // A round past its last day is closed first, so that its results are read now.
      // Not on a remote's copy: the server closes its rounds, and sync brings the closing.
      if RemoteSession.current == nil { try SurveyWeb.closeDue(client.id, on: desk) }
      let programme = try desk.programme(client.id)
      // A round open on the web shows its number of answers and nothing else.
      if let round, programme.openRound(round) != nil {
        let count = try SurveyWeb.counts(client.id, of: programme, on: desk)[round] ?? 0
        throw FileProblem(
          path: client.id.rawValue,
          problem: "survey round '\(round)' is open on the web, with \(count) answer\(count == 1 ? "" : "s") so far: "
            + "its results are shown once it is closed (accord survey close \(client.id) --round \(round))",
          status: .noInput, code: "round-open")
      }
      let measured = try RoundMeasurement.of(programme, round: round)
      if output.json {
        try JSONOutput.print(measured.json)
      } else {
        emit(TextOutput().benchmark(programme, round: measured.round, measured.benchmark, comparison: measured.comparison))
      }
    }
  }
}
