import OpportunityCalculator
import ProgrammeEngine

/// `opportunity --json`: the inputs as stored and every row, values to two decimals.
package struct OpportunityJSON: Encodable {
  package struct Row: Encodable {
    package var id: String
    package var label: String
    package var unit: String
    package var value: Double
    var input: Bool
  }

  package var client: Nullable<String>
  package var currency: Nullable<String>
  package var inputs: OpportunityInputs
  package var rows: [Row]
  /// Who stored the inputs and when; null when they are not stored.
  var setBy: Nullable<String>
  var setAt: Nullable<String>

  package init(client: String?, result: Opportunity, setting: OpportunitySetting?) {
    self.client = Nullable(client)
    currency = Nullable(result.inputs.currency)
    inputs = result.inputs
    rows = result.rows.map {
      Row(id: $0.id, label: $0.label, unit: $0.unit.rawValue, value: Figures.hundredth($0.value), input: $0.isInput)
    }
    setBy = Nullable(setting?.by)
    setAt = Nullable(setting.map { Timestamp.format($0.at) })
  }
}
