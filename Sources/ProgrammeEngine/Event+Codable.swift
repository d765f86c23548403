import Foundation

/// Events are stored flat, one JSON object each: `{"type": "signed", "agreement": "charter",
/// "role": "sponsor", "by": "dana", "at": "2026-11-26T16:40:05Z"}`, with the fields
/// `Change.kinds` declares for the type, and `holder`, `onBehalfOf`, `evidence`
/// (`{"name", "sha256"}`), `via` (`"web"` or `"api"`), `printedBy` and `id` only when present. This is also
/// the shape of `accord log --json`.
extension Event: Codable {
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    static let type = Key(stringValue: "type")
    static let by = Key(stringValue: "by")
    static let at = Key(stringValue: "at")
    static let note = Key(stringValue: "note")
    static let previous = Key(stringValue: "previous")
    static let holder = Key(stringValue: "holder")
    static let onBehalfOf = Key(stringValue: "onBehalfOf")
    static let evidence = Key(stringValue: "evidence")
    static let via = Key(stringValue: "via")
    static let printedBy = Key(stringValue: "printedBy")
    static let id = Key(stringValue: "id")
    init(_ field: EventField) { stringValue = field.rawValue }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    let type = try container.decode(String.self, forKey: .type)
    guard let kind = EventKind.named(type) else {
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: container, debugDescription: "unknown event type '\(type)'")
    }
    var values: [FieldValue] = []
    for field in kind.fields {
      let key = Key(field)
      switch field.shape {
      case .text: values.append(.text(try container.decode(String.self, forKey: key)))
      case .optionalText: values.append(.optionalText(try container.decodeIfPresent(String.self, forKey: key)))
      case .responses: values.append(.responses(try container.decode([SurveyResponse].self, forKey: key)))
      case .inputs: values.append(.inputs(try container.decode(OpportunityInputs.self, forKey: key)))
      case .playbook: values.append(.playbook(try container.decode(PlaybookVersion.self, forKey: key)))
      }
    }
    // Every value was decoded in the shape its field declares.
    change = kind.make(FieldValues(values))
    by = try container.decode(String.self, forKey: .by)
    let time = try container.decode(String.self, forKey: .at)
    guard let date = Timestamp.parse(time) else {
      throw DecodingError.dataCorruptedError(
        forKey: .at, in: container,
        debugDescription: "'\(time)' is not a UTC time of the form 2026-01-31T09:30:00Z")
    }
    at = date
    note = try container.decodeIfPresent(String.self, forKey: .note)
    previous = try container.decodeIfPresent(String.self, forKey: .previous)
    holder = try container.decodeIfPresent(String.self, forKey: .holder)
    onBehalfOf = try container.decodeIfPresent(String.self, forKey: .onBehalfOf)
    evidence = try container.decodeIfPresent(EvidenceFile.self, forKey: .evidence)
    // A door this version does not know is damage, not something to drop on the next write.
    via = try container.decodeIfPresent(Via.self, forKey: .via)
    printedBy = try container.decodeIfPresent(String.self, forKey: .printedBy)
    id = try container.decodeIfPresent(String.self, forKey: .id)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    let (kind, values) = change.parts
    try container.encode(kind.type, forKey: .type)
    for (field, value) in zip(kind.fields, values) {
      switch value {
      case let .text(text): try container.encode(text, forKey: Key(field))
      case let .optionalText(text): try container.encodeIfPresent(text, forKey: Key(field))
      case let .responses(responses): try container.encode(responses, forKey: Key(field))
      case let .inputs(inputs): try container.encode(inputs, forKey: Key(field))
      case let .playbook(version): try container.encode(version, forKey: Key(field))
      }
    }
    try container.encode(by, forKey: .by)
    try container.encode(Timestamp.format(at), forKey: .at)
    try container.encodeIfPresent(note, forKey: .note)
    try container.encodeIfPresent(previous, forKey: .previous)
    // Absent unless present, so that older events keep their bytes and their hashes.
    try container.encodeIfPresent(holder, forKey: .holder)
    try container.encodeIfPresent(onBehalfOf, forKey: .onBehalfOf)
    try container.encodeIfPresent(evidence, forKey: .evidence)
    try container.encodeIfPresent(via, forKey: .via)
    try container.encodeIfPresent(printedBy, forKey: .printedBy)
    try container.encodeIfPresent(id, forKey: .id)
  }
}
