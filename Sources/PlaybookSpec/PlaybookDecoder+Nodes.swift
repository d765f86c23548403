extension PlaybookDecoder {
  /// The keys of one YAML mapping, checked against what the element allows.
  ///
  /// An element allows a handful of keys, so they are found by position in that short
  /// list rather than through dictionaries built for every mapping.
  struct Fields {
    /// The keys the element requires, and those it allows besides.
    let required: [String]
    let optional: [String]
    /// Values, by the key's position in `required` then `optional`.
    var values: [YAMLNode?]
    /// Key nodes, by position, for problems that belong at the key rather than the value.
    var keys: [YAMLNode?]

    init(required: [String], optional: [String]) {
      self.required = required
      self.optional = optional
      values = Array(repeating: nil, count: required.count + optional.count)
      keys = values
    }

    /// Where `name` is among the known keys, if it is one.
    func position(of name: String) -> Int? {
      if let index = required.firstIndex(of: name) { return index }
      return optional.firstIndex(of: name).map { required.count + $0 }
    }

    subscript(_ name: String) -> YAMLNode? {
      position(of: name).flatMap { values[$0] }
    }

    func key(_ name: String) -> YAMLNode? {
      position(of: name).flatMap { keys[$0] }
    }
  }

  /// Where `node` starts.
  func location(of node: YAMLNode) -> SourceLocation {
    let position = node.position
    return SourceLocation(file: file, line: position.line, column: position.column)
  }

  mutating func report(_ message: String, at node: YAMLNode) {
    diagnostics.append(Diagnostic(message, at: location(of: node)))
  }

  /// Reads a mapping whose keys must come from `keys` (one of `PlaybookKeys`, which the
  /// JSON Schema is built from too).
  ///
  /// Reports every unknown key at the key (with a suggestion when it is a near miss) and
  /// every missing required key at the mapping, except a missing key that an unknown key
  /// was already suggested for: `milestone:` should say "did you mean" once, not twice.
  mutating func fields(
    of node: YAMLNode, in element: @autoclosure () -> String, keys: PlaybookKeys.Keys
  ) -> Fields? {
    let required = keys.required, optional = keys.optional
    guard case .mapping(let mapping, _) = node else {
      report("expected a mapping for \(element()), got \(describe(node))", at: node)
      return nil
    }
    var fields = Fields(required: required, optional: optional)
    var suggested: Set<String> = []
    for (key, value) in mapping {
      guard let name = plainString(key) else {
        report("expected a key name in \(element()), got \(describe(key))", at: key)
        continue
      }
      guard let position = fields.position(of: name) else {
        var message = "unknown key \(name.quoted) in \(element())"
        if let suggestion = closestMatch(to: name, among: required + optional) {
          message += " (did you mean \(suggestion.quoted)?)"
          suggested.insert(suggestion)
        }
        report(message, at: key)
        continue
      }
      fields.values[position] = value
      fields.keys[position] = key
    }
    for name in required where fields[name] == nil && !suggested.contains(name) {
      report("\(element()) is missing required key \(name.quoted)", at: node)
    }
    return fields
  }

  /// The text of a scalar that is not null. Numbers and booleans are accepted as their
  /// text: a title of `2024` means the characters, not the integer.
  mutating func string(_ node: YAMLNode) -> String? {
    guard let text = plainString(node) else {
      report("expected a string, got \(describe(node))", at: node)
      return nil
    }
    return text
  }

  /// A string that a person reads (title, description, terms): it must say something.
  mutating func text(_ node: YAMLNode) -> String? {
    guard let text = string(node) else { return nil }
    // Nearly every text starts with a printable ASCII character: no need to walk it.
    let first = text.utf8.first ?? 0
    guard (0x21...0x7e).contains(first) || text.contains(where: { !$0.isWhitespace }) else {
      report("expected some text, got a blank string", at: node)
      return nil
    }
    return text
  }

  /// An id that must follow the id syntax (see `Identifier`), reported at the id itself.
  mutating func identifier(_ node: YAMLNode) -> String? {
    guard let id = string(node) else { return nil }
    if let problem = Identifier.problem(with: id) {
      report(problem, at: node)
      return nil
    }
    return id
  }

  mutating func integer(_ node: YAMLNode) -> Int? {
    guard case .scalar(let scalar) = node, scalar.isPlain, !isNull(scalar),
      scalar.string.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") })
    else {
      report("expected an integer, got \(describe(node))", at: node)
      return nil
    }
    guard let value = Int(scalar.string) else {
      let digits = scalar.string.drop { $0 == "-" || $0 == "+" }
      let problem = !digits.isEmpty && digits.allSatisfy(\.isNumber) ? "too large" : "not an integer"
      report("\(scalar.string.quoted) is \(problem)", at: node)
      return nil
    }
    return value
  }

  mutating func list(_ node: YAMLNode) -> [YAMLNode]? {
    guard case .sequence(let sequence, _) = node else {
      report("expected a list, got \(describe(node))", at: node)
      return nil
    }
    return Array(sequence)
  }

  /// A list that must hold at least one `item`, such as a stage's milestones.
  mutating func nonEmptyList(
    _ node: YAMLNode, of item: String, in element: @autoclosure () -> String
  ) -> [YAMLNode]? {
    guard let items = list(node) else { return nil }
    guard !items.isEmpty else {
      report("\(element()) needs at least one \(item)", at: node)
      return nil
    }
    return items
  }

  /// One mention of a `kind` (role, milestone, agreement) by id. Whether it resolves is
  /// the validator's business; here it only has to be a string.
  mutating func reference(_ node: YAMLNode, to kind: String) -> Reference? {
    guard let id = plainString(node) else {
      report("expected \(kind) id, got \(describe(node))", at: node)
      return nil
    }
    return Reference(id, at: location(of: node))
  }

  /// A list of references. A bad item is reported and dropped so the others are still read.
  mutating func references(_ node: YAMLNode, to kind: String) -> [Reference]? {
    guard let items = list(node) else { return nil }
    var references: [Reference] = []
    var complete = true
    for item in items {
      if let reference = reference(item, to: kind) {
        references.append(reference)
      } else {
        complete = false
      }
    }
    return complete ? references : nil
  }

  /// The text of a non-null scalar, without reporting anything.
  func plainString(_ node: YAMLNode) -> String? {
    Self.plainString(node)
  }

  static func plainString(_ node: YAMLNode) -> String? {
    guard case .scalar(let scalar) = node, !isNull(scalar) else { return nil }
    return scalar.string
  }

  /// YAML's null. The tree is composed with Yams' basic resolver, which leaves every
  /// scalar a string: the default one runs a list of regular expressions per scalar,
  /// which more than doubles the time Yams takes on a 20,000-milestone playbook. The few
  /// places that care what a plain scalar looks like (null here, integers, messages)
  /// decide it themselves.
  func isNull(_ scalar: YAMLNode.Scalar) -> Bool {
    Self.isNull(scalar)
  }

  static func isNull(_ scalar: YAMLNode.Scalar) -> Bool {
    guard scalar.isPlain else { return false }
    switch scalar.string {
    case "", "~", "null", "Null", "NULL": return true
    default: return false
    }
  }

  /// What a node is, for "expected X, got Y" messages.
  func describe(_ node: YAMLNode) -> String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar(let scalar):
      guard scalar.isPlain else { return "a string" }
      if isNull(scalar) { return "an empty value" }
      switch scalar.string.lowercased() {
      case "true", "false", "yes", "no", "on", "off": return "a boolean"
      default: break
      }
      if Int(scalar.string) != nil { return "an integer" }
      if Double(scalar.string) != nil { return "a number" }
      return "a string"
    }
  }
}
