import OpportunityCalculator
import ProgrammeEngine
import Testing

func close(_ value: Double?, _ expected: Double, sourceLocation: SourceLocation = #_sourceLocation) {
  guard let value else {
    Issue.record("expected \(expected), got nothing", sourceLocation: sourceLocation)
    return
  }
  #expect(abs(value - expected) < 1e-9, "\(value) is not \(expected)", sourceLocation: sourceLocation)
}

/// The article's sample calculation, row by row, on worked examples.
@Suite struct OpportunityTests {
  /// The article's "nearly three people", on deliberately conservative inputs for a
  /// mid-sized business: ten marketers costing 60,000 a year each; half their time on
  /// content; half of that unused (IDC says three quarters: we assume less); 20,000 a
  /// year printing, storing and hosting collateral nobody uses.
  static let article = OpportunityInputs(
    marketingStaff: 10, costPerHead: 60_000, contentShare: 50, unusedShare: 50, ancillary: 20_000,
    salesStaff: 20, salesCostPerHead: 70_000)

  @Test func nearlyThreePeople() {
    let result = Opportunity(Self.article)
    // 10 x 60,000 = 600,000
    close(result.salariesTotal, 600_000)
    // 600,000 x 50% x 50% = 150,000
    close(result.marketingTimeOpportunity, 150_000)
    // 150,000 + 20,000 = 170,000
    close(result.marketingOpportunity, 170_000)
    // 170,000 / 60,000 = 2.83: nearly three people paid for without return.
    close(result.fullTimeEquivalents, 170_000.0 / 60_000)
    #expect(result.fullTimeEquivalents > 2.5 && result.fullTimeEquivalents < 3)
  }

  @Test func salesRowsUseTheDefaults() throws {
    let sales = try #require(Opportunity(Self.article).sales)
    // 20 x 70,000 = 1,400,000
    close(sales.salariesTotal, 1_400_000)
    // 20% of selling time lost (default) x 50% of it won back (default) = 10%
    close(sales.productivityGain, 10)
    // 1,400,000 x 10% = 140,000 a year, or 20 x 10% = 2 salespeople's time
    close(sales.opportunity, 140_000)
    close(sales.fullTimeEquivalents, 2)
    // A 10% productivity gain x 4 (default) = up to 40% more profit
    close(sales.profitImprovement, 40)
  }

  @Test func idcDefaultAndNoSalesTeam() {
    // 4 x 50,000 = 200,000; x 40% x 75% (IDC, the default) = 60,000; no ancillary;
    // 60,000 / 50,000 = 1.2 people.
    let result = Opportunity(OpportunityInputs(marketingStaff: 4, costPerHead: 50_000, contentShare: 40))
    close(result.marketingOpportunity, 60_000)
    close(result.fullTimeEquivalents, 1.2)
    #expect(result.sales == nil)
    #expect(result.rows.count == 9)
  }

  @Test func adjustedMultiplierAndRecoveredShare() throws {
    var inputs = Self.article
    inputs.searchShare = 30
    inputs.recoveredShare = 100
    inputs.profitMultiplier = 2
    // 30% x 100% = 30% gain; 1,400,000 x 30% = 420,000; 30 x 2 = 60% profit.
    let sales = try #require(Opportunity(inputs).sales)
    close(sales.opportunity, 420_000)
    close(sales.profitImprovement, 60)
  }

  @Test func rowsFollowTheArticlesOrder() {
    let rows = Opportunity(Self.article).rows
    #expect(rows.map(\.id) == [
      "marketingStaff", "costPerHead", "salariesTotal", "contentShare", "unusedShare",
      "marketingTimeOpportunity", "ancillary", "marketingOpportunity", "fullTimeEquivalents",
      "salesStaff", "salesCostPerHead", "salesSalariesTotal", "searchShare", "recoveredShare",
      "salesProductivityGain", "salesOpportunity", "salesFullTimeEquivalents", "profitMultiplier",
      "profitImprovement",
    ])
    #expect(rows.filter(\.isInput).count == 10)
    #expect(rows.first { $0.id == "marketingOpportunity" }?.value == 170_000)
  }

  @Test func sensibleInputsHaveNoProblems() {
    #expect(Self.article.problems.isEmpty)
  }

  @Test(arguments: [
    (OpportunityInputs(marketingStaff: 0, costPerHead: 1, contentShare: 1), ["marketing staff must be more than 0, got 0"]),
    (OpportunityInputs(marketingStaff: 1, costPerHead: -5, contentShare: 1), ["cost per head must be more than 0, got -5"]),
    (OpportunityInputs(marketingStaff: 1, costPerHead: 1, contentShare: 120), ["content share must be a percentage from 0 to 100, got 120"]),
    (OpportunityInputs(marketingStaff: 1, costPerHead: 1, contentShare: 1, unusedShare: -1), ["unused share must be a percentage from 0 to 100, got -1"]),
    (OpportunityInputs(marketingStaff: 1, costPerHead: 1, contentShare: 1, ancillary: -1), ["ancillary cost must be 0 or more, got -1"]),
    (OpportunityInputs(marketingStaff: 1, costPerHead: 1, contentShare: 1, salesStaff: 3), ["sales staff and sales cost per head go together: give both or neither"]),
    (OpportunityInputs(marketingStaff: .nan, costPerHead: 1, contentShare: 1, currency: ""), ["marketing staff must be more than 0, got nan", "currency must be 1 to 8 visible characters, such as GBP or €"]),
  ])
  func badInputsAreNamed(_ inputs: OpportunityInputs, _ problems: [String]) {
    #expect(inputs.problems == problems)
  }
}
