import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// Acting for someone else, openly: delegations, and the holder every delegated act records.
/// Sample.t0 is 2026-09-21T14:13:20Z, so "2026-09-21" is the day the tests act on.
@Suite("Programme: delegation")
struct DelegationTests {
  /// The outcome of `event` on `programme`: nil when accepted; a refusal changes nothing.
  static func outcome(_ programme: inout Programme, _ event: Event) -> Refusal? {
    let before = programme
    do {
      try programme.apply(event)
      return nil
    } catch {
      #expect(programme == before, "a refusal changes nothing")
      return error
    }
  }

  /// An event `minutes` after t0 (negative for before), with the holder the engine asks for.
  static func event(
    _ change: Change, by person: String, note: String? = nil, minutes: Double = 1, holder: String? = nil
  ) -> Event {
    Event(change, by: person, at: Sample.t0.addingTimeInterval(minutes * 60), note: note, holder: holder)
  }

  /// Through coaching, the charter open, and sam's sales role delegated to pat until the
  /// end of 2026-09-22 (UTC).
  static func delegated(until: String = "2026-09-22") throws -> Programme {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    try programme.apply(event(.delegated(role: "sales", person: "pat", until: until), by: "sam", note: "on leave"))
    return programme
  }

  @Test(arguments: [
    // (change, by, note, refusal or nil), delegating on a programme through coaching
    (Change.delegated(role: "sales", person: "pat", until: "2026-09-22"), "sam", "leave", nil),  // the holder
    (Change.delegated(role: "sales", person: "pat", until: "2026-09-21"), "alice", "leave", nil),  // the consultant, to today's end
    (Change.delegated(role: "sales", person: "pat", until: "2026-09-22"), "mia",
     "leave", Refusal.notAllowed(person: "mia", operation: .delegate(role: "sales"), roles: ["sales", "consultant"])),
    (Change.delegated(role: "sales", person: "pat", until: "2026-09-22"), "carol",
     "leave", Refusal.notAllowed(person: "carol", operation: .delegate(role: "sales"), roles: ["sales", "consultant"])),
    (Change.delegated(role: "sales", person: "sam", until: "2026-09-22"), "alice", "leave",
     Refusal.delegateIsHolder(role: "sales", person: "sam")),
    (Change.delegated(role: "sales", person: "pat", until: "2026-09-20"), "sam", "leave",
     Refusal.untilInPast(role: "sales", until: "2026-09-20", today: "2026-09-21")),
    (Change.delegated(role: "sales", person: "pat", until: "2026-9-22"), "sam", "leave", Refusal.invalidDay("2026-9-22")),
    (Change.delegated(role: "sales", person: "pat", until: "2026-02-30"), "sam", "leave", Refusal.invalidDay("2026-02-30")),
    (Change.delegated(role: "sales", person: "pat", until: "2026-09-22"), "sam", nil,
     Refusal.reasonRequired(action: "delegating a role")),
    (Change.delegated(role: "sales", person: "pat", until: "2026-09-22"), "sam", " ",
     Refusal.reasonRequired(action: "delegating a role")),
    (Change.delegated(role: "sales", person: " ", until: "2026-09-22"), "sam", "leave", Refusal.invalidPerson(" ")),
    (Change.delegated(role: "sponsor", person: "pat", until: "2026-09-22"), "alice", "leave",
     Refusal.unknownRole("sponsor", known: ["consultant", "czar", "sales", "marketing"], suggestion: nil)),
    (Change.delegationEnded(role: "sales"), "sam", nil, Refusal.notDelegated(role: "sales")),
  ] as [(Change, String, String?, Refusal?)])
  func delegating(change: Change, by person: String, note: String?, refusal: Refusal?) throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    #expect(Self.outcome(&programme, Self.event(change, by: person, note: note)) == refusal)
  }

  @Test func anUnassignedRoleHasNobodyToActFor() throws {
    var programme = try Sample.started(assigning: ["czar": "carol"])
    let refusal = Self.outcome(
      &programme, Self.event(.delegated(role: "sales", person: "pat", until: "2026-09-22"), by: "alice", note: "x"))
    #expect(refusal == .roleUnassigned("sales"))
    #expect(refusal?.code == "role-unassigned")
  }

  @Test func aDelegateSignsForTheHolderAndTheGateOpens() throws {
    var programme = try Self.delegated()
    let signing = Self.event(.signed(agreement: "charter", role: "sales"), by: "pat")
    #expect(try programme.holder(for: signing) == "sam")
    #expect(try programme.role(toSign: "charter", by: "pat", at: signing.at) == "sales")
    try programme.apply(Self.event(.signed(agreement: "charter", role: "sales"), by: "pat", holder: "sam"))
    try programme.apply(Self.event(.signed(agreement: "charter", role: "marketing"), by: "mia"))
    let signature = try #require(programme.signatures(of: "charter").first { $0.role == "sales" })
    #expect(signature.person == "pat")
    #expect(signature.holder == "sam")
    #expect(signature.enteredBy == nil)
    #expect(programme.state(ofAgreement: "charter") == .signed)
    #expect(programme.history.last?.holder == nil)  // mia signed for herself
  }

  @Test func theHolderRecordedMustBeTheOneTheEngineNames() throws {
    var programme = try Self.delegated()
    let sign = Change.signed(agreement: "charter", role: "sales")
    // A delegate's act without the holder, or naming someone else, is refused.
    #expect(Self.outcome(&programme, Self.event(sign, by: "pat")) == .wrongHolder(recorded: nil, expected: "sam"))
    #expect(
      Self.outcome(&programme, Self.event(sign, by: "pat", holder: "mia")) == .wrongHolder(recorded: "mia", expected: "sam"))
    // So is a holder on an act in one's own right.
    #expect(
      Self.outcome(&programme, Self.event(sign, by: "sam", holder: "sam")) == .wrongHolder(recorded: "sam", expected: nil))
    #expect(Refusal.wrongHolder(recorded: nil, expected: "sam").code == "wrong-holder")
  }

  @Test func theDelegateMayActToTheEndOfTheDayAndNotAfter() throws {
    var programme = try Self.delegated(until: "2026-09-21")
    let sign = Change.signed(agreement: "charter", role: "sales")
    // 2026-09-21T23:59:59Z is the last second of the day; 2026-09-22T00:00:00Z is past it.
    let lastSecond = Timestamp.parse("2026-09-21T23:59:59Z")!
    let past = Timestamp.parse("2026-09-22T00:00:00Z")!
    var late = programme
    #expect(
      Self.outcome(&late, Event(sign, by: "pat", at: past, holder: "sam"))
        == .notAllowed(person: "pat", operation: .sign(agreement: "charter", role: "sales"), roles: ["sales"]))
    #expect(programme.delegations(activeAt: past).isEmpty)
    #expect(programme.delegations(activeAt: lastSecond).map(\.delegate) == ["pat"])
    #expect(Self.outcome(&programme, Event(sign, by: "pat", at: lastSecond, holder: "sam")) == nil)
  }

  @Test func endedEarlyTheDelegateMayNoLongerAct() throws {
    var programme = try Self.delegated()
    #expect(
      Self.outcome(&programme, Self.event(.delegationEnded(role: "sales"), by: "mia"))
        == .notAllowed(person: "mia", operation: .endDelegation(role: "sales"), roles: ["sales", "consultant"]))
    // The delegate cannot end it either: only the holder or the consultant.
    #expect(Self.outcome(&programme, Self.event(.delegationEnded(role: "sales"), by: "pat")) != nil)
    #expect(Self.outcome(&programme, Self.event(.delegationEnded(role: "sales"), by: "alice", minutes: 2)) == nil)
    #expect(programme.delegations(activeAt: Sample.t0).isEmpty)
    #expect(
      Self.outcome(&programme, Self.event(.signed(agreement: "charter", role: "sales"), by: "pat", minutes: 3))
        == .notAllowed(person: "pat", operation: .sign(agreement: "charter", role: "sales"), roles: ["sales"]))
    #expect(
      Self.outcome(&programme, Self.event(.delegationEnded(role: "sales"), by: "sam", minutes: 4))
        == .notDelegated(role: "sales"))
  }

  @Test func aHandOverEndsTheDelegation() throws {
    var programme = try Self.delegated()
    try programme.apply(Self.event(.assigned(role: "sales", person: "sue"), by: "alice", minutes: 2))
    #expect(programme.delegations(activeAt: Sample.t0).isEmpty)
    #expect(
      Self.outcome(&programme, Self.event(.signed(agreement: "charter", role: "sales"), by: "pat", minutes: 3))
        == .notAllowed(person: "pat", operation: .sign(agreement: "charter", role: "sales"), roles: ["sales"]))
    try programme.apply(Self.event(.signed(agreement: "charter", role: "sales"), by: "sue", minutes: 4))
  }

  @Test func aDelegateCannotDelegateFurther() throws {
    var programme = try Self.delegated()
    #expect(
      Self.outcome(
        &programme, Self.event(.delegated(role: "sales", person: "quinn", until: "2026-09-22"), by: "pat", note: "x"))
        == .notAllowed(person: "pat", operation: .delegate(role: "sales"), roles: ["sales", "consultant"]))
  }

  @Test func aDelegateOfTheCzarCompletesForTheCzar() throws {
    var programme = try Sample.started()
    try programme.apply(
      Self.event(.delegated(role: "czar", person: "dora", until: "2026-09-30"), by: "carol", note: "holiday"))
    // wiifm is the czar's; the czar may complete any milestone, so dora may complete map too.
    let complete = Self.event(.completed(milestone: "map"), by: "dora", minutes: 2)
    #expect(try programme.holder(for: complete) == "carol")
    try programme.apply(Self.event(.completed(milestone: "map"), by: "dora", minutes: 2, holder: "carol"))
    #expect(programme.completion(of: "map")?.holder == "carol")
  }

  @Test func aNewDelegationReplacesTheOneBefore() throws {
    var programme = try Self.delegated()
    try programme.apply(
      Self.event(.delegated(role: "sales", person: "quinn", until: "2026-09-25"), by: "sam", note: "pat is away too",
        minutes: 2))
    #expect(programme.delegations(activeAt: Sample.t0).map(\.delegate) == ["quinn"])
    #expect(programme.delegations(activeAt: Sample.t0).first?.holder == "sam")
  }

  @Test func aHistoryWithDelegationsReplays() throws {
    var programme = try Self.delegated()
    try programme.apply(Self.event(.signed(agreement: "charter", role: "sales"), by: "pat", holder: "sam"))
    try programme.apply(Self.event(.delegationEnded(role: "sales"), by: "sam", minutes: 2))
    let replayed = try Programme(playbook: Sample.playbook, history: programme.history)
    #expect(replayed == programme)
    #expect(replayed.signatures(of: "charter").first?.holder == "sam")
  }
}
