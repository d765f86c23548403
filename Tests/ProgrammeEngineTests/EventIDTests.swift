import Foundation
import Testing

@testable import ProgrammeEngine

/// `id`: an event's own id, made where the event is built. The engine refuses a second event
/// with an id its history holds, so a change sent twice is applied once, and a stored history
/// that repeats an id does not replay.
@Suite("Programme: event ids")
struct EventIDTests {
  static let first = "01938f6a-2b4c-7d5e-8f60-000000000001"
  static let second = "01938f6a-2b4c-7d5e-8f60-000000000002"

  static func event(_ change: Change, by person: String, id: String?, minute: Int = 1) -> Event {
    var event = Sample.event(change, by: person, minute: minute)
    event.id = id
    return event
  }

  @Test func itRoundTripsAndIsWrittenOnlyWhenPresent() throws {
    let event = Self.event(.completed(milestone: "map"), by: "alice", id: Self.first)
    let data = try JSONEncoder().encode(event)
    #expect(try JSONDecoder().decode(Event.self, from: data) == event)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["id"] as? String == Self.first)
    let plain = try JSONEncoder().encode(Self.event(.completed(milestone: "map"), by: "alice", id: nil))
    let keys = try #require(try JSONSerialization.jsonObject(with: plain) as? [String: Any]).keys
    #expect(!keys.contains("id"))
  }

  @Test func aSecondEventWithTheSameIDIsRefusedAndChangesNothing() throws {
    var programme = try Sample.started()
    try programme.apply(Self.event(.completed(milestone: "map"), by: "alice", id: Self.first))
    let before = programme
    // Whatever it changes: the same change again, or another one.
    for change in [Change.completed(milestone: "map"), .completed(milestone: "wiifm")] {
      let refusal = #expect(throws: Refusal.self) {
        try programme.apply(Self.event(change, by: change == .completed(milestone: "map") ? "alice" : "carol", id: Self.first))
      }
      #expect(refusal == .duplicateEvent(id: Self.first))
      #expect(refusal?.code == "duplicate-event")
      #expect(refusal?.details["id"] == .text(Self.first))
    }
    #expect(programme == before)
    // `holder(for:)` asks the same rules.
    #expect(throws: Refusal.duplicateEvent(id: Self.first)) {
      try programme.holder(for: Self.event(.completed(milestone: "survey"), by: "alice", id: Self.first))
    }
    try programme.apply(Self.event(.completed(milestone: "survey"), by: "alice", id: Self.second))
    #expect(programme.position(ofEventID: Self.first) == 4)
    #expect(programme.position(ofEventID: Self.second) == 5)
    #expect(programme.position(ofEventID: "01938f6a-2b4c-7d5e-8f60-000000000003") == nil)
  }

  /// Events without ids (every event from before) never count as repeats of each other.
  @Test func eventsWithoutIDsAreNeverRepeats() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    #expect(programme.history.allSatisfy { $0.id == nil })
    #expect(programme.position(ofEventID: "") == nil)
  }

  /// A stored history that repeats an id (a file edited by hand) does not replay: the
  /// second event is named.
  @Test func aStoredHistoryThatRepeatsAnIDDoesNotReplay() throws {
    let history = [
      Self.event(.started(client: "acme", name: "Acme Ltd"), by: "alice", id: Self.first, minute: 0),
      Self.event(.completed(milestone: "map"), by: "alice", id: Self.second),
      Self.event(.completed(milestone: "survey"), by: "alice", id: Self.second, minute: 2),
    ]
    let error = #expect(throws: HistoryError.self) {
      try Programme(playbook: Sample.playbook, history: history)
    }
    #expect(error?.position == 2)
    #expect(error?.refusal == .duplicateEvent(id: Self.second))
    let sound = try Programme(playbook: Sample.playbook, history: Array(history.prefix(2)))
    #expect(sound.position(ofEventID: Self.second) == 1)
  }
}
