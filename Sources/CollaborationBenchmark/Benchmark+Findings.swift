extension Benchmark {
  /// A dimension this strong is one where the teams broadly work well together.
  public static let healthyDimension = 60.0
  /// A statement this far below its healthy dimension is a single sticking point.
  public static let fruitShortfall = 15.0
  /// No more weakest dimensions than this are named.
  public static let maximumWeakest = 3

  /// The lowest shown dimensions, lowest first (ties in survey order): three at most,
  /// and never more than half of them (rounded up), so the weakest stay a short list.
  static func weakest(_ dimensions: [DimensionResult]) -> [String] {
    let shown = dimensions.enumerated().compactMap { entry in
      entry.element.index.map { (offset: entry.offset, id: entry.element.id, index: $0) }
    }
    let count = min(maximumWeakest, (shown.count + 1) / 2)
    return shown.sorted { ($0.index, $0.offset) < ($1.index, $1.offset) }.prefix(count).map(\.id)
  }

  /// Statements at least `fruitShortfall` points below a dimension whose index is at
  /// least `healthyDimension`: the teams already get on there, and one specific thing
  /// holds them back, so fixing it is quick and visible.
  static func lowHangingFruit(_ dimensions: [DimensionResult]) -> [Fruit] {
    var fruit: [(order: Int, fruit: Fruit)] = []
    for dimension in dimensions {
      guard let dimensionIndex = dimension.index, dimensionIndex >= healthyDimension else { continue }
      for statement in dimension.statements {
        guard let index = statement.index, dimensionIndex - index >= fruitShortfall else { continue }
        fruit.append(
          (
            fruit.count,
            Fruit(
              statement: statement.id, dimension: dimension.id, index: index,
              dimensionIndex: dimensionIndex, shortfall: dimensionIndex - index)
          ))
      }
    }
    return fruit.sorted { ($0.fruit.shortfall, -$0.order) > ($1.fruit.shortfall, -$1.order) }.map(\.fruit)
  }
}
