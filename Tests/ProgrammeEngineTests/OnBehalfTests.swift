import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// The consultant or czar records what another person did elsewhere, with evidence.
@Suite("Programme: on behalf of")
struct OnBehalfTests {
  static let scan = EvidenceFile(name: "charter-signed.pdf", sha256: String(repeating: "ab", count: 32))

  static func event(
    _ change: Change, by person: String, for other: String?, evidence: EvidenceFile? = scan, note: String? = nil,
    holder: String? = nil
  ) -> Event {
    Event(
      change, by: person, at: Sample.t0.addingTimeInterval(60), note: note, holder: holder, onBehalfOf: other,
      evidence: evidence)
  }

  static let signSales = Change.signed(agreement: "charter", role: "sales")

  @Test(arguments: [
    // (by, on behalf of, evidence, refusal or nil): recording sam's signature on paper
    ("alice", "sam", scan, nil),  // the consultant
    ("carol", "sam", scan, nil),  // the czar
    ("mia", "sam", scan, Refusal.notAllowed(person: "mia", operation: .recordOnBehalf, roles: ["consultant", "czar"])),
    ("sam", "sam", scan, Refusal.notAllowed(person: "sam", operation: .recordOnBehalf, roles: ["consultant", "czar"])),
    ("alice", "sam", nil, Refusal.evidenceRequired),
    ("alice", "mia", scan,
     Refusal.notAllowed(person: "mia", operation: .sign(agreement: "charter", role: "sales"), roles: ["sales"])),
    ("alice", "", scan, Refusal.invalidPerson("")),
    ("alice", "sam", EvidenceFile(name: "x.pdf", sha256: "abc"),
     Refusal.invalidEvidence("'abc' is not a SHA-256 in lowercase hex")),
  ] as [(String, String, EvidenceFile?, Refusal?)])
  func recordingASignature(by person: String, for other: String, evidence: EvidenceFile?, refusal: Refusal?) throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    let before = programme
    do {
      try programme.apply(Self.event(Self.signSales, by: person, for: other, evidence: evidence))
      #expect(refusal == nil)
      let signature = try #require(programme.signatures(of: "charter").first)
      #expect(signature.person == other)
      #expect(signature.enteredBy == person)
      #expect(signature.evidence == evidence)
    } catch let error as Refusal {
      #expect(error == refusal)
      #expect(programme == before)
    }
  }

  @Test func evidenceComesOnlyWithOnBehalfOf() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    #expect(throws: Refusal.self) {
      try programme.apply(Self.event(Self.signSales, by: "sam", for: nil))
    }
  }

  @Test func theRulesAreThoseOfThePersonItIsRecordedFor() throws {
    var programme = try Sample.started()
    // map is the consultant's or the czar's: recorded for sam, it is refused, for carol accepted.
    #expect(throws: Refusal.notAllowed(person: "sam", operation: .complete(milestone: "map"), roles: ["consultant", "czar"])) {
      try programme.apply(Self.event(.completed(milestone: "map"), by: "alice", for: "sam"))
    }
    try programme.apply(Self.event(.completed(milestone: "map"), by: "alice", for: "carol"))
    #expect(programme.completion(of: "map")?.actor == "carol")
    // A signer recorded on paper may withdraw their own signature, recorded the same way.
    try Sample.run(&programme, Array(Sample.throughCoaching.dropFirst()))
    try programme.apply(Self.event(Self.signSales, by: "carol", for: "sam"))
    try programme.apply(Self.event(.revoked(agreement: "charter", role: "sales"), by: "carol", for: "sam", note: "wrong page"))
  }

  @Test func aDelegateMayBeTheOneItIsRecordedFor() throws {
    var programme = try DelegationTests.delegated()
    let recorded = Self.event(Self.signSales, by: "alice", for: "pat")
    #expect(try programme.holder(for: recorded) == "sam")
    try programme.apply(Self.event(Self.signSales, by: "alice", for: "pat", holder: "sam"))
    let signature = try #require(programme.signatures(of: "charter").first)
    #expect([signature.person, signature.holder, signature.enteredBy] == ["pat", "sam", "alice"])
  }

  @Test func nobodyRecordsTheStartForSomeoneElse() throws {
    #expect(throws: Refusal.self) {
      _ = try Programme(
        playbook: Sample.playbook, start: Self.event(.started(client: "acme", name: "Acme"), by: "alice", for: "bo"))
    }
  }

  @Test func theNewFieldsRoundTripAndAreAbsentWhenEmpty() throws {
    let event = Self.event(Self.signSales, by: "alice", for: "pat", holder: "sam")
    let data = try JSONEncoder().encode(event)
    #expect(try JSONDecoder().decode(Event.self, from: data) == event)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["holder"] as? String == "sam")
    #expect(object["onBehalfOf"] as? String == "pat")
    #expect((object["evidence"] as? [String: String]) == ["name": "charter-signed.pdf", "sha256": Self.scan.sha256])
    let plain = try JSONSerialization.jsonObject(
      with: JSONEncoder().encode(Event(Self.signSales, by: "sam", at: Sample.t0))) as? [String: Any]
    #expect(plain?.keys.contains("holder") == false)
    #expect(plain?.keys.contains("onBehalfOf") == false)
    #expect(plain?.keys.contains("evidence") == false)
  }

  /// The event as it was before these fields, to measure what they cost every other event.
  private struct EventBefore {
    var change: Change
    var by: String
    var at: Date
    var note: String?
    var previous: String?
    /// Not rare: every event written from file format 6 on has its id.
    var id: String?
  }

  @Test func theRareFieldsCostOtherEventsOnePointer() {
    #expect(MemoryLayout<Event>.size <= MemoryLayout<EventBefore>.size + 8)
    var event = Event(Self.signSales, by: "sam", at: Sample.t0)
    event.holder = "x"
    event.holder = nil
    #expect(event == Event(Self.signSales, by: "sam", at: Sample.t0))
    #expect(event.hashValue == Event(Self.signSales, by: "sam", at: Sample.t0).hashValue)
  }
}
