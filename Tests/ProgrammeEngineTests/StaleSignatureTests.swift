import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// Signatures bound to the terms: a signature on other terms than the agreement in force
/// is stale. It does not count, the gate it held is closed, and its role is asked to sign
/// again. A signature recorded before signatures carried their terms counts.
@Suite("Programme: stale signatures")
struct StaleSignatureTests {
  static let charter = Sample.playbook.stages[1].agreements[0]
  static let current = charter.termsHash
  /// The hash of the charter as it read before its title changed.
  static let older = Agreement(
    id: "charter", title: "Charter (draft)", signatories: charter.signatories, location: Sample.here
  ).termsHash

  /// A programme at the end of coaching with both signatures given, sales's on `salesTerms`.
  ///
  /// A new signature on other terms than those in force is refused (`terms-changed`), so one
  /// on `older` terms comes from a stored history, replayed as it was written (a file
  /// edited by hand, or written by an Accord that did not check): the history is made on
  /// the terms in force, and sales's signature then given `salesTerms`.
  static func signed(salesTerms: String?) throws -> Programme {
    var programme = try Sample.started()
    try Sample.run(
      &programme,
      Sample.throughCoaching + [
        (.signed(agreement: "charter", role: "sales", terms: salesTerms == nil ? nil : current), "sam"),
        (.signed(agreement: "charter", role: "marketing", terms: current), "mia"),
      ])
    guard salesTerms != current, let salesTerms else { return programme }
    var history = programme.history
    history[history.count - 2].change = .signed(agreement: "charter", role: "sales", terms: salesTerms)
    return try Programme(playbook: Sample.playbook, history: history)
  }

  @Test func aNewSignatureOnOtherTermsIsRefusedAndAStoredOneReplays() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    let before = programme
    let refusal = Refusal.termsChanged(agreement: "charter", given: Self.older, inForce: Self.current)
    #expect(throws: refusal) {
      try programme.apply(Sample.event(.signed(agreement: "charter", role: "sales", terms: Self.older), by: "sam"))
    }
    #expect(programme == before)
    #expect(refusal.code == "terms-changed")
    #expect(
      refusal.details
        == ["agreement": .text("charter"), "terms": .text(Self.older), "termsInForce": .text(Self.current)])
    #expect(refusal.description.contains("changed since you read them"))
    // The rule is for new signatures only: a stored one on other terms replays, and is stale.
    let replayed = try Self.signed(salesTerms: Self.older)
    #expect(replayed.signatures(of: "charter").map(\.isStale) == [true, false])
    // Whoever may not sign is told that first, whatever terms they name.
    #expect(throws: Refusal.notAllowed(person: "mia", operation: .sign(agreement: "charter", role: "sales"), roles: ["sales"])) {
      try programme.apply(Sample.event(.signed(agreement: "charter", role: "sales", terms: Self.older), by: "mia"))
    }
  }

  @Test func recordingASignatureNeedsItsTerms() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    let before = programme
    // The one way a front end records a change: a signature that names no terms is its mistake.
    #expect(throws: Refusal.termsRequired(agreement: "charter")) {
      try programme.record(.signed(agreement: "charter", role: "sales"), by: "sam", at: Sample.t0.addingTimeInterval(3_600))
    }
    #expect(throws: Refusal.unknownAgreement("chartr", suggestion: "charter")) {
      try programme.record(.signed(agreement: "chartr", role: "sales"), by: "sam", at: Sample.t0.addingTimeInterval(3_600))
    }
    #expect(throws: Refusal.termsChanged(agreement: "charter", given: Self.older, inForce: Self.current)) {
      try programme.record(
        .signed(agreement: "charter", role: "sales", terms: Self.older), by: "sam", at: Sample.t0.addingTimeInterval(3_600))
    }
    #expect(programme == before)
    let event = try programme.record(
      try programme.signature(on: "charter", by: "sam", at: Sample.t0.addingTimeInterval(3_600), terms: Self.current),
      by: "sam", at: Sample.t0.addingTimeInterval(3_600), note: "for the team")
    #expect(event.change == .signed(agreement: "charter", role: "sales", terms: Self.current))
    #expect(event.note == "for the team" && event.holder == nil)
    #expect(programme.history.last == event)
  }

  @Test func theTermsHashIsTheCanonicalContentsSHA256() {
    let agreement = Agreement(
      id: "charter", title: "How sales and marketing will work together",
      terms: "Weekly joint pipeline review.\nOne shared \"qualified lead\" definition.",
      signatories: [Sample.ref("head-of-sales"), Sample.ref("head-of-marketing")], location: Sample.here)
    // The worked example in docs/state-format.md.
    #expect(
      agreement.canonicalContent
        == #"{"id":"charter","signatories":["head-of-sales","head-of-marketing"],"terms":"Weekly joint pipeline review.\nOne shared \"qualified lead\" definition.","title":"How sales and marketing will work together"}"#)
    #expect(agreement.termsHash == "369962615e6c1796b517cb4390ba008f2792cee209f010c7582c682a2e7f133a")
    var bare = agreement
    bare.terms = nil
    #expect(bare.termsHash == "531042dbc700b9f039f336826dc660e053514b106c7f05a86ecaba58be362f7e")
    #expect(CanonicalJSON.string("a/\u{01}\u{7F}é\t") == "\"a/\\u0001\u{7F}é\\t\"")
    #expect(CanonicalJSON.string("\"q\" \\ \u{8}\u{c}\r\n\u{1f} 🤝") == #""\"q\" \\ \b\f\r\n\u001f 🤝""#)
  }

  // (sales signed these terms, whether the signature counts, the charter's state, the implementation stage's state)
  @Test(arguments: [
    (current as String?, true, AgreementState.signed, StageState.active),
    (nil, true, .signed, .active),
    (older, false, .open, .locked),
  ] as [(String?, Bool, AgreementState, StageState)])
  func aSignatureCountsOnlyOnTheTermsInForce(
    terms: String?, counts: Bool, agreement: AgreementState, implementation: StageState
  ) throws {
    var programme = try Self.signed(salesTerms: terms)
    #expect(programme.state(ofAgreement: "charter") == agreement)
    #expect(programme.signatures(of: "charter").map(\.isStale) == [!counts, false])
    #expect(programme.state(ofMilestone: "rollout-plan") == (counts ? .ready : .blocked))
    if counts {
      try programme.apply(Sample.event(.completed(milestone: "rollout-plan"), by: "alice"))
    }
    // Without the signature, rollout-plan stays behind its gate, so coaching never ends.
    #expect(programme.stageStates()[2] == implementation)
  }

  @Test func aStaleSignatureClosesItsGateAndAsksItsRoleToSignAgain() throws {
    var programme = try Self.signed(salesTerms: Self.older)
    let hold = GateHold(
      agreements: [.init(agreement: "charter", roles: ["sales"], stale: ["sales"])], milestones: [])
    let next = programme.nextActions()
    #expect(
      next.actions == [
        Action(
          kind: .sign, target: "charter", stage: "coaching", role: "sales", person: "sam",
          terms: Self.current, staleTerms: Self.older)
      ])
    #expect(next.blocked == [Blocker(stage: "coaching", milestone: "rollout-plan", hold: hold)])
    let refusal = Refusal.notReady(milestone: "rollout-plan", obstacles: [.milestoneGated(hold)])
    #expect(throws: refusal) {
      try programme.apply(Sample.event(.completed(milestone: "rollout-plan"), by: "alice"))
    }
    #expect(refusal.description.contains("the terms changed since sales signed: sign again"))
    #expect(refusal.code == "gate-closed")
  }

  @Test func theRoleSignsAgainOnTheTermsInForce() throws {
    var programme = try Self.signed(salesTerms: Self.older)
    #expect(try programme.role(toSign: "charter", by: "sam") == "sales")
    try programme.apply(Sample.event(.signed(agreement: "charter", role: "sales", terms: Self.current), by: "sam"))
    #expect(programme.state(ofAgreement: "charter") == .signed)
    #expect(programme.signatures(of: "charter").map(\.terms) == [Self.current, Self.current])
    // Once it counts, signing again is refused as before.
    #expect(throws: Refusal.alreadySigned(agreement: "charter", role: "sales", by: "sam")) {
      try programme.apply(Sample.event(.signed(agreement: "charter", role: "sales", terms: Self.current), by: "sam"))
    }
  }

  @Test func aStaleSignatureMayBeRevokedAndTheHistoryReplays() throws {
    var programme = try Self.signed(salesTerms: Self.older)
    try programme.apply(Sample.event(.revoked(agreement: "charter", role: "sales"), by: "sam", note: "old terms"))
    #expect(programme.signatures(of: "charter").map(\.role) == ["marketing"])
    // A stored history with a stale signature replays: it is not a broken record.
    let replayed = try Programme(playbook: Sample.playbook, history: programme.history)
    #expect(replayed == programme)
  }
}
