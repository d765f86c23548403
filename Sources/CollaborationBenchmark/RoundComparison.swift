/// How a later survey round moved from the first: the change in the collaboration index
/// overall and per dimension, in index points (later minus first).
///
/// Only what both rounds show is compared, so the anonymity of either round holds.
public struct RoundComparison: Sendable, Hashable {
  /// One figure in both rounds.
  public struct Change: Sendable, Hashable {
    public var before: Double
    public var after: Double
    public var change: Double { after - before }
  }

  /// The overall index, if both rounds show it.
  public var index: Change?
  /// Dimension id -> its change, for the dimensions both rounds show.
  public var dimensions: [String: Change]

  public init(baseline: Benchmark, current: Benchmark) {
    if let before = baseline.index, let after = current.index {
      index = Change(before: before, after: after)
    }
    var dimensions: [String: Change] = [:]
    for dimension in current.dimensions {
      guard let after = dimension.index,
        let before = baseline.dimensions.first(where: { $0.id == dimension.id })?.index
      else { continue }
      dimensions[dimension.id] = Change(before: before, after: after)
    }
    self.dimensions = dimensions
  }
}
