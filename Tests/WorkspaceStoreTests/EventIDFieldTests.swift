import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// `id`, each new event's own UUIDv7: read and written by the quick paths exactly as by
/// JSONDecoder and JSONEncoder, part of the fingerprint and the chain only when present,
/// what makes a file format 6, and never written twice by the store.
@Suite struct EventIDFieldTests {
  static let id = "01938f6a-2b4c-7d5e-8f60-123456789abc"

  static func recordWithID() throws -> ClientRecord {
    var record = try sampleRecord()
    record.revision = 1
    record.events.append(
      Event(.completed(milestone: "m"), by: "sid", at: time("2026-11-27T08:00:00Z"), via: .web, id: Self.id))
    record.format = record.neededFormat
    return record
  }

  @Test func theQuickWriterWritesJSONEncodersBytes() throws {
    var record = try Self.recordWithID()
    // Beside every other rare field too, so the key's place among them is tested.
    record.events[1].holder = "lee"
    record.events[1].onBehalfOf = "sid"
    record.events[1].evidence = EvidenceFile(name: "scan.pdf", sha256: String(repeating: "c", count: 64))
    record.events[1].via = .web
    record.events[1].printedBy = "carol"
    record.events[1].id = "01938f6a-0000-7000-8000-000000000001"
    let written = record.encoded()
    #expect(written == (try record.encodedByFoundation()))
    #expect(String(decoding: written, as: UTF8.self).contains("\"id\" : \"\(Self.id)\""))
  }

  @Test func theQuickReaderReadsWhatJSONDecoderReads() throws {
    let record = try Self.recordWithID()
    let data = record.encoded()
    let fast = try #require(ClientRecord.fastDecode(data))
    #expect(fast == (try JSONDecoder().decode(ClientRecord.self, from: data)))
    #expect(fast.events.last?.id == Self.id)
    #expect(fast.format == 6)
  }

  /// The canonical form (the chain's) is JSONEncoder's, with `id` in its byte-order place.
  @Test func theCanonicalFormHoldsTheIDInItsPlace() throws {
    let event = Event(
      .signed(agreement: "charter", role: "sponsor", terms: nil), by: "dana", at: time("2026-11-27T08:00:00Z"),
      holder: "lee", via: .api, id: Self.id)
    let canonical = HistoryChain.canonicalForm(of: event)
    #expect(canonical == HistoryChain.referenceForm(of: event))
    #expect(
      String(decoding: canonical, as: UTF8.self)
        == #"{"agreement":"charter","at":"2026-11-27T08:00:00Z","by":"dana","holder":"lee","id":"\#(Self.id)","role":"sponsor","type":"signed","via":"api"}"# + "\n")
  }

  @Test func fingerprintAndHashChangeOnlyWhenItIsPresent() throws {
    let plain = Event(.completed(milestone: "m"), by: "sid", at: time("2026-11-27T08:00:00Z"))
    var identified = plain
    identified.id = Self.id
    #expect(
      SeenRevisions.fingerprints(of: [plain], at: 1).whole != SeenRevisions.fingerprints(of: [identified], at: 1).whole)
    #expect(HistoryChain.hash(of: plain) != HistoryChain.hash(of: identified))
    #expect(!String(decoding: HistoryChain.canonicalForm(of: plain), as: UTF8.self).contains("\"id\""))
  }

  @Test func format6OnlyWhenAnEventHasAnID() throws {
    var record = try sampleRecord()
    #expect(record.neededFormat == 1)
    record.events[2].via = .web
    #expect(record.neededFormat == 3)
    record.events[2].printedBy = "carol"
    #expect(record.neededFormat == 5)
    record.events[2].id = Self.id
    #expect(record.neededFormat == 6)
  }

  /// Through the store: an old file keeps its events as they were and becomes format 6 with
  /// its first event that has an id; it reads back whole, its chain intact.
  @Test func aFileBecomesFormat6WithItsFirstIdentifiedEvent() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      #expect(try workspace.read(id).format == 1)
      let event = Event(
        .reopened(milestone: "m"), by: "sid", at: time("2026-11-28T08:00:00Z"), note: "oops", id: Self.id)
      try workspace.update(id) { $0.events.append(event) }
      let data = try Data(contentsOf: workspace.fileURL(for: id))
      let read = try workspace.read(id)
      #expect(read.format == 6)
      #expect(read.events.map(\.id) == [nil, nil, nil, nil, Self.id])
      #expect(HistoryChain.firstBreak(in: read.events, head: read.head) == nil)
      #expect(ClientRecord.fastDecode(data) == (try JSONDecoder().decode(ClientRecord.self, from: data)))
      #expect(read.encoded() == data)
    }
  }

  /// The store never writes a second event with an id the history holds, whoever built it,
  /// nor two new ones sharing an id; the file is left byte for byte as it was.
  @Test func theStoreRefusesASecondEventWithTheSameID() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let first = Event(.reopened(milestone: "m"), by: "sid", at: time("2026-11-28T08:00:00Z"), note: "a", id: Self.id)
      try workspace.update(id) { $0.events.append(first) }
      let before = try bytes(workspace)
      var again = first
      again.note = "the same id on another change"
      #expect(throws: Refusal.duplicateEvent(id: Self.id)) {
        try workspace.update(id) { $0.events.append(again) }
      }
      var twin = first
      twin.id = "01938f6a-0000-7000-8000-0000000000ff"
      #expect(throws: Refusal.duplicateEvent(id: twin.id!)) {
        try workspace.update(id) { $0.events += [twin, twin] }
      }
      #expect(try bytes(workspace) == before)
      #expect(try temporaryFiles(workspace).isEmpty)
    }
  }

  /// A new client whose history repeats an id is not created.
  @Test func createRefusesAHistoryThatRepeatsAnID() throws {
    try withWorkspace { workspace in
      var record = try sampleRecord()
      record.events[1].id = Self.id
      record.events[2].id = Self.id
      #expect(throws: Refusal.duplicateEvent(id: Self.id)) { try workspace.create(record) }
      #expect(!FileManager.default.fileExists(atPath: workspace.fileURL(for: try ClientID("acme")).path))
    }
  }

  /// A replay of part of the history, for the answer to a change sent again.
  @Test func aRecordReplaysUpToAnyEvent() throws {
    try withWorkspace { workspace in
      try workspace.create(try ClientCheckTests.soundRecord())
      let (record, whole) = try workspace.programme(try ClientID("acme"))
      for count in 1...record.events.count {
        let part = try #require(record.programme(after: count))
        #expect(part.history == Array(record.events.prefix(count)))
      }
      #expect(record.programme(after: record.events.count) == whole)
      #expect(record.programme(after: 0) == nil)
      #expect(record.programme(after: record.events.count + 1) == nil)
    }
  }
}

/// `EventID`, the maker of new events' ids: UUIDv7 (RFC 9562) in lowercase canonical form,
/// in the order they are made.
@Suite struct EventIDTests {
  @Test func anIDIsAVersion7UUIDInLowercaseCanonicalForm() throws {
    let id = EventID.make()
    #expect(id.wholeMatch(of: #/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/#) != nil)
    #expect(EventID.isCanonical(id))
    let uuid = try #require(UUID(uuidString: id))
    #expect(uuid.uuid.6 >> 4 == 7)
    #expect(uuid.uuid.8 >> 6 == 0b10)
  }

  /// The first 48 bits are the Unix time in milliseconds.
  @Test func theTimeIsTheFirst48Bits() throws {
    let id = EventID.text(milliseconds: 0x0193_8F6A_2B4C, randomA: 0xFD5E, randomB: 0xCF60_1234_5678_9ABC)
    // Only 12 and 62 random bits are kept: the version and the variant take the others.
    #expect(id == "01938f6a-2b4c-7d5e-8f60-123456789abc")
    let now = UInt64(Date().timeIntervalSince1970 * 1000)
    let made = EventID.make()
    let stamp = UInt64(made.replacing("-", with: "").prefix(12), radix: 16)!
    #expect(stamp >= now && stamp < now + 60_000)
  }

  /// Ids made one after another sort in that order, within one millisecond and with the
  /// clock set back, and never repeat.
  @Test func idsSortInTheOrderTheyWereMade() {
    var ids = (0..<2_000).map { _ in EventID.make() }
    ids += [EventID.make(milliseconds: 1), EventID.make(milliseconds: 1)]
    #expect(Set(ids).count == ids.count)
    #expect(ids == ids.sorted())
  }

  @Test func keysAreReadAsCanonicalIDs() {
    #expect(EventID.canonical("01890A5D-AC96-774B-BCCE-B302099A8057") == "01890a5d-ac96-774b-bcce-b302099a8057")
    #expect(EventID.canonical("f47ac10b-58cc-4372-a567-0e02b2c3d479") == "f47ac10b-58cc-4372-a567-0e02b2c3d479")
    for bad in ["", "hello", "01890a5d-ac96-774b-bcce-b302099a805", "{01890a5d-ac96-774b-bcce-b302099a8057}",
      "01890a5dac96774bbcceb302099a8057", " 01890a5d-ac96-774b-bcce-b302099a8057"]
    {
      #expect(EventID.canonical(bad) == nil, "\(bad)")
    }
    #expect(!EventID.isCanonical("01890A5D-AC96-774B-BCCE-B302099A8057"))
  }
}

/// The format-6 file written when ids came in (Tests/Fixtures/compat/format6, never
/// regenerated), read and written through the store's own entry points.
@Suite struct FormatSixFixtureTests {
  static let file = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/compat/format6/epsilon.json")

  @Test func theQuickReaderReadsWhatJSONDecoderReadsAndWritesItBackAsItWas() throws {
    let data = try Data(contentsOf: Self.file)
    let fast = try #require(ClientRecord.fastDecode(data), "the quick reader stepped aside")
    let reference = try JSONDecoder().decode(ClientRecord.self, from: data)
    #expect(fast == reference)
    #expect(fast.format == 6)
    #expect(fast.events.allSatisfy { $0.id.map(EventID.isCanonical) == true })
    #expect(reference.encoded() == data)
    #expect(try reference.encodedByFoundation() == data)
  }

  @Test func theStoreLoadsAndReplaysIt() throws {
    try withWorkspace { workspace in
      try FileManager.default.createDirectory(at: workspace.directory, withIntermediateDirectories: true)
      let id = try ClientID("epsilon")
      let data = try Data(contentsOf: Self.file)
      try data.write(to: workspace.fileURL(for: id))
      let (record, programme) = try workspace.programme(id)
      #expect(programme.history == record.events)
      for (position, event) in record.events.enumerated() {
        #expect(programme.position(ofEventID: event.id!) == position)
      }
      #expect(try bytes(workspace, "epsilon") == data)
    }
  }
}
