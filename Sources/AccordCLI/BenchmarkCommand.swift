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
        nothing. docs/benchmark.md has every formula.
        """)

    @OptionGroup var client: ClientArgument
    @Option(help: ArgumentHelp("The round to measure (default: the latest).", valueName: "name"))
    var round: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let programme = try Desk(workspace, command: "benchmark").programme(client.id)
      let measured = try RoundMeasurement.of(programme, round: round)
      if output.json {
        try JSONOutput.print(measured.json)
      } else {
        emit(TextOutput().benchmark(programme, round: measured.round, measured.benchmark, comparison: measured.comparison))
      }
    }
  }
}

extension RoundMeasurement {
  /// The round named `round` (nil: the latest counted) of `programme`, measured by the
  /// rules' one reading of it (`Programme.measure(round:)`), with a missing round reported
  /// as a file problem (66), as `benchmark` and the API's benchmark route both report it.
  static func of(_ programme: Programme, round: String?) throws -> RoundMeasurement {
    do {
      return try programme.measure(round: round)
    } catch let problem as MeasurementProblem {
      let id = programme.client
      switch problem {
      case let .unknownRound(name, names):
        throw FileProblem(
          path: id,
          problem: "no survey round '\(name)' (rounds: \(names.joined(separator: ", ")))",
          status: .noInput, code: "unknown-round", suggestion: closestMatch(to: name, among: names))
      case let .noRound(names):
        throw FileProblem(
          path: id,
          problem: names.isEmpty
            ? "no survey round has been imported yet; import one with "
              + "`accord survey import \(id) FILE`"
            : "every survey round has been withdrawn (\(names.joined(separator: ", "))); "
              + "import one with `accord survey import \(id) FILE`, or name a withdrawn one with --round",
          status: .noInput, code: "no-survey-round")
      }
    }
  }

  /// What `benchmark --json` prints, and the API answers.
  var json: BenchmarkJSON {
    BenchmarkJSON(client: client, round: round, benchmark: benchmark, comparison: comparison)
  }
}
