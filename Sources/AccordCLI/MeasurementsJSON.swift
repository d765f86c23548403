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

  init(_ round: SurveyRound) {
    name = round.name
    responses = round.responses.count
    by = round.by
    at = Timestamp.format(round.at)
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
