import Foundation

/// Writes events' canonical forms (see `HistoryChain`) straight into one buffer it reuses:
/// the bytes `HistoryChain.referenceForm(of:)` gets from JSONEncoder, at a fraction of the
/// cost. Every read verifies the whole chain, so a 500,000-event history is half a million
/// of these; JSONEncoder would make that as slow as the rest of the read put together.
///
/// The keys of each kind follow `Change.kinds`, as the store's writer does, so a new kind or
/// field needs no code here; a new key that every event may carry (as `via` was) goes in
/// `common`. A seeded differential test holds this to the reference.
public struct CanonicalEventWriter {
  /// The canonical form of the event written last, newline included.
  public private(set) var bytes: [UInt8] = []

  public init() {
    bytes.reserveCapacity(512)
  }

  /// Replaces the buffer's content with `event`'s canonical form.
  public mutating func write(_ event: Event) {
    bytes.removeAll(keepingCapacity: true)
    append(event)
    bytes.append(UInt8(ascii: "\n"))
  }

  private mutating func append(_ event: Event) {
    let (kind, values) = event.change.parts
    bytes.append(UInt8(ascii: "{"))
    var first = true
    for key in Self.layouts[kind.type] ?? [] {
      switch key.part {
      case .type: member(key.name, &first); string(kind.type)
      case .by: member(key.name, &first); string(event.by)
      case .at: member(key.name, &first); string(Timestamp.format(event.at))
      case .note: if let note = event.note { member(key.name, &first); string(note) }
      case .previous: if let previous = event.previous { member(key.name, &first); string(previous) }
      case .holder: if let holder = event.holder { member(key.name, &first); string(holder) }
      case .onBehalfOf: if let other = event.onBehalfOf { member(key.name, &first); string(other) }
      case .evidence:
        if let evidence = event.evidence {
          member(key.name, &first)
          bytes.append(contentsOf: Self.evidenceOpen)
          string(evidence.name)
          bytes.append(contentsOf: Self.evidenceMiddle)
          string(evidence.sha256)
          bytes.append(UInt8(ascii: "}"))
        }
      case .via: if let via = event.via { member(key.name, &first); string(via.rawValue) }
      case .printedBy: if let printer = event.printedBy { member(key.name, &first); string(printer) }
      case .id: if let id = event.id { member(key.name, &first); string(id) }
      case let .field(position):
        switch values[position] {
        case .optionalText(nil): continue
        case let .text(text), let .optionalText(text?): member(key.name, &first); string(text)
        case let .responses(responses): member(key.name, &first); write(responses)
        case let .playbook(version): member(key.name, &first); write(version)
        case let .inputs(inputs):
          // A dozen numbers in one rare event: JSONEncoder writes them, so that each number
          // is exactly the reference's.
          member(key.name, &first)
          bytes.append(contentsOf: Self.reference(inputs))
        }
      }
    }
    bytes.append(UInt8(ascii: "}"))
  }

  /// `"key":`, after a comma unless it is the first member.
  private mutating func member(_ name: [UInt8], _ first: inout Bool) {
    if !first { bytes.append(UInt8(ascii: ",")) }
    first = false
    bytes.append(contentsOf: name)
  }

  private mutating func string(_ text: String) {
    CanonicalJSON.append(text, to: &bytes)
  }

  private mutating func integer(_ value: Int) {
    if value >= 0 && value < 10 {
      bytes.append(UInt8(ascii: "0") + UInt8(value))
    } else {
      bytes.append(contentsOf: String(value).utf8)
    }
  }

  /// `{"id":…,"sha256":…,"version":…}`.
  private mutating func write(_ version: PlaybookVersion) {
    bytes.append(contentsOf: Array(#"{"id":"#.utf8))
    string(version.id)
    bytes.append(contentsOf: Array(#","sha256":"#.utf8))
    string(version.sha256)
    bytes.append(contentsOf: Array(#","version":"#.utf8))
    integer(version.version)
    bytes.append(UInt8(ascii: "}"))
  }

  /// `[{"answers":{…},"level":…,"respondent":…,"team":…},…]`, statements in byte order.
  private mutating func write(_ responses: [SurveyResponse]) {
    bytes.append(UInt8(ascii: "["))
    for (index, response) in responses.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      bytes.append(contentsOf: Array(#"{"answers":{"#.utf8))
      let statements = response.answers.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (position, statement) in statements.enumerated() {
        if position > 0 { bytes.append(UInt8(ascii: ",")) }
        string(statement)
        bytes.append(UInt8(ascii: ":"))
        integer(response.answers[statement]!)
      }
      bytes.append(contentsOf: Array(#"},"level":"#.utf8))
      string(response.level)
      bytes.append(contentsOf: Array(#","respondent":"#.utf8))
      string(response.respondent)
      bytes.append(contentsOf: Array(#","team":"#.utf8))
      string(response.team)
      bytes.append(UInt8(ascii: "}"))
    }
    bytes.append(UInt8(ascii: "]"))
  }

  private static func reference(_ value: some Encodable) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Cannot fail: every field is text or a number.
    return [UInt8]((try? encoder.encode(value)) ?? Data("null".utf8))
  }

  private static let evidenceOpen = Array(#"{"name":"#.utf8)
  private static let evidenceMiddle = Array(#","sha256":"#.utf8)

  /// What a key of an event holds: one of the keys any event may carry, or the kind's
  /// field at a position.
  private enum Part {
    case type, by, at, note, previous, holder, onBehalfOf, evidence, via, printedBy, id, field(Int)
  }

  /// The keys any event may carry beside its kind's fields, as Event+Codable writes them.
  private static let common: [(String, Part)] = [
    ("type", .type), ("by", .by), ("at", .at), ("note", .note), ("previous", .previous),
    ("holder", .holder), ("onBehalfOf", .onBehalfOf), ("evidence", .evidence), ("via", .via),
    ("printedBy", .printedBy), ("id", .id),
  ]

  /// Each kind's keys in byte order (JSONEncoder's `.sortedKeys`), each written `"key":`.
  private static let layouts: [String: [(name: [UInt8], part: Part)]] = Dictionary(
    uniqueKeysWithValues: Change.kinds.map { kind in
      var keys = common
      keys += kind.fields.enumerated().map { ($1.rawValue, .field($0)) }
      keys.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
      return (kind.type, keys.map { (Array(CanonicalJSON.string($0.0).utf8) + [UInt8(ascii: ":")], $0.1) })
    })
}
