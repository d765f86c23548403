import PlaybookSpec

/// One kind of event as the record stores it: its `type` and its fields (see Change.swift,
/// where every kind is declared).
public struct EventKind: Sendable {
  /// The event's `type` in the file.
  public let type: String
  /// The fields this kind carries beside `type`, `by`, `at` and `note`, in the order of the
  /// change's own arguments.
  public let fields: [EventField]
  /// Builds the change from values of `fields`, in that order, each of its field's shape.
  let make: @Sendable (FieldValues) -> Change

  init(_ type: String, _ fields: [EventField], _ make: @escaping @Sendable (FieldValues) -> Change) {
    self.type = type
    self.fields = fields
    self.make = make
  }

  /// The change these field values make; nil unless there is one value per field, each of
  /// its field's shape.
  public func change(_ values: [FieldValue]) -> Change? {
    guard values.count == fields.count,
      zip(fields, values).allSatisfy({ $0.shape == $1.shape })
    else { return nil }
    return make(FieldValues(values))
  }

  /// The kind whose `type` is `type`.
  public static func named(_ type: String) -> EventKind? {
    Change.kinds.first { $0.type == type }
  }
}

/// A field an event may carry beside `type`, `by`, `at` and `note`, named as the file
/// names it.
public enum EventField: String, CaseIterable, Sendable {
  case agreement, client, from, inputs, milestone, name, person, responses, role, round, terms, to, until
  case item, date
  case playbook, sha256
  case metric, value, reading
  case codes, closes
  case email, team, level

  /// What a field holds: most hold text; three hold a structured value; an optional text
  /// field (one added to a kind after files were written without it) may be absent.
  public enum Shape: Sendable {
    case text, optionalText, responses, inputs, playbook
  }

  public var shape: Shape {
    switch self {
    case .responses: .responses
    case .inputs: .inputs
    case .from, .to: .playbook
    case .terms, .playbook, .reading, .codes, .closes: .optionalText
    default: .text
    }
  }
}

/// The value of one event field.
public enum FieldValue: Sendable, Hashable {
  case text(String)
  /// Text that may be absent: absent fields are not written at all.
  case optionalText(String?)
  case responses([SurveyResponse])
  case inputs(OpportunityInputs)
  case playbook(PlaybookVersion)

  public var shape: EventField.Shape {
    switch self {
    case .text: .text
    case .optionalText: .optionalText
    case .responses: .responses
    case .inputs: .inputs
    case .playbook: .playbook
    }
  }
}

/// Field values already checked against their kind's fields, for `EventKind.make`.
struct FieldValues {
  private let values: [FieldValue]

  init(_ values: [FieldValue]) { self.values = values }

  func text(_ position: Int) -> String {
    guard case let .text(text) = values[position] else { mismatch(position) }
    return text
  }

  func optionalText(_ position: Int) -> String? {
    guard case let .optionalText(text) = values[position] else { mismatch(position) }
    return text
  }

  func responses(_ position: Int) -> [SurveyResponse] {
    guard case let .responses(responses) = values[position] else { mismatch(position) }
    return responses
  }

  func inputs(_ position: Int) -> OpportunityInputs {
    guard case let .inputs(inputs) = values[position] else { mismatch(position) }
    return inputs
  }

  func playbook(_ position: Int) -> PlaybookVersion {
    guard case let .playbook(version) = values[position] else { mismatch(position) }
    return version
  }

  /// `EventKind.change(_:)` checks every shape before `make` runs, so this is a mistake in
  /// the declaration below, never something a file can cause.
  private func mismatch(_ position: Int) -> Never {
    preconditionFailure("field \(position) does not have the shape its kind declares")
  }
}
