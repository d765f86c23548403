import OpportunityCalculator
import ProgrammeEngine

/// A value encoded as JSON null when absent, where the key must always be there.
struct Nullable<Wrapped: Encodable>: Encodable {
  var value: Wrapped?

  init(_ value: Wrapped?) { self.value = value }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if let value { try container.encode(value) } else { try container.encodeNil() }
  }
}

/// One imported survey round in `status --json`: its name and size, never its answers.
struct SurveyRoundJSON: Encodable {
  var name: String
  var responses: Int
  var by: String
  var at: String
  /// Who withdrew it from the benchmark, when and why; null while it counts.
  var withdrawn: Nullable<StampJSON>

  init(_ round: SurveyRound) {
    name = round.name
    responses = round.responses.count
    by = round.by
    at = Timestamp.format(round.at)
    withdrawn = Nullable(round.withdrawn.map(StampJSON.init))
  }

  /// A client's rounds, oldest first, as `status --json` lists them (`surveyRounds`).
  static func rounds(of programme: Programme) -> [SurveyRoundJSON] {
    programme.surveyRounds.map(SurveyRoundJSON.init)
  }
}

/// Who undid something in the open, when and why: `{"by", "at", "reason"}`, the reason
/// null when none was given.
struct StampJSON: Encodable {
  var by: String
  var at: String
  var reason: Nullable<String>

  init(_ stamp: Stamp) {
    by = stamp.by
    at = Timestamp.format(stamp.at)
    reason = Nullable(stamp.reason)
  }
}

/// The stored opportunity inputs in `status --json`; `opportunity --json` has the rows.
struct OpportunitySettingJSON: Encodable {
  var inputs: OpportunityInputs
  var by: String
  var at: String

  init(_ setting: OpportunitySetting) {
    inputs = setting.inputs
    by = setting.by
    at = Timestamp.format(setting.at)
  }
}
