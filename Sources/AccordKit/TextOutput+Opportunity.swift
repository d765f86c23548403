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
      table.append([row.label, value(row, currency: currency)])
    }
    let rendered = table.render()
    for (row, line) in zip(result.rows, rendered) {
      lines.append(row.isInput ? line : style.heading(line))
    }
    lines.append("")
    let people = Figures.number(result.fullTimeEquivalents)
    lines.append(
      "Marketing: \(Figures.money(result.marketingOpportunity, currency: currency)) a year goes on "
        + "content sales never uses, the cost of \(people) full-time \(people == "1" ? "person" : "people").")
    if let sales = result.sales {
      lines.append(
        "Sales: winning back \(Figures.percent(sales.productivityGain)) of selling time is worth "
          + "\(Figures.money(sales.opportunity, currency: currency)) a year, and could lift profit by "
          + "up to \(Figures.percent(sales.profitImprovement)).")
    }
    return lines
  }

  private func value(_ row: Opportunity.Row, currency: String?) -> String {
    switch row.unit {
    case .money: Figures.money(row.value, currency: currency)
    case .percent: Figures.percent(row.value)
    case .people: Figures.number(row.value)
    case .times: Figures.number(row.value) + "x"
    }
  }
}
