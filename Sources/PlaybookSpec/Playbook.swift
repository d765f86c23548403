/// A programme's playbook: the roles involved and the stages a client moves through, in order.
///
/// Built only by `Playbook.parse(_:file:)`, which decodes and validates, so a value of this
/// type always satisfies the rules in docs/playbook.md: ids are unique across the playbook,
/// every reference resolves, `needs` has no cycle and every gate can open.
public struct Playbook: Sendable, Hashable {
  /// The playbook's id, for example `sales-marketing-alignment`.
  public var id: String
  public var version: Int
  public var title: String
  public var description: String?
  /// The roles people hold on a client, in file order.
  public var roles: [Role]
  /// The stages, in the order a client moves through them.
  public var stages: [Stage]
  /// The collaboration survey of the benchmark step, if the playbook defines one.
  public var survey: Survey?
  /// The metrics the teams agree to live by, in file order; empty when the playbook has none.
  public var metrics: [Metric]
  /// The teams and levels of the client's staff, for its roster, when written at the top
  /// level (`teams:`, `levels:`); empty when the survey's are used (`rosterTeams`).
  public var teams: [Survey.Group]
  public var levels: [Survey.Group]
  /// Where the playbook document starts.
  public var location: SourceLocation

  /// The teams a roster's people belong to: the top-level `teams:`, else the survey's.
  public var rosterTeams: [Survey.Group] { teams.isEmpty ? survey?.teams ?? [] : teams }
  /// The levels a roster's people work at: the top-level `levels:`, else the survey's.
  public var rosterLevels: [Survey.Group] { levels.isEmpty ? survey?.levels ?? [] : levels }

  public init(
    id: String, version: Int, title: String, description: String? = nil,
    roles: [Role], stages: [Stage], survey: Survey? = nil, metrics: [Metric] = [],
    teams: [Survey.Group] = [], levels: [Survey.Group] = [], location: SourceLocation
  ) {
    self.id = id
    self.version = version
    self.title = title
    self.description = description
    self.roles = roles
    self.stages = stages
    self.survey = survey
    self.metrics = metrics
    self.teams = teams
    self.levels = levels
    self.location = location
  }
}

/// The role every playbook must define: the person who starts a client holds it.
public let consultantRole = "consultant"
/// The client's collaboration czar, who may complete any milestone and assign roles.
public let czarRole = "czar"

/// A role people hold on a client, such as `czar` or `head-of-sales`.
public struct Role: Sendable, Hashable {
  public var id: String
  public var title: String
  public var location: SourceLocation

  public init(id: String, title: String, location: SourceLocation) {
    self.id = id
    self.title = title
    self.location = location
  }
}

/// A mention of another element by id, kept with where it was written so that a
/// reference to something unknown is reported at the reference, not at its owner.
public struct Reference: Sendable, Hashable {
  public var id: String
  public var location: SourceLocation

  public init(_ id: String, at location: SourceLocation) {
    self.id = id
    self.location = location
  }
}
