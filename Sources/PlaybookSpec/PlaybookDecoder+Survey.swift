extension PlaybookDecoder {
  /// `survey:`, the collaboration survey. Like the rest of the walk, every problem is
  /// reported where it is written and the parts after a bad one are still read.
  mutating func survey(_ node: YAMLNode) -> Survey? {
    let problems = diagnostics.count
    guard let fields = fields(of: node, in: "the survey", keys: PlaybookKeys.survey) else { return nil }

    let scale = fields["scale"].flatMap { self.scale($0) }
    let anonymity = fields["anonymity"].flatMap { integer($0) }
    if let anonymity, anonymity < 1, let node = fields["anonymity"] {
      report("anonymity must be 1 or more, got \(anonymity)", at: node)
    }
    let teams = fields["teams"].flatMap { groups($0, of: "team") }
    let levels = fields["levels"].flatMap { groups($0, of: "level") }
    let dimensions = fields["dimensions"]
      .flatMap { nonEmptyList($0, of: "dimension", in: "the survey") }?
      .compactMap { dimension($0) }

    guard diagnostics.count == problems, let teams, let levels, let dimensions else { return nil }
    return Survey(
      scale: scale ?? Survey.Scale(), anonymity: anonymity ?? Survey.defaultAnonymity,
      teams: teams, levels: levels, dimensions: dimensions, location: location(of: node))
  }

  /// `evidence:` on a milestone: one of the `Evidence` names.
  mutating func evidence(_ node: YAMLNode) -> Evidence? {
    guard let name = string(node) else { return nil }
    guard let evidence = Evidence(rawValue: name) else {
      let known = Evidence.allCases.map(\.rawValue).joined(separator: ", ")
      report("unknown evidence \(name.quoted) (known: \(known))", at: node)
      return nil
    }
    return evidence
  }

  /// `scale: {min: 1, max: 5}`: whole numbers, the top at least one above the bottom.
  private mutating func scale(_ node: YAMLNode) -> Survey.Scale? {
    guard let fields = fields(of: node, in: "the survey's scale", keys: PlaybookKeys.scale) else {
      return nil
    }
    let minimum = fields["min"].flatMap { integer($0) }
    let maximum = fields["max"].flatMap { integer($0) }
    guard let minimum, let maximum else { return nil }
    // A span over 100 points is a typo: people do not rate statements from 1 to 1000.
    guard maximum > minimum, maximum - minimum <= 100 else {
      report(
        "the scale's max must be 1 to 100 more than its min, got min \(minimum) and max \(maximum)",
        at: fields["max"] ?? node)
      return nil
    }
    return Survey.Scale(minimum: minimum, maximum: maximum)
  }

  /// `teams:` or `levels:`: ids mapped to titles, in the order people should see them.
  mutating func groups(_ node: YAMLNode, of kind: String, in owner: String = "the survey") -> [Survey.Group]? {
    guard let pairs = titledIds(node, of: kind, in: owner) else { return nil }
    return pairs.map { Survey.Group(id: $0.id, title: $0.title, location: $0.location) }
  }

  private mutating func dimension(_ node: YAMLNode) -> Survey.Dimension? {
    func element() -> String { Self.label("dimension", of: node) }
    guard let fields = fields(of: node, in: element(), keys: PlaybookKeys.dimension) else { return nil }
    let id = fields["id"].flatMap { identifier($0) }
    let title = fields["title"].flatMap { text($0) }
    _ = fields["description"].flatMap { text($0) }
    let statements = fields["statements"].flatMap { titledIds($0, of: "statement", in: element()) }
    guard let id, let title, let statements else { return nil }
    let dimension = Survey.Dimension(
      id: id, title: title,
      statements: statements.map { Survey.Statement(id: $0.id, text: $0.title, location: $0.location) },
      location: location(of: node))
    if let idNode = fields["id"] {
      sourceMap.ids[dimension.location] = location(of: idNode)
    }
    return dimension
  }

  /// A mapping of ids to texts with at least one entry, each located at its id.
  private mutating func titledIds(
    _ node: YAMLNode, of kind: String, in element: @autoclosure () -> String
  )
    -> [(id: String, title: String, location: SourceLocation)]?
  {
    guard case .mapping(let mapping, _) = node else {
      report("expected a mapping of \(kind) ids to texts, got \(describe(node))", at: node)
      return nil
    }
    guard !mapping.isEmpty else {
      report("\(element()) needs at least one \(kind)", at: node)
      return nil
    }
    var pairs: [(id: String, title: String, location: SourceLocation)] = []
    var complete = true
    for (key, value) in mapping {
      let id = identifier(key)
      let title = text(value)
      if let id, let title {
        pairs.append((id, title, location(of: key)))
      } else {
        complete = false
      }
    }
    return complete ? pairs : nil
  }
}
