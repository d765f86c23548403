/// Bytes that are not a compiled playbook.
struct NotCompiled: Error {}

/// Reads `Playbook.compiled()`'s layout back, refusing (with `NotCompiled`) anything that
/// runs past the end, names an impossible count or is not UTF-8 where text belongs.
struct CompiledReader {
  let bytes: UnsafeRawBufferPointer
  var offset = 0
  var file = ""

  init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  var atEnd: Bool { offset == bytes.count }

  mutating func byte() throws(NotCompiled) -> UInt8 {
    guard offset < bytes.count else { throw NotCompiled() }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func integer() throws(NotCompiled) -> Int {
    var zigzag: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let next = try byte()
      guard shift < 64 else { throw NotCompiled() }
      zigzag |= UInt64(next & 0x7f) << shift
      if next < 0x80 { break }
      shift += 7
    }
    return Int(Int64(bitPattern: zigzag >> 1 ^ (0 &- (zigzag & 1))))
  }

  /// A count of things still to read, each at least one byte long, so a damaged count
  /// cannot ask for a huge allocation.
  mutating func count() throws(NotCompiled) -> Int {
    let count = try integer()
    guard count >= 0, count <= bytes.count - offset else { throw NotCompiled() }
    return count
  }

  mutating func string() throws(NotCompiled) -> String {
    let length = try count()
    let utf8 = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
    offset += length
    // ASCII, as nearly every id and title is, needs no validating beyond that check; the
    // generic String(validating:) costs about a thousand instructions even for a short one.
    if Self.isASCII(utf8) { return String(decoding: utf8, as: UTF8.self) }
    guard let text = String(validating: utf8, as: UTF8.self) else { throw NotCompiled() }
    return text
  }

  private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    while index + 8 <= bytes.count {
      if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
        return false
      }
      index += 8
    }
    while index < bytes.count {
      if bytes[index] >= 0x80 { return false }
      index += 1
    }
    return true
  }

  mutating func optional<Value>(_ read: (inout Self) throws(NotCompiled) -> Value) throws(NotCompiled)
    -> Value?
  {
    switch try byte() {
    case 0: return nil
    case 1: return try read(&self)
    default: throw NotCompiled()
    }
  }

  mutating func list<Value>(_ read: (inout Self) throws(NotCompiled) -> Value) throws(NotCompiled)
    -> [Value]
  {
    let count = try count()
    var values: [Value] = []
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(try read(&self)) }
    return values
  }

  mutating func location() throws(NotCompiled) -> SourceLocation {
    let line = try integer()
    return SourceLocation(file: file, line: line, column: try integer())
  }

  mutating func reference() throws(NotCompiled) -> Reference {
    let id = try string()
    return Reference(id, at: try location())
  }

  mutating func references() throws(NotCompiled) -> [Reference] {
    try list { (reader: inout Self) throws(NotCompiled) in try reader.reference() }
  }

  mutating func gate() throws(NotCompiled) -> Gate {
    let agreements = try references()
    let milestones = try references()
    let affirmed = try references()
    return Gate(agreements: agreements, milestones: milestones, affirmed: affirmed, location: try location())
  }

  mutating func text() throws(NotCompiled) -> String? {
    try optional { (reader: inout Self) throws(NotCompiled) in try reader.string() }
  }

  mutating func playbook() throws(NotCompiled) -> Playbook {
    let id = try string()
    let version = try integer()
    let title = try string()
    let description = try text()
    let roles = try list { (reader: inout Self) throws(NotCompiled) in
      let id = try reader.string()
      let title = try reader.string()
      return Role(id: id, title: title, location: try reader.location())
    }
    let stages = try list { (reader: inout Self) throws(NotCompiled) in try reader.stage() }
    let survey = try optional { (reader: inout Self) throws(NotCompiled) in try reader.survey() }
    let metrics = try list { (reader: inout Self) throws(NotCompiled) in try reader.metric() }
    let teams = try list { (reader: inout Self) throws(NotCompiled) in try reader.group() }
    let levels = try list { (reader: inout Self) throws(NotCompiled) in try reader.group() }
    return Playbook(
      id: id, version: version, title: title, description: description, roles: roles,
      stages: stages, survey: survey, metrics: metrics, teams: teams, levels: levels, location: try location())
  }

  mutating func stage() throws(NotCompiled) -> Stage {
    let id = try string()
    let title = try string()
    let description = try text()
    let milestones = try list { (reader: inout Self) throws(NotCompiled) in try reader.milestone() }
    let agreements = try list { (reader: inout Self) throws(NotCompiled) in try reader.agreement() }
    let gate = try optional { (reader: inout Self) throws(NotCompiled) in try reader.gate() }
    let target = try optional { (reader: inout Self) throws(NotCompiled) in try reader.interval() }
    return Stage(
      id: id, title: title, description: description, milestones: milestones,
      agreements: agreements, gate: gate, target: target, location: try location())
  }

  mutating func milestone() throws(NotCompiled) -> Milestone {
    let id = try string()
    let title = try string()
    let description = try text()
    let owner = try reference()
    let needs = try references()
    let gate = try optional { (reader: inout Self) throws(NotCompiled) in try reader.gate() }
    var evidence: Evidence?
    if let name = try text() {
      guard let known = Evidence(rawValue: name) else { throw NotCompiled() }
      evidence = known
    }
    let due = try optional { (reader: inout Self) throws(NotCompiled) in try reader.interval() }
    let recurrence = try optional { (reader: inout Self) throws(NotCompiled) in
      let every = try reader.interval()
      let end: Recurrence.End
      switch try reader.byte() {
      case 0: end = .times(try reader.integer())
      case 1: end = .until(try reader.reference())
      default: throw NotCompiled()
      }
      return Recurrence(every: every, end: end, location: try reader.location())
    }
    return Milestone(
      id: id, title: title, description: description, owner: owner, needs: needs, gate: gate,
      evidence: evidence, due: due, recurrence: recurrence, location: try location())
  }

  mutating func agreement() throws(NotCompiled) -> Agreement {
    let id = try string()
    let title = try string()
    let terms = try text()
    let signatories = try references()
    let needs = try references()
    let due = try optional { (reader: inout Self) throws(NotCompiled) in try reader.interval() }
    let targets = try list { (reader: inout Self) throws(NotCompiled) in
      let metric = try reader.reference()
      return Target(metric: metric, value: try reader.quantity())
    }
    let acknowledgedBy = try optional { (reader: inout Self) throws(NotCompiled) in
      let teams = try reader.references()
      guard let quorum = Quorum(parsing: try reader.string()) else { throw NotCompiled() }
      return Acknowledgement(teams: teams, quorum: quorum, location: try reader.location())
    }
    return Agreement(
      id: id, title: title, terms: terms, signatories: signatories, needs: needs, due: due,
      targets: targets, acknowledgedBy: acknowledgedBy, location: try location())
  }

  mutating func quantity() throws(NotCompiled) -> Quantity {
    guard let quantity = Quantity(parsing: try string()) else { throw NotCompiled() }
    return quantity
  }

  mutating func metric() throws(NotCompiled) -> Metric {
    let id = try string()
    let title = try string()
    let description = try text()
    let unit = try string()
    guard let better = Metric.Better(rawValue: try string()), let format = Metric.Format(rawValue: try string())
    else { throw NotCompiled() }
    let minimum = try optional { (reader: inout Self) throws(NotCompiled) in try reader.quantity() }
    let maximum = try optional { (reader: inout Self) throws(NotCompiled) in try reader.quantity() }
    let every = try optional { (reader: inout Self) throws(NotCompiled) in try reader.interval() }
    let owner = try optional { (reader: inout Self) throws(NotCompiled) in try reader.reference() }
    var opportunity: Metric.OpportunityInput?
    if let name = try text() {
      guard let input = Metric.OpportunityInput(rawValue: name) else { throw NotCompiled() }
      opportunity = input
    }
    return Metric(
      id: id, title: title, description: description, unit: unit, better: better, format: format,
      minimum: minimum, maximum: maximum, every: every, owner: owner, opportunity: opportunity,
      location: try location())
  }

  mutating func interval() throws(NotCompiled) -> Interval {
    let count = try integer()
    guard let unit = Interval.Unit(rawValue: try string()) else { throw NotCompiled() }
    return Interval(count: count, unit: unit, location: try location())
  }

  mutating func survey() throws(NotCompiled) -> Survey {
    let minimum = try integer()
    let maximum = try integer()
    let anonymity = try integer()
    let teams = try list { (reader: inout Self) throws(NotCompiled) in try reader.group() }
    let levels = try list { (reader: inout Self) throws(NotCompiled) in try reader.group() }
    let dimensions = try list { (reader: inout Self) throws(NotCompiled) in
      let id = try reader.string()
      let title = try reader.string()
      let statements = try reader.list { (reader: inout Self) throws(NotCompiled) in
        let id = try reader.string()
        let text = try reader.string()
        return Survey.Statement(id: id, text: text, location: try reader.location())
      }
      return Survey.Dimension(id: id, title: title, statements: statements, location: try reader.location())
    }
    return Survey(
      scale: Survey.Scale(minimum: minimum, maximum: maximum), anonymity: anonymity, teams: teams,
      levels: levels, dimensions: dimensions, location: try location())
  }

  mutating func group() throws(NotCompiled) -> Survey.Group {
    let id = try string()
    let title = try string()
    return Survey.Group(id: id, title: title, location: try location())
  }
}
