import Foundation
import PlaybookSpec

/// Events are stored flat, one JSON object each: `{"type": "signed", "agreement": "charter",
/// "role": "sponsor", "by": "dana", "at": "2026-11-26T16:40:05Z"}`. This is also the shape of
/// `accord log --json`, so it is a contract: keys may be added, never renamed.
extension Event: Codable {
  private enum Key: String, CodingKey {
    case type, by, at, note, client, name, role, person, milestone, agreement
    case round, responses, inputs
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    let type = try container.decode(String.self, forKey: .type)
    switch type {
    case "started":
      change = .started(
        client: try container.decode(String.self, forKey: .client),
        name: try container.decode(String.self, forKey: .name))
    case "assigned":
      change = .assigned(
        role: try container.decode(String.self, forKey: .role),
        person: try container.decode(String.self, forKey: .person))
    case "completed":
      change = .completed(milestone: try container.decode(String.self, forKey: .milestone))
    case "signed":
      change = .signed(
        agreement: try container.decode(String.self, forKey: .agreement),
        role: try container.decode(String.self, forKey: .role))
    case "revoked":
      change = .revoked(
        agreement: try container.decode(String.self, forKey: .agreement),
        role: try container.decode(String.self, forKey: .role))
    case "reopened":
      change = .reopened(milestone: try container.decode(String.self, forKey: .milestone))
    case "surveyImported":
      change = .surveyImported(
        round: try container.decode(String.self, forKey: .round),
        responses: try container.decode([SurveyResponse].self, forKey: .responses))
    case "opportunitySet":
      change = .opportunitySet(try container.decode(OpportunityInputs.self, forKey: .inputs))
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: container, debugDescription: "unknown event type '\(type)'")
    }
    by = try container.decode(String.self, forKey: .by)
    let time = try container.decode(String.self, forKey: .at)
    guard let date = Timestamp.parse(time) else {
      throw DecodingError.dataCorruptedError(
        forKey: .at, in: container,
        debugDescription: "'\(time)' is not a UTC time of the form 2026-01-31T09:30:00Z")
    }
    at = date
    note = try container.decodeIfPresent(String.self, forKey: .note)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(change.type, forKey: .type)
    switch change {
    case let .started(client, name):
      try container.encode(client, forKey: .client)
      try container.encode(name, forKey: .name)
    case let .assigned(role, person):
      try container.encode(role, forKey: .role)
      try container.encode(person, forKey: .person)
    case let .completed(milestone), let .reopened(milestone):
      try container.encode(milestone, forKey: .milestone)
    case let .signed(agreement, role), let .revoked(agreement, role):
      try container.encode(agreement, forKey: .agreement)
      try container.encode(role, forKey: .role)
    case let .surveyImported(round, responses):
      try container.encode(round, forKey: .round)
      try container.encode(responses, forKey: .responses)
    case let .opportunitySet(inputs):
      try container.encode(inputs, forKey: .inputs)
    }
    try container.encode(by, forKey: .by)
    try container.encode(Timestamp.format(at), forKey: .at)
    try container.encodeIfPresent(note, forKey: .note)
  }
}
