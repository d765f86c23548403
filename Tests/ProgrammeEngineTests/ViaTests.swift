import Foundation
import Testing

@testable import ProgrammeEngine

/// `via`: the server's door a change came through. Stored only when present, and never
/// anything but a door this version knows.
@Suite("Programme: changes made through the server")
struct ViaTests {
  static let complete = Change.completed(milestone: "map")

  @Test(arguments: [Via.web, .api])
  func itRoundTripsAndIsWrittenAsItsName(channel: Via) throws {
    let event = Event(Self.complete, by: "alice", at: Sample.t0, via: channel)
    #expect(event.via == channel)
    let data = try JSONEncoder().encode(event)
    #expect(try JSONDecoder().decode(Event.self, from: data) == event)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["via"] as? String == channel.rawValue)
  }

  @Test func anEventWithoutItIsWrittenAsBefore() throws {
    let data = try JSONEncoder().encode(Event(Self.complete, by: "alice", at: Sample.t0))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object.keys.contains("via") == false)
    #expect(try JSONDecoder().decode(Event.self, from: data).via == nil)
  }

  @Test func itKeepsItsPlaceBesideTheOtherRareFields() throws {
    var event = Event(
      Self.complete, by: "alice", at: Sample.t0, holder: "sam", onBehalfOf: "pat",
      evidence: EvidenceFile(name: "scan.pdf", sha256: String(repeating: "0", count: 64)), via: .api)
    #expect([event.holder, event.onBehalfOf] == ["sam", "pat"])
    #expect(event.via == .api)
    event.holder = nil
    event.onBehalfOf = nil
    event.evidence = nil
    #expect(event.via == .api)
    event.via = nil
    // Emptied, it is the plain event again: equal, and hashed the same.
    let plain = Event(Self.complete, by: "alice", at: Sample.t0)
    #expect(event == plain)
    #expect(event.hashValue == plain.hashValue)
    #expect(Event(Self.complete, by: "alice", at: Sample.t0, via: .web) != plain)
  }

  @Test(arguments: ["\"fax\"", "\"Web\"", "1", "{}"])
  func aDoorThisVersionDoesNotKnowIsRefused(value: String) {
    let json = #"{"at": "2026-11-02T09:00:00Z", "by": "alice", "milestone": "map", "type": "completed", "via": "#
      + value + "}"
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Event.self, from: Data(json.utf8)) }
  }

  @Test func theRulesTakeItAsTheyTakeAnyEventAndTheHistoryKeepsIt() throws {
    var programme = try Sample.started()
    let event = Event(Self.complete, by: "alice", at: Sample.t0.addingTimeInterval(60), via: .web)
    try programme.apply(event)
    #expect(programme.isDone("map"))
    #expect(programme.history.last == event)
    #expect(programme.history.last?.via == .web)
  }

  @Test func itChangesTheEventsHashOnlyWhenPresent() {
    let plain = Event(Self.complete, by: "alice", at: Sample.t0)
    let hashes = Set([nil, Via.web, .api].map { HistoryChain.hash(of: Event(Self.complete, by: "alice", at: Sample.t0, via: $0)) })
    #expect(hashes.count == 3)
    #expect(String(decoding: HistoryChain.canonicalForm(of: plain), as: UTF8.self).contains("via") == false)
  }
}
