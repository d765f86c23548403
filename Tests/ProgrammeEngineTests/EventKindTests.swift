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
    .signed(agreement: "charter", role: "sponsor", terms: String(repeating: "ab", count: 32)),
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
    .upgraded(
      from: PlaybookVersion(id: "alignment", version: 1, sha256: String(repeating: "1", count: 64)),
      to: PlaybookVersion(id: "alignment", version: 2, sha256: String(repeating: "2", count: 64))),
    .delegated(role: "sponsor", person: "pat", until: "2026-12-31"),
    .delegationEnded(role: "sponsor"),
    .scheduled(item: "pilot", date: "2027-01-15"),
    .skipped(milestone: "coaching-check-ins"),
    .started(client: "acme", name: "Acme Ltd", playbook: String(repeating: "3", count: 64)),
    .sealed(sha256: String(repeating: "4", count: 64)),
    .metricRecorded(metric: "time-to-sale", value: "45", date: "2026-12-01"),
    .metricRecorded(metric: "content-used", value: "27.5", date: "2026-11-02", reading: "baseline"),
    .surveyOpened(round: "round-2", codes: "40", closes: "2026-12-18"),
    .surveyOpened(round: "round-3"),
    .surveyClosed(
      round: "round-2",
      responses: [SurveyResponse(respondent: "w01", team: "sales", level: "manager", answers: ["g1": 4])]),
    .joined(person: "Sam Seller", email: "sam@acme.example", team: "sales", level: "staff"),
    .left(person: "Sam Seller"),
    .acknowledged(agreement: "lead-sla", terms: String(repeating: "5", count: 64)),
    .acknowledged(agreement: "lead-sla"),
    .affirmed(agreement: "lead-sla", role: "head-of-sales", terms: String(repeating: "6", count: 64)),
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
    let event = Event(
      change, by: "dana", at: Date(timeIntervalSince1970: 1_800_000_000), note: "why",
      previous: String(repeating: "0", count: 64))
    let data = try JSONEncoder().encode(event)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    // Every declared field, but an optional one only when it has a value.
    let (kind, values) = change.parts
    let present = zip(kind.fields, values).filter { $1 != .optionalText(nil) }.map(\.0.rawValue)
    #expect(Set(object.keys) == Set(present + ["type", "by", "at", "note", "previous"]))
    #expect(try JSONDecoder().decode(Event.self, from: data) == event)
  }

  @Test func valuesOfTheWrongShapeOrCountBuildNothing() throws {
    let signed = try #require(EventKind.named("signed"))
    #expect(signed.change([.text("charter")]) == nil)
    #expect(signed.change([.text("charter"), .responses([])]) == nil)
    #expect(signed.change([.text("charter"), .text("sponsor")]) == nil)
    #expect(signed.change([.text("charter"), .text("sponsor"), .text("abc")]) == nil)
    #expect(
      signed.change([.text("charter"), .text("sponsor"), .optionalText(nil)])
        == .signed(agreement: "charter", role: "sponsor"))
    #expect(
      signed.change([.text("charter"), .text("sponsor"), .optionalText("abc")])
        == .signed(agreement: "charter", role: "sponsor", terms: "abc"))
    #expect(EventKind.named("signd") == nil)
  }
}
