import ProgrammeEngine

/// The article's sample calculation of what misalignment costs, row by row: marketing
/// time spent on content sales never uses, the collateral's running costs, the same in
/// people, and the selling time lost looking for content, with its effect on profit.
///
/// Pure arithmetic on `OpportunityInputs`; docs/benchmark.md gives every formula with a
/// worked example.
public struct Opportunity: Sendable, Hashable {
  public var inputs: OpportunityInputs
  /// Marketing staff x cost per head.
  public var salariesTotal: Double
  /// Salaries total x content share x unused share: marketing time spent on waste.
  public var marketingTimeOpportunity: Double
  /// The marketing time opportunity plus the ancillary cost, per year.
  public var marketingOpportunity: Double
  /// The marketing opportunity in people: divided by the cost per head.
  public var fullTimeEquivalents: Double
  /// The sales rows, when the inputs give the sales team.
  public var sales: Sales?

  /// The selling time lost to content, and what winning it back is worth.
  public struct Sales: Sendable, Hashable {
    /// Sales staff x sales cost per head.
    public var salariesTotal: Double
    /// Search share x recovered share, in percent of selling time.
    public var productivityGain: Double
    /// Sales salaries total x the productivity gain, per year.
    public var opportunity: Double
    /// Sales staff x the productivity gain.
    public var fullTimeEquivalents: Double
    /// The productivity gain x the profit multiplier, in percent: "up to".
    public var profitImprovement: Double
  }

  /// Calculates every row. The inputs should have no `problems`; if they do, the rows
  /// still follow the formulas (a zero cost per head gives no full-time equivalents).
  public init(_ inputs: OpportunityInputs) {
    self.inputs = inputs
    salariesTotal = inputs.marketingStaff * inputs.costPerHead
    marketingTimeOpportunity = salariesTotal * inputs.contentShare / 100 * inputs.unusedShare / 100
    marketingOpportunity = marketingTimeOpportunity + inputs.ancillary
    fullTimeEquivalents = inputs.costPerHead > 0 ? marketingOpportunity / inputs.costPerHead : 0
    if let staff = inputs.salesStaff, let cost = inputs.salesCostPerHead {
      let gain = inputs.searchShare * inputs.recoveredShare / 100
      sales = Sales(
        salariesTotal: staff * cost, productivityGain: gain,
        opportunity: staff * cost * gain / 100, fullTimeEquivalents: staff * gain / 100,
        profitImprovement: gain * inputs.profitMultiplier)
    }
  }
}
