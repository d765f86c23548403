import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// The declaration in Change.swift is what the file format, the store's quick paths and the
/// fingerprint all work from: it must take every change apart and build it again.
@Suite struct EventKindTests {
  static let changes: [Change] = [
    .started(client: "acme", name: "Acme Ltd"),
    .assigned(role: "czar", person: "sam"),
    .completed(milestone: "kick-off"),
    .signed(agreement: "charter", role: "sponsor"),
    .revoked(agreement: "charter", role: "sponsor"),
    .reopened(milestone: "kick-off"),
    .surveyImported(
      round: "round-1",
      responses: [SurveyResponse(respondent: "r1", team: "sales", level: "manager", answers: ["g1": 4])]),
    .opportunitySet(
      OpportunityInputs(marketingStaff: 10, costPerHead: 60_000, contentShare: 50, unusedShare: 50, ancillary: 20_000)),
    .archived,
    .restored,
    .surveyWithdrawn(round: "round-1"),
  ]

  @Test func everyKindIsDeclaredOnceAndEveryChangeHasOne() {
    let types = Change.kinds.map(\.type)
    #expect(Set(types).count == types.count)
    #expect(Set(Self.changes.map(\.type)) == Set(types))
  }

  @Test(arguments: changes)
  func aChangeTakenApartIsBuiltAgain(_ change: Change) throws {
    let (kind, values) = change.parts
    #expect(EventKind.named(kind.type)?.fields == kind.fields)
    #expect(kind.change(values) == change)
  }

  @Test(arguments: changes)
  func anEventRoundTripsThroughItsDeclaredFields(_ change: Change) throws {
    let event = Event(change, by: "dana", at: Date(timeIntervalSince1970: 1_800_000_000), note: "why")
    let data = try JSONEncoder().encode(event)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let declared = Set(change.parts.kind.fields.map(\.rawValue) + ["type", "by", "at", "note"])
    #expect(Set(object.keys) == declared)
    #expect(try JSONDecoder().decode(Event.self, from: data) == event)
  }

  @Test func valuesOfTheWrongShapeOrCountBuildNothing() throws {
    let signed = try #require(EventKind.named("signed"))
    #expect(signed.change([.text("charter")]) == nil)
    #expect(signed.change([.text("charter"), .responses([])]) == nil)
    #expect(signed.change([.text("charter"), .text("sponsor")]) == .signed(agreement: "charter", role: "sponsor"))
    #expect(EventKind.named("signd") == nil)
  }
}
