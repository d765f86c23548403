extension Opportunity {
  /// One line of the calculation, in the article's words, so that the text and JSON
  /// renderings show the same rows in the same order.
  public struct Row: Sendable, Hashable {
    /// What a row's value measures, for formatting.
    public enum Unit: String, Sendable {
      /// A number of people.
      case people
      /// An amount of money, per year where the label says so.
      case money
      /// A percentage, 0 to 100.
      case percent
      /// A plain multiplier, such as 4x.
      case times
    }

    /// A stable key for scripts, such as `salariesTotal`.
    public var id: String
    public var label: String
    public var value: Double
    public var unit: Unit
    /// Whether the row is an input rather than a result.
    public var isInput: Bool
  }

  /// Every row, inputs and results interleaved as in the article's table.
  public var rows: [Row] {
    func input(_ id: String, _ label: String, _ value: Double, _ unit: Row.Unit) -> Row {
      Row(id: id, label: label, value: value, unit: unit, isInput: true)
    }
    func result(_ id: String, _ label: String, _ value: Double, _ unit: Row.Unit) -> Row {
      Row(id: id, label: label, value: value, unit: unit, isInput: false)
    }
    var rows = [
      input("marketingStaff", "Number of marketing staff", inputs.marketingStaff, .people),
      input("costPerHead", "Average annual employment cost", inputs.costPerHead, .money),
      result("salariesTotal", "Salaries total", salariesTotal, .money),
      input(
        "contentShare", "Time spent on content creation and curation", inputs.contentShare, .percent),
      input("unusedShare", "Share of that content not used by sales", inputs.unusedShare, .percent),
      result(
        "marketingTimeOpportunity", "Productivity opportunity from marketing time alone",
        marketingTimeOpportunity, .money),
      // IT, printing, distribution and storage: the --help and docs say so.
      input("ancillary", "Ancillary cost of unused collateral", inputs.ancillary, .money),
      result("marketingOpportunity", "Marketing productivity opportunity p.a.", marketingOpportunity, .money),
      result("fullTimeEquivalents", "Full-time equivalents p.a.", fullTimeEquivalents, .people),
    ]
    if let sales, let staff = inputs.salesStaff, let cost = inputs.salesCostPerHead {
      rows += [
        input("salesStaff", "Number of salespeople", staff, .people),
        input("salesCostPerHead", "Average annual employment cost in sales", cost, .money),
        result("salesSalariesTotal", "Sales salaries total", sales.salariesTotal, .money),
        input(
          "searchShare", "Selling time spent looking for or reworking content", inputs.searchShare,
          .percent),
        input("recoveredShare", "Share of that time won back for selling", inputs.recoveredShare, .percent),
        result("salesProductivityGain", "Sales productivity gain", sales.productivityGain, .percent),
        result("salesOpportunity", "Sales productivity opportunity p.a.", sales.opportunity, .money),
        result(
          "salesFullTimeEquivalents", "Selling time won back, in full-time equivalents",
          sales.fullTimeEquivalents, .people),
        input(
          "profitMultiplier", "Profit multiplier of a sales productivity gain", inputs.profitMultiplier,
          .times),
        result("profitImprovement", "Profit improvement, up to", sales.profitImprovement, .percent),
      ]
    }
    return rows
  }
}
