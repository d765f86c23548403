/// What the opportunity calculator needs to know about a client: the size and cost of
/// its marketing and sales teams, and how much of their time goes on content that is
/// wasted. Percentages are numbers from 0 to 100, as people write them.
///
/// Stored whole in a client's history (the `opportunitySet` event), defaults included, so
/// a client's figures never change because a later Accord chose other defaults.
public struct OpportunityInputs: Sendable, Hashable, Codable {
  /// How many people work in marketing (full-time equivalents; fractions are fine).
  public var marketingStaff: Double
  /// The average annual employment cost of one of them: salary and on-costs.
  public var costPerHead: Double
  /// The share of marketing's time spent creating and curating content, in percent.
  public var contentShare: Double
  /// The share of that content sales never uses, in percent.
  public var unusedShare: Double
  /// A year's ancillary cost of the unused collateral: IT, printing, distribution, storage.
  public var ancillary: Double
  /// How many people sell; nil leaves the sales rows out.
  public var salesStaff: Double?
  /// The average annual employment cost of a salesperson; given with `salesStaff`.
  public var salesCostPerHead: Double?
  /// The share of selling time spent looking for or reworking content, in percent.
  public var searchShare: Double
  /// The share of that time better collaboration wins back for selling, in percent.
  public var recoveredShare: Double
  /// How many times a sales productivity gain lifts profit.
  public var profitMultiplier: Double
  /// How money is shown (`GBP`, `EUR`, `$`...); nil shows plain numbers.
  public var currency: String?

  /// IDC: only 25% of what marketing produces is ever used by sales.
  public static let defaultUnusedShare = 75.0
  /// Research puts the time salespeople spend looking for or reworking content at
  /// 20-30%; the low end, to stay conservative.
  public static let defaultSearchShare = 20.0
  /// Not every minute lost is won back: by default half is. That turns 20% lost into the
  /// article's "just 10% more selling time".
  public static let defaultRecoveredShare = 50.0
  /// A 5% gain in sales productivity can lift profit by up to 20%.
  public static let defaultProfitMultiplier = 4.0

  public init(
    marketingStaff: Double, costPerHead: Double, contentShare: Double,
    unusedShare: Double = defaultUnusedShare, ancillary: Double = 0,
    salesStaff: Double? = nil, salesCostPerHead: Double? = nil,
    searchShare: Double = defaultSearchShare, recoveredShare: Double = defaultRecoveredShare,
    profitMultiplier: Double = defaultProfitMultiplier, currency: String? = nil
  ) {
    self.marketingStaff = marketingStaff
    self.costPerHead = costPerHead
    self.contentShare = contentShare
    self.unusedShare = unusedShare
    self.ancillary = ancillary
    self.salesStaff = salesStaff
    self.salesCostPerHead = salesCostPerHead
    self.searchShare = searchShare
    self.recoveredShare = recoveredShare
    self.profitMultiplier = profitMultiplier
    self.currency = currency
  }

  /// Every reason these inputs cannot be calculated with, in input order; empty when
  /// they can. Checked by the engine too, so a stored client never holds nonsense.
  public var problems: [String] {
    var problems: [String] = []
    func positive(_ value: Double, _ name: String) {
      if !(value.isFinite && value > 0) { problems.append("\(name) must be more than 0, got \(show(value))") }
    }
    func share(_ value: Double, _ name: String) {
      if !(value.isFinite && (0...100).contains(value)) {
        problems.append("\(name) must be a percentage from 0 to 100, got \(show(value))")
      }
    }
    func nonNegative(_ value: Double, _ name: String) {
      if !(value.isFinite && value >= 0) { problems.append("\(name) must be 0 or more, got \(show(value))") }
    }
    positive(marketingStaff, "marketing staff")
    positive(costPerHead, "cost per head")
    share(contentShare, "content share")
    share(unusedShare, "unused share")
    nonNegative(ancillary, "ancillary cost")
    switch (salesStaff, salesCostPerHead) {
    case let (staff?, cost?):
      positive(staff, "sales staff")
      positive(cost, "sales cost per head")
    case (nil, nil):
      break
    default:
      problems.append("sales staff and sales cost per head go together: give both or neither")
    }
    share(searchShare, "search share")
    share(recoveredShare, "recovered share")
    nonNegative(profitMultiplier, "profit multiplier")
    if let currency, currency.isEmpty || currency.count > 8
      || currency.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      problems.append("currency must be 1 to 8 visible characters, such as GBP or €")
    }
    return problems
  }

  private func show(_ value: Double) -> String {
    value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
  }
}
