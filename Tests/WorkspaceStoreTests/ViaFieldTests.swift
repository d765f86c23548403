import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// `via`, the server's door a change came through: read and written by the quick paths
/// exactly as by JSONDecoder and JSONEncoder, part of the fingerprint only when present, and
/// the one thing that makes a file format 3.
@Suite struct ViaFieldTests {
  /// The sample record with a change made through the server at the end.
  static func recordWithVia(_ channel: Via = .web) throws -> ClientRecord {
    var record = try sampleRecord()
    record.revision = 1
    record.events.append(
      Event(.completed(milestone: "m"), by: "sam", at: time("2026-11-27T08:00:00Z"), note: "from the page", via: channel))
    record.format = record.neededFormat
    return record
  }

  @Test(arguments: [Via.web, .api])
  func theQuickWriterWritesJSONEncodersBytes(channel: Via) throws {
    var record = try Self.recordWithVia(channel)
    // Beside every other rare field too, so the key's place among them is tested.
    record.events[1].holder = "lee"
    record.events[1].onBehalfOf = "sid"
    record.events[1].evidence = EvidenceFile(name: "scan.pdf", sha256: String(repeating: "c", count: 64))
    record.events[1].via = channel
    let written = record.encoded()
    #expect(written == (try record.encodedByFoundation()))
    #expect(String(decoding: written, as: UTF8.self).contains("\"via\" : \"\(channel.rawValue)\""))
  }

  @Test func theQuickReaderReadsWhatJSONDecoderReads() throws {
    let record = try Self.recordWithVia(.api)
    let data = record.encoded()
    let fast = try #require(ClientRecord.fastDecode(data))
    #expect(fast == (try JSONDecoder().decode(ClientRecord.self, from: data)))
    #expect(fast.events == record.events)
    #expect(fast.events.last?.via == .api)
    #expect(fast.format == 3)
  }

  /// A door this version does not know is damage to both readers: the quick one steps
  /// aside, JSONDecoder refuses, and the store reports the file as corrupt.
  @Test(arguments: ["\"fax\"", "\"WEB\"", "\"\"", "1", "[\"web\"]"])
  func anUnknownDoorIsRefusedAsDamage(value: String) throws {
    let text = String(decoding: try Self.recordWithVia().encoded(), as: UTF8.self)
    #expect(text.contains("\"via\" : \"web\""))
    let edited = Data(text.replacingOccurrences(of: "\"via\" : \"web\"", with: "\"via\" : \(value)").utf8)
    #expect(ClientRecord.fastDecode(edited) == nil)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(ClientRecord.self, from: edited) }
    let id = try ClientID("acme")
    let error = #expect(throws: StoreError.self) { try ClientRecord.decode(edited, path: "acme.json", expecting: id) }
    guard case .corrupt? = error else {
      Issue.record("expected the file to be reported as corrupt, got \(String(describing: error))")
      return
    }
  }

  @Test func fingerprintAndHashChangeOnlyWhenItIsPresent() throws {
    let plain = Event(.completed(milestone: "m"), by: "sam", at: time("2026-11-27T08:00:00Z"))
    let events = [nil, Via.web, .api].map { channel in
      var event = plain
      event.via = channel
      return event
    }
    let prints = Set(events.map { SeenRevisions.fingerprints(of: [$0], at: 1).whole })
    #expect(prints.count == 3)
    #expect(Set(events.map(HistoryChain.hash(of:))).count == 3)
    // Without it, the fingerprint as defined before `via`.
    #expect(
      SeenRevisions.fingerprints(of: [plain], at: 1).whole
        == ActingForFieldsTests.oldFingerprint(["completed", "sam", "2026-11-27T08:00:00Z", "-", "m"]))
  }

  @Test func format3OnlyWhenAnEventCameThroughTheServer() throws {
    var record = try sampleRecord()
    #expect(record.neededFormat == 1)
    record.earlierPlaybooks = [record.playbook]
    #expect(record.neededFormat == 2)
    record.events[2].via = .api
    #expect(record.neededFormat == 3)
    record.earlierPlaybooks = []
    #expect(record.neededFormat == 3)
    record.events[2].via = nil
    // Other rare fields do not need it.
    record.events[2].holder = "lee"
    record.events[2].onBehalfOf = "sid"
    #expect(record.neededFormat == 1)
  }

  /// Through the store: a change through the server makes the file format 3, and it reads
  /// back whole; a change without one leaves an older file's format as it was.
  @Test func aFormat3FileRoundTripsThroughTheStore() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      #expect(try workspace.read(id).format == 1)
      try workspace.update(id) { record in
        record.events.append(Event(.completed(milestone: "m"), by: "sam", at: time("2026-11-27T08:00:00Z")))
      }
      #expect(try workspace.read(id).format == 1)

      let web = Event(.reopened(milestone: "m"), by: "sam", at: time("2026-11-28T08:00:00Z"), note: "oops", via: .web)
      try workspace.update(id) { $0.events.append(web) }
      let data = try Data(contentsOf: workspace.fileURL(for: id))
      let read = try workspace.read(id)
      #expect(read.format == 3)
      #expect(read.revision == 3)
      #expect(read.events.last?.via == .web)
      #expect(read.events.last?.note == "oops")
      #expect(HistoryChain.firstBreak(in: read.events, head: read.head) == nil)
      // Both readers agree on it, and the quick writer gives back its bytes.
      #expect(ClientRecord.fastDecode(data) == (try JSONDecoder().decode(ClientRecord.self, from: data)))
      #expect(read.encoded() == data)

      // Written again without a new door, it stays format 3: its history still holds `via`.
      try workspace.update(id) { record in
        record.events.append(Event(.completed(milestone: "m"), by: "sam", at: time("2026-11-29T08:00:00Z")))
      }
      #expect(try workspace.read(id).format == 3)
    }
  }
}
