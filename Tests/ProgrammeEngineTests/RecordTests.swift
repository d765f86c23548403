import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// `Programme.record`: the one way every front end makes a change as a person. It decides the
/// role holder the event names, applies it, and leaves the programme as it was on a refusal.
@Suite("Programme: recording a change as a person")
struct RecordTests {
  static let charter = Sample.playbook.stages[1].agreements[0].termsHash
  static let time = Sample.t0.addingTimeInterval(120)

  @Test func aDelegatesActNamesTheHolderItIsFor() throws {
    var programme = try DelegationTests.delegated()
    let change = try programme.signature(on: "charter", by: "pat", at: Self.time, terms: Self.charter)
    #expect(change == .signed(agreement: "charter", role: "sales", terms: Self.charter))
    let event = try programme.record(change, by: "pat", at: Self.time, via: .web, printedBy: "alice")
    #expect(event.holder == "sam")
    #expect(event.via == .web && event.printedBy == "alice")
    #expect(programme.history.last == event)
    #expect(programme.signatures(of: "charter").first?.holder == "sam")
  }

  @Test func itRecordsWhatApplyingTheHoldersEventRecords() throws {
    // The same change made the long way (ask the holder, then apply) and through `record`.
    let start = try DelegationTests.delegated()
    var byHand = start
    var event = Event(.signed(agreement: "charter", role: "sales", terms: Self.charter), by: "pat", at: Self.time)
    event.holder = try byHand.holder(for: event)
    try byHand.apply(event)
    var recorded = start
    try recorded.record(event.change, by: "pat", at: Self.time)
    #expect(recorded == byHand)
  }

  @Test(arguments: [
    // (change, by, note, the refusal)
    (Change.completed(milestone: "rollout-plan"), "sam", nil as String?,
     Refusal.notAllowed(person: "sam", operation: .complete(milestone: "rollout-plan"), roles: ["consultant", "czar"])),
    (Change.reopened(milestone: "map"), "carol", nil, Refusal.reasonRequired(action: "reopening a milestone")),
    (Change.signed(agreement: "charter", role: "sales", terms: nil), "sam", nil, Refusal.termsRequired(agreement: "charter")),
  ] as [(Change, String, String?, Refusal)])
  func aRefusalChangesNothing(change: Change, by person: String, note: String?, refusal: Refusal) throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    let before = programme
    #expect(throws: refusal) { try programme.record(change, by: person, at: Self.time, note: note) }
    #expect(programme == before)
  }

  @Test func aRevocationIsTheSignersOrTheHolders() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    try programme.record(.signed(agreement: "charter", role: "sales", terms: Self.charter), by: "sam", at: Self.time)
    #expect(try programme.revocation(of: "charter", by: "sam", at: Self.time) == .revoked(agreement: "charter", role: "sales"))
    #expect(throws: Refusal.notSigned(agreement: "charter", role: "marketing")) {
      try programme.revocation(of: "charter", by: "mia", at: Self.time)
    }
    // A role named is taken as it is; recording it is what refuses someone who may not.
    let named = try programme.revocation(of: "charter", as: "sales", by: "mia", at: Self.time)
    #expect(throws: Refusal.notAllowed(person: "mia", operation: .revoke(agreement: "charter", role: "sales"), roles: ["sales"])) {
      try programme.record(named, by: "mia", at: Self.time, note: "not mine")
    }
  }
}
