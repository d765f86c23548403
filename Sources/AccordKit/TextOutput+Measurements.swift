import OpportunityCalculator
import ProgrammeEngine

extension TextOutput {
  /// The survey rounds and the opportunity inputs a client holds, for `status`; nothing
  /// when it holds neither.
  func measurements(_ programme: Programme) -> [String] {
    var lines: [String] = []
    if !programme.surveyRounds.isEmpty {
      lines += ["", style.heading("Survey rounds")]
      var table = Table()
      for round in programme.surveyRounds {
        var when = "imported \(Timestamp.format(round.at)) by \(round.by)"
        if let withdrawn = round.withdrawn {
          when += "; withdrawn \(Timestamp.format(withdrawn.at)) by \(withdrawn.by)"
            + (withdrawn.reason.map { ": " + Shown.noteOnOneLine($0) } ?? "")
        }
        table.append(
          round.name, "\(round.responses.count) responses" + (round.withdrawn == nil ? "" : ", withdrawn"),
          style.dim(when))
      }
      lines += table.render()
    }
    if let setting = programme.opportunity {
      lines += [
        "", style.heading("Opportunity"),
        "  " + opportunitySummary(setting.inputs) + "  "
          + style.dim("set \(Timestamp.format(setting.at)) by \(setting.by)"),
      ]
    }
    return lines
  }

  /// One line for the opportunity: `£170,000 a year in marketing (2.83 people)`.
  package func opportunitySummary(_ inputs: OpportunityInputs) -> String {
    let result = Opportunity(inputs)
    var text = Figures.money(result.marketingOpportunity, currency: inputs.currency)
      + " a year in marketing (\(Figures.number(result.fullTimeEquivalents)) people)"
    if let sales = result.sales {
      text += ", " + Figures.money(sales.opportunity, currency: inputs.currency) + " in sales"
    }
    return text
  }
}
