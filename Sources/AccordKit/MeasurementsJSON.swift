import OpportunityCalculator
import ProgrammeEngine

/// A value encoded as JSON null when absent, where the key must always be there.
package struct Nullable<Wrapped: Encodable>: Encodable {
  package var value: Wrapped?

  package init(_ value: Wrapped?) { self.value = value }

  package func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if let value { try container.encode(value) } else { try container.encodeNil() }
  }
}

/// One imported survey round in `status --json`: its name and size, never its answers.
package struct SurveyRoundJSON: Encodable {
  package var name: String
  package var responses: Int
  package var by: String
  package var at: String
  /// Who withdrew it from the benchmark, when and why; null while it counts.
  package var withdrawn: Nullable<StampJSON>

  package init(_ round: SurveyRound) {
    name = round.name
    responses = round.responses.count
    by = round.by
    at = Timestamp.format(round.at)
    withdrawn = Nullable(round.withdrawn.map(StampJSON.init))
  }

  /// A client's rounds, oldest first, as `status --json` lists them (`surveyRounds`).
  package static func rounds(of programme: Programme) -> [SurveyRoundJSON] {
    programme.surveyRounds.map(SurveyRoundJSON.init)
  }
}

/// Who undid something in the open, when and why: `{"by", "at", "reason"}`, the reason
/// null when none was given.
package struct StampJSON: Encodable {
  package var by: String
  package var at: String
  package var reason: Nullable<String>

  package init(_ stamp: Stamp) {
    by = stamp.by
    at = Timestamp.format(stamp.at)
    reason = Nullable(stamp.reason)
  }
}

/// The stored opportunity inputs in `status --json`; `opportunity --json` has the rows.
package struct OpportunitySettingJSON: Encodable {
  package var inputs: OpportunityInputs
  package var by: String
  package var at: String

  package init(_ setting: OpportunitySetting) {
    inputs = setting.inputs
    by = setting.by
    at = Timestamp.format(setting.at)
  }
}
