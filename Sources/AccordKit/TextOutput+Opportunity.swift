import OpportunityCalculator
import ProgrammeEngine

extension TextOutput {
  /// The calculation as the article lays it out: one row per line, figures aligned on the
  /// right, results in bold on a terminal, and what it adds up to in a sentence.
  package func opportunity(_ result: Opportunity, title: String?, setting: OpportunitySetting?) -> [String] {
    let currency = result.inputs.currency
    var lines: [String] = []
    if let title {
      var heading = style.heading(title) + ": the opportunity"
      if let setting { heading += style.dim(", inputs set \(Timestamp.format(setting.at)) by \(setting.by)") }
      lines += [heading, ""]
    }
    var table = Table(leading: 1)
    for row in result.rows {
      table.append([row.label, Opportunity.shown(row, currency: currency)])
    }
    let rendered = table.render()
    for (row, line) in zip(result.rows, rendered) {
      lines.append(row.isInput ? line : style.heading(line))
    }
    lines.append("")
    lines += result.conclusions
    return lines
  }
}
