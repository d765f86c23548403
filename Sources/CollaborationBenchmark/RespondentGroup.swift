/// A set of respondents the benchmark reports on: everyone, a team, a level, or one
/// team's people at one level (the sales managers).
public enum RespondentGroup: Sendable, Hashable, Comparable {
  case everyone
  case team(String)
  case level(String)
  case teamLevel(team: String, level: String)

  /// How the group is named in text and JSON: `everyone`, `sales`, `manager`,
  /// `sales/manager`.
  public var name: String {
    switch self {
    case .everyone: "everyone"
    case let .team(team): team
    case let .level(level): level
    case let .teamLevel(team, level): "\(team)/\(level)"
    }
  }

  /// `everyone`, `team`, `level` or `team-level`, for JSON.
  public var kind: String {
    switch self {
    case .everyone: "everyone"
    case .team: "team"
    case .level: "level"
    case .teamLevel: "team-level"
    }
  }

  /// The groups a respondent of `team` at `level` belongs to.
  static func all(team: String, level: String) -> [RespondentGroup] {
    [.everyone, .team(team), .level(level), .teamLevel(team: team, level: level)]
  }
}
