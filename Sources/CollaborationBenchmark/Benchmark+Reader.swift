import PlaybookSpec
import ProgrammeEngine

extension Benchmark {
  /// Reads indexes out of a tally, returning nil for anything not to be shown.
  struct Reader {
    let survey: Survey
    let tally: Tally
    let hidden: Set<RespondentGroup>

    func shown(_ group: RespondentGroup) -> Bool {
      (tally.respondents[group] ?? 0) > 0 && !hidden.contains(group)
    }

    func respondents(_ group: RespondentGroup, _ dimension: String) -> Int {
      tally.dimensionRespondents[group]?[dimension] ?? 0
    }

    /// A dimension's index for a shown group, if enough of its people answered it:
    /// three people rating a dimension only one of them answered would show that answer.
    func index(_ group: RespondentGroup, _ dimension: String) -> Double? {
      guard shown(group), respondents(group, dimension) >= survey.anonymity,
        let sum = tally.dimensions[group]?[dimension]
      else { return nil }
      return survey.scale.index(sum)
    }

    /// A statement's index for a shown group, if enough answered it.
    func index(_ group: RespondentGroup, statement: String) -> Double? {
      guard shown(group), let sum = tally.statements[group]?[statement], sum.count >= survey.anonymity
      else { return nil }
      return survey.scale.index(sum)
    }

    /// The mean of the group's shown dimension indexes. A dimension too few of its people
    /// answered is left out: with the index and the other dimensions shown, it could
    /// otherwise be worked out.
    func overall(_ group: RespondentGroup) -> Double? {
      let indexes = survey.dimensions.compactMap { index(group, $0.id) }
      guard !indexes.isEmpty else { return nil }
      return indexes.reduce(0, +) / Double(indexes.count)
    }

    func dimensionIndexes(_ group: RespondentGroup) -> [String: Double] {
      var indexes: [String: Double] = [:]
      for dimension in survey.dimensions {
        indexes[dimension.id] = index(group, dimension.id)
      }
      return indexes
    }

    func gap(_ first: String, _ second: String) -> Gap {
      let a = dimensionIndexes(.team(first))
      let b = dimensionIndexes(.team(second))
      var dimensions: [String: Double] = [:]
      for (id, value) in a {
        if let other = b[id] { dimensions[id] = value - other }
      }
      var index: Double?
      if let x = overall(.team(first)), let y = overall(.team(second)) { index = x - y }
      return Gap(first: first, second: second, index: index, dimensions: dimensions)
    }

    /// Every pair of shown teams and of shown levels with a dimension in common.
    func distances() -> [Distance] {
      let kinds: [[RespondentGroup]] = [
        survey.teams.map { .team($0.id) }.filter(shown),
        survey.levels.map { .level($0.id) }.filter(shown),
      ]
      var distances: [Distance] = []
      for groups in kinds {
        for (position, first) in groups.enumerated() {
          for second in groups.dropFirst(position + 1) {
            if let distance = distance(first, second) { distances.append(distance) }
          }
        }
      }
      // Stable: pairs equally far apart stay in survey order.
      return distances.enumerated()
        .sorted { ($0.element.distance, -$0.offset) > ($1.element.distance, -$1.offset) }
        .map(\.element)
    }

    private func distance(_ first: RespondentGroup, _ second: RespondentGroup) -> Distance? {
      let a = dimensionIndexes(first)
      let b = dimensionIndexes(second)
      var total = 0.0
      var count = 0
      var widest: (id: String, gap: Double)?
      for dimension in survey.dimensions {
        guard let x = a[dimension.id], let y = b[dimension.id] else { continue }
        total += abs(x - y)
        count += 1
        if abs(x - y) > abs(widest?.gap ?? -1) { widest = (dimension.id, x - y) }
      }
      guard count > 0, let widest else { return nil }
      return Distance(
        first: first, second: second, distance: total / Double(count), widest: widest.id,
        widestGap: widest.gap)
    }
  }
}
