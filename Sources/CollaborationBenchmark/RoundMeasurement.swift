import PlaybookSpec
import ProgrammeEngine

/// A survey round measured, and compared with the first round that counts when it is not
/// that round: what `accord benchmark` shows and `GET /api/v1/clients/{client}/benchmark`
/// answers, worked out once for both.
public struct RoundMeasurement {
  public var client: String
  public var round: SurveyRound
  public var benchmark: Benchmark
  public var comparison: (baseline: SurveyRound, RoundComparison)?
}

/// Why there is no round to measure.
public enum MeasurementProblem: Error, Equatable {
  /// No round has this name; `rounds` are the names there are.
  case unknownRound(String, rounds: [String])
  /// No round was named, and none counts: none imported, or every one withdrawn.
  case noRound(rounds: [String])
}

extension Programme {
  /// Measures the round named `name` (nil: the latest that counts), compared with the first
  /// that counts unless it is that one or either is withdrawn. Throws `Refusal.noSurvey`
  /// for a playbook without a survey, and `MeasurementProblem` when there is no such round.
  public func measure(round name: String?) throws -> RoundMeasurement {
    guard let survey = playbook.survey else { throw Refusal.noSurvey }
    let rounds = surveyRounds
    let counted = countedRounds
    let chosen = try name.map { name in
      guard let found = rounds.first(where: { $0.name == name }) else {
        throw MeasurementProblem.unknownRound(name, rounds: rounds.map(\.name))
      }
      return found
    } ?? counted.last
    guard let chosen, let first = counted.first ?? rounds.first else {
      throw MeasurementProblem.noRound(rounds: rounds.map(\.name))
    }
    let benchmark = Benchmark(survey: survey, responses: chosen.responses)
    // A withdrawn round, or the baseline itself, is compared with nothing.
    let comparison =
      chosen.name == first.name || chosen.withdrawn != nil || first.withdrawn != nil
      ? nil
      : (first, RoundComparison(baseline: Benchmark(survey: survey, responses: first.responses), current: benchmark))
    return RoundMeasurement(client: client, round: chosen, benchmark: benchmark, comparison: comparison)
  }
}
