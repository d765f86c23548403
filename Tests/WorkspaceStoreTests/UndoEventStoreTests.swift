import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// The events that undo in the open (`archived`, `restored`, `surveyWithdrawn`) go through
/// the quick writer and reader exactly as JSONEncoder and JSONDecoder see them, and a file
/// written before they existed still reads the same.
@Suite("Store: archived, restored and withdrawn events")
struct UndoEventStoreTests {
  @Test func theNewKindsAreWrittenAndReadLikeTheRest() throws {
    var record = try sampleRecord()
    record.revision = 1
    record.events += [
      Event(.surveyWithdrawn(round: "round-1"), by: "dana", at: time("2026-11-27T08:00:00Z"), note: "same file twice"),
      Event(.archived, by: "dana", at: time("2026-11-28T08:00:00Z"), note: "engagement paused"),
      Event(.restored, by: "dana", at: time("2026-11-29T08:00:00Z")),
    ]
    let written = record.encoded()
    #expect(written == (try record.encodedByFoundation()))
    let text = String(decoding: written, as: UTF8.self)
    #expect(text.contains("\"type\" : \"archived\""))
    #expect(text.contains("\"round\" : \"round-1\",\n      \"type\" : \"surveyWithdrawn\""))
    let fast = try #require(ClientRecord.fastDecode(written))
    #expect(fast == (try FastDecodingTests.slow(written)))
    #expect(fast.events == record.events)
  }

  @Test func anEventOfANewKindWithAFieldItDoesNotHaveIsRefused() throws {
    var record = try sampleRecord()
    record.events.append(Event(.restored, by: "dana", at: time("2026-11-29T08:00:00Z")))
    let text = String(decoding: record.encoded(), as: UTF8.self)
      .replacingOccurrences(of: "\"type\" : \"restored\"", with: "\"round\" : \"x\",\n      \"type\" : \"restored\"")
    #expect(ClientRecord.fastDecode(Data(text.utf8)) == nil)
    #expect(throws: StoreError.self) { try ClientRecord.decode(Data(text.utf8), path: "acme.json", expecting: try ClientID("acme")) }
  }
}
