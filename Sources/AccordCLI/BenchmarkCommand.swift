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
      let measured = try Self.measure(programme, round: round)
      if output.json {
        try JSONOutput.print(measured.json)
      } else {
        emit(TextOutput().benchmark(programme, round: measured.round, measured.benchmark, comparison: measured.comparison))
      }
    }

    /// A round measured, and compared with the first when it is not the first.
    struct Measured {
      var client: String
      var round: SurveyRound
      var benchmark: Benchmark
      var comparison: (baseline: SurveyRound, RoundComparison)?

      /// What `benchmark --json` prints.
      var json: BenchmarkJSON {
        BenchmarkJSON(client: client, round: round, benchmark: benchmark, comparison: comparison)
      }
    }

    /// Measures the round named `round` (nil: the latest counted), as `benchmark` shows it
    /// and `GET /api/v1/clients/{client}/benchmark` answers it.
    static func measure(_ programme: Programme, round: String?) throws -> Measured {
      let id = programme.client
      guard let survey = programme.playbook.survey else { throw Refusal.noSurvey }
      let rounds = programme.surveyRounds
      let counted = programme.countedRounds
      let chosen = try round.map { name in
        guard let found = rounds.first(where: { $0.name == name }) else {
          let names = rounds.map(\.name)
          throw FileProblem(
            path: id,
            problem: "no survey round '\(name)' (rounds: \(names.joined(separator: ", ")))",
            status: .noInput, code: "unknown-round", suggestion: closestMatch(to: name, among: names))
        }
        return found
      } ?? counted.last
      guard let chosen, let first = counted.first ?? rounds.first else {
        throw FileProblem(
          path: id,
          problem: rounds.isEmpty
            ? "no survey round has been imported yet; import one with "
              + "`accord survey import \(id) FILE`"
            : "every survey round has been withdrawn (\(rounds.map(\.name).joined(separator: ", "))); "
              + "import one with `accord survey import \(id) FILE`, or name a withdrawn one with --round",
          status: .noInput, code: "no-survey-round")
      }
      let benchmark = Benchmark(survey: survey, responses: chosen.responses)
      // A withdrawn round, or the baseline itself, is compared with nothing.
      let comparison =
        chosen.name == first.name || chosen.withdrawn != nil || first.withdrawn != nil
        ? nil
        : (first, RoundComparison(
          baseline: Benchmark(survey: survey, responses: first.responses), current: benchmark))
      return Measured(client: id, round: chosen, benchmark: benchmark, comparison: comparison)
    }
  }
}
