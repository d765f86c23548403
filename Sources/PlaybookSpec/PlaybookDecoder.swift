/// Builds a `Playbook` from a composed YAML tree by walking it by hand.
///
/// Codable would stop at the first problem and lose the node's position; walking the
/// `YAMLNode` tree keeps every mark, so each problem is reported where it is written, and a
/// subtree of the wrong type is skipped so that the problems after it are found too.
/// Whether references resolve is left to `PlaybookValidator`, which runs on a clean decode.
///
/// The builders below return nil for a required part that failed and drop an optional
/// part that failed; either way a diagnostic was recorded, and `decode` returns nil.
struct PlaybookDecoder {
  /// The name put in every location.
  let file: String
  /// Every structural problem found, in the order found.
  var diagnostics: [Diagnostic] = []
  /// Positions the model does not keep but the validator reports at.
  var sourceMap = SourceMap()

  init(file: String) {
    self.file = file
  }

  /// The playbook, or nil when there is at least one diagnostic.
  mutating func decode(_ root: YAMLNode) -> Playbook? {
    guard case .mapping = root else {
      let keys = "'playbook', 'version', 'title', 'roles' and 'stages'"
      report("expected a playbook: a mapping with \(keys), got \(describe(root))", at: root)
      return nil
    }
    guard let fields = fields(of: root, in: "the playbook", keys: PlaybookKeys.playbook) else { return nil }

    let id = fields["playbook"].flatMap { identifier($0) }
    let version = fields["version"].flatMap { integer($0) }
    if let version, version < 1, let node = fields["version"] {
      report("version must be 1 or more, got \(version)", at: node)
    }
    let title = fields["title"].flatMap { text($0) }
    let description = fields["description"].flatMap { text($0) }
    let roles = fields["roles"].flatMap { self.roles($0) }
    sourceMap.roles = fields.key("roles").map { location(of: $0) }
    let stages = fields["stages"]
      .flatMap { nonEmptyList($0, of: "stage", in: "the playbook") }?
      .compactMap { stage($0) }
    let survey = fields["survey"].flatMap { self.survey($0) }
    let metrics = fields["metrics"].flatMap { list($0) }?.compactMap { metric($0) } ?? []
    // The client's staff, for its roster, when the survey's teams and levels are not the ones.
    let teams = fields["teams"].flatMap { groups($0, of: "team", in: "the playbook") } ?? []
    let levels = fields["levels"].flatMap { groups($0, of: "level", in: "the playbook") } ?? []

    guard diagnostics.isEmpty, let id, let version, let title, let roles, let stages else { return nil }
    return Playbook(
      id: id, version: version, title: title, description: description,
      roles: roles, stages: stages, survey: survey, metrics: metrics, teams: teams, levels: levels,
      location: location(of: root))
  }

  /// `roles:` maps each role id to its title, in the order people should see them.
  private mutating func roles(_ node: YAMLNode) -> [Role]? {
    guard case .mapping(let mapping, _) = node else {
      report("expected a mapping of role ids to titles, got \(describe(node))", at: node)
      return nil
    }
    var roles: [Role] = []
    for (key, value) in mapping {
      let id = identifier(key)
      let title = text(value)
      if let id, let title {
        roles.append(Role(id: id, title: title, location: location(of: key)))
      }
    }
    return roles
  }

  private mutating func stage(_ node: YAMLNode) -> Stage? {
    func element() -> String { Self.label("stage", of: node) }
    guard let fields = fields(of: node, in: element(), keys: PlaybookKeys.stage) else { return nil }

    let id = fields["id"].flatMap { identifier($0) }
    let title = fields["title"].flatMap { text($0) }
    let description = fields["description"].flatMap { text($0) }
    let milestones = fields["milestones"]
      .flatMap { nonEmptyList($0, of: "milestone", in: element()) }?
      .compactMap { milestone($0) }
    let agreements = fields["agreements"].flatMap { list($0) }?.compactMap { agreement($0) } ?? []
    let gate = fields["gate"].flatMap { self.gate($0, of: element()) }
    let target = fields["target"].flatMap { interval($0) }

    guard let id, let title, let milestones else { return nil }
    let stage = Stage(
      id: id, title: title, description: description, milestones: milestones,
      agreements: agreements, gate: gate, target: target, location: location(of: node))
    recordId(of: stage.location, fields: fields)
    return stage
  }

  private mutating func milestone(_ node: YAMLNode) -> Milestone? {
    func element() -> String { Self.label("milestone", of: node) }
    guard let fields = fields(of: node, in: element(), keys: PlaybookKeys.milestone) else { return nil }

    let id = fields["id"].flatMap { identifier($0) }
    let title = fields["title"].flatMap { text($0) }
    let description = fields["description"].flatMap { text($0) }
    let owner = fields["owner"].flatMap { reference($0, to: "a role") }
    let needs = fields["needs"].flatMap { references($0, to: "a milestone") } ?? []
    let gate = fields["gate"].flatMap { self.gate($0, of: element()) }
    let evidence = fields["evidence"].flatMap { self.evidence($0) }
    let due = fields["due"].flatMap { interval($0) }
    let recurrence = self.recurrence(fields, of: element())

    guard let id, let title, let owner else { return nil }
    let milestone = Milestone(
      id: id, title: title, description: description, owner: owner, needs: needs, gate: gate,
      evidence: evidence, due: due, recurrence: recurrence, location: location(of: node))
    recordId(of: milestone.location, fields: fields)
    if let node = fields["evidence"] {
      sourceMap.evidence[milestone.location] = location(of: node)
    }
    return milestone
  }

  private mutating func agreement(_ node: YAMLNode) -> Agreement? {
    func element() -> String { Self.label("agreement", of: node) }
    guard let fields = fields(of: node, in: element(), keys: PlaybookKeys.agreement) else { return nil }

    let id = fields["id"].flatMap { identifier($0) }
    let title = fields["title"].flatMap { text($0) }
    let terms = fields["terms"].flatMap { text($0) }
    // An empty list is well-formed; the validator says why it is still wrong.
    let signatories = fields["signatories"].flatMap { references($0, to: "a role") }
    let needs = fields["needs"].flatMap { references($0, to: "a milestone") } ?? []
    let due = fields["due"].flatMap { interval($0) }
    let targets = fields["targets"].flatMap { self.targets($0) } ?? []
    let acknowledgedBy = fields["acknowledged-by"].flatMap { acknowledgement($0, of: element()) }

    guard let id, let title, let signatories else { return nil }
    let agreement = Agreement(
      id: id, title: title, terms: terms, signatories: signatories, needs: needs, due: due,
      targets: targets, acknowledgedBy: acknowledgedBy, location: location(of: node))
    recordId(of: agreement.location, fields: fields)
    if let list = fields["signatories"] {
      sourceMap.signatories[agreement.location] = location(of: list)
    }
    return agreement
  }

  /// One of `metrics:`: what is measured, in what unit, and which way is better.
  private mutating func metric(_ node: YAMLNode) -> Metric? {
    func element() -> String { Self.label("metric", of: node) }
    guard let fields = fields(of: node, in: element(), keys: PlaybookKeys.metric) else { return nil }

    let id = fields["id"].flatMap { identifier($0) }
    let title = fields["title"].flatMap { text($0) }
    let description = fields["description"].flatMap { text($0) }
    let unit = fields["unit"].flatMap { text($0) }
    let better = fields["better"].flatMap { choice($0, of: Metric.Better.self) }
    let format = fields["format"].map { choice($0, of: Metric.Format.self) } ?? .number
    let minimum = fields["min"].flatMap { quantity($0) }
    let maximum = fields["max"].flatMap { quantity($0) }
    let every = fields["every"].flatMap { interval($0) }
    let owner = fields["owner"].flatMap { reference($0, to: "a role") }
    // A bad value is reported, and the decode then fails whole.
    let opportunity = fields["opportunity"].flatMap { choice($0, of: Metric.OpportunityInput.self) }

    guard let id, let title, let unit, let better, let format else { return nil }
    let metric = Metric(
      id: id, title: title, description: description, unit: unit, better: better, format: format,
      minimum: minimum, maximum: maximum, every: every, owner: owner, opportunity: opportunity,
      location: location(of: node))
    if let node = fields["opportunity"] { sourceMap.opportunity[metric.location] = location(of: node) }
    recordId(of: metric.location, fields: fields)
    if let node = fields["max"] ?? fields["min"] { sourceMap.bounds[metric.location] = location(of: node) }
    return metric
  }

  /// An agreement's `targets:`, a mapping of metric ids to the values it commits to.
  private mutating func targets(_ node: YAMLNode) -> [Target]? {
    guard case .mapping(let mapping, _) = node else {
      report("expected a mapping of metric ids to target values, got \(describe(node))", at: node)
      return nil
    }
    var targets: [Target] = []
    for (key, value) in mapping {
      guard let metric = reference(key, to: "a metric"), let quantity = quantity(value) else { continue }
      targets.append(Target(metric: metric, value: quantity))
    }
    return targets
  }

  /// A number: `42`, `-3`, `0.25` (see `Quantity`).
  private mutating func quantity(_ node: YAMLNode) -> Quantity? {
    guard case .scalar(let scalar) = node, scalar.isPlain, let quantity = Quantity(parsing: scalar.string) else {
      report("expected \(Quantity.syntax), got \(describe(node))", at: node)
      return nil
    }
    return quantity
  }

  /// One of a fixed set of words, such as `higher` or `lower`.
  private mutating func choice<Choice: RawRepresentable & CaseIterable>(_ node: YAMLNode, of _: Choice.Type)
    -> Choice? where Choice.RawValue == String
  {
    guard let text = string(node) else { return nil }
    guard let choice = Choice(rawValue: text) else {
      let known = Choice.allCases.map(\.rawValue.quoted).joined(separator: " or ")
      var message = "expected \(known), got \(text.quoted)"
      if let suggestion = closestMatch(to: text, among: Choice.allCases.map(\.rawValue)) {
        message += " (did you mean \(suggestion.quoted)?)"
      }
      report(message, at: node)
      return nil
    }
    return choice
  }

  /// `due`, `target` or `every`: `10d`, `3w` or `5bd`.
  private mutating func interval(_ node: YAMLNode) -> Interval? {
    guard let text = string(node) else { return nil }
    guard let interval = Interval(parsing: text, at: location(of: node)) else {
      report("expected \(Interval.syntax), got \(text.quoted)", at: node)
      return nil
    }
    return interval
  }

  /// A milestone's `every`, with `times` or `until` (exactly one of them), or nil when it
  /// has none of the three (a problem with them is reported).
  private mutating func recurrence(_ fields: Fields, of element: @autoclosure () -> String) -> Recurrence? {
    let everyNode = fields["every"], timesNode = fields["times"], untilNode = fields["until"]
    guard let everyNode else {
      for name in ["times", "until"] {
        if let key = fields.key(name) {
          report("\(name.quoted) in \(element()) needs \("every".quoted): how often it recurs", at: key)
        }
      }
      return nil
    }
    let every = interval(everyNode)
    var end: Recurrence.End?
    switch (timesNode, untilNode) {
    case (nil, nil):
      report(
        "\(element()) recurs but never ends: add \("times".quoted) (how many occurrences) "
          + "or \("until".quoted) (the milestone that ends it)", at: fields.key("every") ?? everyNode)
    case let (times?, nil):
      if let count = integer(times) {
        if (1...Recurrence.maximumTimes).contains(count) {
          end = .times(count)
        } else {
          report("times must be 1 to \(Recurrence.maximumTimes), got \(count)", at: times)
        }
      }
    case let (nil, until?):
      end = reference(until, to: "a milestone").map { .until($0) }
    case (_?, _?):
      report("\(element()) gives both \("times".quoted) and \("until".quoted); keep one", at: fields.key("until") ?? untilNode!)
    }
    guard let every, let end, let key = fields.key("every") else { return nil }
    return Recurrence(every: every, end: end, location: location(of: key))
  }

  /// A gate of a stage or a milestone.
  private mutating func gate(_ node: YAMLNode, of owner: @autoclosure () -> String) -> Gate? {
    let problems = diagnostics.count
    guard let fields = fields(of: node, in: "the gate of \(owner())", keys: PlaybookKeys.gate) else { return nil }
    let agreements = fields["agreements"].flatMap { references($0, to: "an agreement") } ?? []
    let milestones = fields["milestones"].flatMap { references($0, to: "a milestone") } ?? []
    let affirmed = fields["affirmed"].flatMap { references($0, to: "an agreement") } ?? []
    guard diagnostics.count == problems else { return nil }
    // A gate that names nothing always holds; it is almost certainly a half-written one.
    guard !agreements.isEmpty || !milestones.isEmpty || !affirmed.isEmpty else {
      report("a gate must name at least one agreement or milestone", at: node)
      return nil
    }
    return Gate(agreements: agreements, milestones: milestones, affirmed: affirmed, location: location(of: node))
  }

  /// An agreement's `acknowledged-by: {teams: [sales, marketing], quorum: 80%}`; `quorum`
  /// defaults to `all`.
  private mutating func acknowledgement(_ node: YAMLNode, of owner: @autoclosure () -> String) -> Acknowledgement? {
    let problems = diagnostics.count
    guard let fields = fields(of: node, in: "the acknowledged-by of \(owner())", keys: PlaybookKeys.acknowledgement)
    else { return nil }
    let teams = fields["teams"].flatMap { references($0, to: "a team") }
    var quorum = Quorum.all
    if let quorumNode = fields["quorum"], let text = string(quorumNode) {
      if let parsed = Quorum(parsing: text) {
        quorum = parsed
      } else {
        report("expected \(Quorum.syntax), got \(text.quoted)", at: quorumNode)
      }
    }
    guard diagnostics.count == problems, let teams else { return nil }
    guard !teams.isEmpty else {
      report("acknowledged-by must name at least one team", at: fields["teams"] ?? node)
      return nil
    }
    return Acknowledgement(teams: teams, quorum: quorum, location: location(of: node))
  }

  /// "stage 'benchmark'" when the element's id can be read, else just "stage", so that a
  /// message about a key names the element it is in.
  ///
  /// Only a message needs it, so callers pass it on unevaluated (`@autoclosure`).
  static func label(_ kind: String, of node: YAMLNode) -> String {
    guard case .mapping(let mapping, _) = node,
      let id = mapping.first(where: { plainString($0.key) == "id" }).flatMap({ plainString($0.value) }),
      Identifier.problem(with: id) == nil
    else { return kind }
    return "\(kind) \(id.quoted)"
  }

  private mutating func recordId(of element: SourceLocation, fields: Fields) {
    if let node = fields["id"] {
      sourceMap.ids[element] = location(of: node)
    }
  }
}
