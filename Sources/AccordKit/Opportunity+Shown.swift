import OpportunityCalculator

extension Opportunity {
  /// A row's value as every front end writes it: money in the inputs' currency, a share as
  /// a percentage, people and the multiplier as numbers.
  package static func shown(_ row: Row, currency: String?) -> String {
    switch row.unit {
    case .money: Figures.money(row.value, currency: currency)
    case .percent: Figures.percent(row.value)
    case .people: Figures.number(row.value)
    case .times: Figures.number(row.value) + "x"
    }
  }

  /// The calculation row by row, each result marked as one: the report's table and the
  /// benchmark page's.
  package var table: HTMLTable {
    HTMLTable(
      caption: "The calculation, row by row", header: ["Row", "Value"],
      rows: rows.map { [$0.label + ($0.isInput ? "" : " (result)"), Self.shown($0, currency: inputs.currency)] })
  }

  /// What the calculation comes to, in sentences: marketing's share, and sales' when its
  /// inputs are set.
  package var conclusions: [String] {
    let currency = inputs.currency
    let people = Figures.number(fullTimeEquivalents)
    var sentences = [
      "Marketing: \(Figures.money(marketingOpportunity, currency: currency)) a year goes on content sales never "
        + "uses, the cost of \(people) full-time \(people == "1" ? "person" : "people")."
    ]
    if let sales {
      sentences.append(
        "Sales: winning back \(Figures.percent(sales.productivityGain)) of selling time is worth "
          + "\(Figures.money(sales.opportunity, currency: currency)) a year, and could lift profit by up to "
          + "\(Figures.percent(sales.profitImprovement)).")
    }
    return sentences
  }
}
