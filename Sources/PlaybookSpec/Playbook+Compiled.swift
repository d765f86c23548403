/// A compact binary form of a validated playbook, so that a program which has parsed a
/// playbook once can keep the result and read it back without parsing YAML again.
///
/// Only bytes in and a value out: where the bytes are kept, and whether they can be
/// trusted, is the caller's business (WorkspaceStore keeps them in a per-user cache, keyed
/// by the text's SHA-256 and guarded by a checksum). Every field of the model is written,
/// locations included, so a value read back is equal to the one `parse` gave.
///
/// The layout, which `compiledFormat` names: strings as a length and UTF-8 bytes, integers
/// as zigzag varints, an optional part behind a 0/1 byte, lists behind their count, and
/// each location as its line and column (every location is in the same file, written once
/// at the start). A change to the model must change `compiledFormat`, so that bytes written
/// by an older Accord are refused and parsed again rather than misread.
extension Playbook {
  /// The version of the layout below; part of every compiled form.
  public static let compiledFormat = 4

  /// The compiled form, or nil when the playbook's locations do not all name one file
  /// (which `parse` never makes).
  public func compiled() -> [UInt8]? {
    var writer = CompiledWriter(file: location.file)
    writer.integer(Self.compiledFormat)
    writer.string(location.file)
    writer.playbook(self)
    return writer.mixedFiles ? nil : writer.bytes
  }

  /// Reads a compiled form back, or answers nil for bytes that are not exactly one
  /// compiled playbook of this `compiledFormat`. Nothing is checked beyond the layout: the
  /// bytes must come from `compiled()` of a validated playbook.
  public init?(compiled bytes: UnsafeRawBufferPointer) {
    var reader = CompiledReader(bytes)
    do {
      guard try reader.integer() == Self.compiledFormat else { return nil }
      reader.file = try reader.string()
      self = try reader.playbook()
      guard reader.atEnd else { return nil }
    } catch {
      return nil
    }
  }

  /// Reads a compiled form back from an array; see `init?(compiled:)`.
  public init?(compiled bytes: [UInt8]) {
    guard let playbook = bytes.withUnsafeBytes({ Playbook(compiled: $0) }) else { return nil }
    self = playbook
  }
}

private struct CompiledWriter {
  var bytes: [UInt8] = []
  let file: String
  /// Set when a location names another file than the playbook's.
  var mixedFiles = false

  init(file: String) {
    self.file = file
    bytes.reserveCapacity(4096)
  }

  mutating func integer(_ value: Int) {
    var zigzag = UInt64(bitPattern: Int64(value) << 1 ^ Int64(value) >> 63)
    while zigzag >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
      zigzag >>= 7
    }
    bytes.append(UInt8(zigzag))
  }

  mutating func string(_ value: String) {
    var value = value
    value.withUTF8 { utf8 in
      integer(utf8.count)
      bytes.append(contentsOf: utf8)
    }
  }

  mutating func optional<Value>(_ value: Value?, _ write: (inout Self, Value) -> Void) {
    guard let value else { return bytes.append(0) }
    bytes.append(1)
    write(&self, value)
  }

  mutating func list<Value>(_ values: [Value], _ write: (inout Self, Value) -> Void) {
    integer(values.count)
    for value in values { write(&self, value) }
  }

  mutating func location(_ location: SourceLocation) {
    if location.file != file { mixedFiles = true }
    integer(location.line)
    integer(location.column)
  }

  mutating func reference(_ reference: Reference) {
    string(reference.id)
    location(reference.location)
  }

  mutating func references(_ references: [Reference]) {
    list(references) { $0.reference($1) }
  }

  mutating func interval(_ interval: Interval) {
    integer(interval.count)
    string(interval.unit.rawValue)
    location(interval.location)
  }

  mutating func gate(_ gate: Gate) {
    references(gate.agreements)
    references(gate.milestones)
    references(gate.affirmed)
    location(gate.location)
  }

  mutating func playbook(_ playbook: Playbook) {
    string(playbook.id)
    integer(playbook.version)
    string(playbook.title)
    optional(playbook.description) { $0.string($1) }
    list(playbook.roles) { writer, role in
      writer.string(role.id)
      writer.string(role.title)
      writer.location(role.location)
    }
    list(playbook.stages) { $0.stage($1) }
    optional(playbook.survey) { $0.survey($1) }
    list(playbook.metrics) { $0.metric($1) }
    list(playbook.teams) { $0.group($1) }
    list(playbook.levels) { $0.group($1) }
    location(playbook.location)
  }

  mutating func stage(_ stage: Stage) {
    string(stage.id)
    string(stage.title)
    optional(stage.description) { $0.string($1) }
    list(stage.milestones) { $0.milestone($1) }
    list(stage.agreements) { $0.agreement($1) }
    optional(stage.gate) { $0.gate($1) }
    optional(stage.target) { $0.interval($1) }
    location(stage.location)
  }

  mutating func milestone(_ milestone: Milestone) {
    string(milestone.id)
    string(milestone.title)
    optional(milestone.description) { $0.string($1) }
    reference(milestone.owner)
    references(milestone.needs)
    optional(milestone.gate) { $0.gate($1) }
    optional(milestone.evidence) { $0.string($1.rawValue) }
    optional(milestone.due) { $0.interval($1) }
    optional(milestone.recurrence) { writer, recurrence in
      writer.interval(recurrence.every)
      switch recurrence.end {
      case let .times(count):
        writer.bytes.append(0)
        writer.integer(count)
      case let .until(reference):
        writer.bytes.append(1)
        writer.reference(reference)
      }
      writer.location(recurrence.location)
    }
    location(milestone.location)
  }

  mutating func agreement(_ agreement: Agreement) {
    string(agreement.id)
    string(agreement.title)
    optional(agreement.terms) { $0.string($1) }
    references(agreement.signatories)
    references(agreement.needs)
    optional(agreement.due) { $0.interval($1) }
    list(agreement.targets) { writer, target in
      writer.reference(target.metric)
      writer.string(target.value.text)
    }
    optional(agreement.acknowledgedBy) { writer, acknowledgement in
      writer.references(acknowledgement.teams)
      writer.string(acknowledgement.quorum.description)
      writer.location(acknowledgement.location)
    }
    location(agreement.location)
  }

  mutating func metric(_ metric: Metric) {
    string(metric.id)
    string(metric.title)
    optional(metric.description) { $0.string($1) }
    string(metric.unit)
    string(metric.better.rawValue)
    string(metric.format.rawValue)
    optional(metric.minimum) { $0.string($1.text) }
    optional(metric.maximum) { $0.string($1.text) }
    optional(metric.every) { $0.interval($1) }
    optional(metric.owner) { $0.reference($1) }
    optional(metric.opportunity) { $0.string($1.rawValue) }
    location(metric.location)
  }

  mutating func survey(_ survey: Survey) {
    integer(survey.scale.minimum)
    integer(survey.scale.maximum)
    integer(survey.anonymity)
    list(survey.teams) { $0.group($1) }
    list(survey.levels) { $0.group($1) }
    list(survey.dimensions) { writer, dimension in
      writer.string(dimension.id)
      writer.string(dimension.title)
      writer.list(dimension.statements) { writer, statement in
        writer.string(statement.id)
        writer.string(statement.text)
        writer.location(statement.location)
      }
      writer.location(dimension.location)
    }
    location(survey.location)
  }

  mutating func group(_ group: Survey.Group) {
    string(group.id)
    string(group.title)
    location(group.location)
  }
}
