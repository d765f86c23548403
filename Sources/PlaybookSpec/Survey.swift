/// The collaboration survey of the benchmark step: statements people rate on a scale,
/// grouped into dimensions of collaboration, answered by people who say which team and
/// level they belong to.
///
/// Written under `survey:` at a playbook's top level (docs/playbook.md). The answers are
/// not part of the playbook: a client's record keeps them (`SurveyResponse`), and
/// `CollaborationBenchmark` turns them into indexes.
public struct Survey: Sendable, Hashable {
  /// The scale every statement is rated on, 1 to 5 unless the playbook says otherwise.
  public var scale: Scale
  /// The smallest number of respondents a group may have to be shown on its own.
  public var anonymity: Int
  /// The teams respondents belong to, in the order people should see them.
  public var teams: [Group]
  /// The levels respondents work at, in the order people should see them.
  public var levels: [Group]
  /// The dimensions of collaboration, each with the statements that measure it.
  public var dimensions: [Dimension]
  /// Where `survey:` is written.
  public var location: SourceLocation

  /// The default anonymity threshold: a group of one or two people is never shown alone.
  public static let defaultAnonymity = 3

  /// Column names the response files reserve, so no statement may take them.
  public static let reservedColumns = ["respondent", "team", "level"]

  public init(
    scale: Scale = Scale(), anonymity: Int = Survey.defaultAnonymity, teams: [Group],
    levels: [Group], dimensions: [Dimension], location: SourceLocation
  ) {
    self.scale = scale
    self.anonymity = anonymity
    self.teams = teams
    self.levels = levels
    self.dimensions = dimensions
    self.location = location
  }

  /// Every statement, dimension by dimension, in file order.
  public var statements: [Statement] { dimensions.flatMap(\.statements) }

  /// The rating scale: whole numbers from `minimum` to `maximum`, higher meaning better.
  public struct Scale: Sendable, Hashable {
    public var minimum: Int
    public var maximum: Int

    public init(minimum: Int = 1, maximum: Int = 5) {
      self.minimum = minimum
      self.maximum = maximum
    }

    /// Whether `score` is a point on the scale.
    public func contains(_ score: Int) -> Bool { (minimum...maximum).contains(score) }
  }

  /// A team (`sales`) or a level (`manager`) a respondent belongs to.
  public struct Group: Sendable, Hashable {
    public var id: String
    public var title: String
    public var location: SourceLocation

    public init(id: String, title: String, location: SourceLocation) {
      self.id = id
      self.title = title
      self.location = location
    }
  }

  /// One aspect of collaboration, such as shared goals or lead hand-off.
  public struct Dimension: Sendable, Hashable {
    public var id: String
    public var title: String
    public var statements: [Statement]
    public var location: SourceLocation

    public init(id: String, title: String, statements: [Statement], location: SourceLocation) {
      self.id = id
      self.title = title
      self.statements = statements
      self.location = location
    }
  }

  /// A statement respondents rate: higher always means better collaboration, so a
  /// statement is worded for agreement to be the good answer.
  public struct Statement: Sendable, Hashable {
    public var id: String
    public var text: String
    public var location: SourceLocation

    public init(id: String, text: String, location: SourceLocation) {
      self.id = id
      self.text = text
      self.location = location
    }
  }
}

/// What a milestone needs recorded, beyond being marked done, before it can be completed.
public enum Evidence: String, Sendable, Hashable, CaseIterable {
  /// A round of the playbook's survey has been imported for the client.
  case survey
}
