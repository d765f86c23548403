/// Which groups are never shown on their own.
///
/// A group with fewer respondents than the threshold is hidden. That alone is not enough:
/// when a parent is shown, a single small child can be worked out by subtracting its
/// shown siblings from the parent. So within every partition of a shown group (everyone
/// into teams, everyone into levels, a team into its levels, a level into its teams), if
/// the hidden children hold between 1 and threshold - 1 respondents together, the
/// smallest shown child is hidden too, until the hidden ones together are at least the
/// threshold. A hidden team or level hides every one of its team-level groups. The rules
/// are applied until nothing changes. Groups nobody belongs to are absent, not hidden.
struct Anonymity {
  let threshold: Int
  let teams: [String]
  let levels: [String]
  /// Respondents per group (groups nobody answered for are missing).
  let respondents: [RespondentGroup: Int]

  /// The groups that must not be shown on their own.
  func hidden() -> Set<RespondentGroup> {
    var hidden = Set(respondents.filter { $0.value < threshold }.keys)
    let partitions = self.partitions()
    var changed = true
    while changed {
      changed = false
      for (parent, children) in partitions {
        if hidden.contains(parent) {
          for child in children where isPresent(child) && !hidden.contains(child) {
            hidden.insert(child)
            changed = true
          }
          continue
        }
        let hiddenTotal = children.filter { hidden.contains($0) }.reduce(0) { $0 + count($1) }
        guard hiddenTotal > 0, hiddenTotal < threshold else { continue }
        // The smallest shown sibling costs the least information; the last one written
        // wins a tie, so the teams people care most about (listed first) stay shown.
        let shown = children.filter { isPresent($0) && !hidden.contains($0) }
        if let smallest = shown.reversed().min(by: { count($0) < count($1) }) {
          hidden.insert(smallest)
          changed = true
        }
      }
    }
    return hidden
  }

  /// Every parent with one way of splitting it into children.
  private func partitions() -> [(RespondentGroup, [RespondentGroup])] {
    var partitions: [(RespondentGroup, [RespondentGroup])] = [
      (.everyone, teams.map { .team($0) }),
      (.everyone, levels.map { .level($0) }),
    ]
    for team in teams {
      partitions.append((.team(team), levels.map { .teamLevel(team: team, level: $0) }))
    }
    for level in levels {
      partitions.append((.level(level), teams.map { .teamLevel(team: $0, level: level) }))
    }
    return partitions
  }

  private func count(_ group: RespondentGroup) -> Int { respondents[group] ?? 0 }

  private func isPresent(_ group: RespondentGroup) -> Bool { count(group) > 0 }
}
