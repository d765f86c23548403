import CollaborationBenchmark
import PlaybookSpec
import ProgrammeEngine

extension RoundMeasurement {
  /// The round named `round` (nil: the latest counted) of `programme`, measured by the
  /// rules' one reading of it (`Programme.measure(round:)`), with a missing round reported
  /// as a file problem (66), as `benchmark` and the API's benchmark route both report it.
  package static func of(_ programme: Programme, round: String?) throws -> RoundMeasurement {
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
  package var json: BenchmarkJSON {
    BenchmarkJSON(client: client, round: round, benchmark: benchmark, comparison: comparison)
  }
}
