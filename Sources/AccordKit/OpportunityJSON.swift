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
  /// The calculation again with the inputs the playbook maps to metrics taken from their
  /// baseline and their latest reading; absent when no mapped metric has a reading.
  package var metrics: [AtMetrics]?

  /// One calculation from the metrics' readings.
  package struct AtMetrics: Encodable {
    /// `baseline` or `latest`.
    package var point: String
    package var readings: [Reading]
    package var inputs: OpportunityInputs
    package var rows: [Row]

    package struct Reading: Encodable {
      package var metric: String
      package var value: String
      package var date: String

      package init(metric: String, value: String, date: String) {
        self.metric = metric
        self.value = value
        self.date = date
      }
    }

    package init(point: String, readings: [Reading], result: Opportunity) {
      self.point = point
      self.readings = readings
      inputs = result.inputs
      rows = OpportunityJSON.rows(of: result)
    }
  }

  static func rows(of result: Opportunity) -> [Row] {
    result.rows.map {
      Row(id: $0.id, label: $0.label, unit: $0.unit.rawValue, value: Figures.hundredth($0.value), input: $0.isInput)
    }
  }

  package init(client: String?, result: Opportunity, setting: OpportunitySetting?) {
    self.client = Nullable(client)
    currency = Nullable(result.inputs.currency)
    inputs = result.inputs
    rows = Self.rows(of: result)
    setBy = Nullable(setting?.by)
    setAt = Nullable(setting.map { Timestamp.format($0.at) })
  }
}
