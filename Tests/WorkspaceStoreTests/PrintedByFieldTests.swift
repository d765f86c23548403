import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// `printedBy`, who printed the sign-in link of the session a change was made in: read and
/// written by the quick paths exactly as by JSONDecoder and JSONEncoder, part of the
/// fingerprint and the chain only when present, and the one thing that makes a file format 5.
@Suite struct PrintedByFieldTests {
  static func recordWithPrinter() throws -> ClientRecord {
    var record = try sampleRecord()
    record.revision = 1
    record.events.append(
      Event(
        .completed(milestone: "m"), by: "sid", at: time("2026-11-27T08:00:00Z"), via: .web, printedBy: "carol"))
    record.format = record.neededFormat
    return record
  }

  @Test func theQuickWriterWritesJSONEncodersBytes() throws {
    var record = try Self.recordWithPrinter()
    // Beside every other rare field too, so the key's place among them is tested.
    record.events[1].holder = "lee"
    record.events[1].onBehalfOf = "sid"
    record.events[1].evidence = EvidenceFile(name: "scan.pdf", sha256: String(repeating: "c", count: 64))
    record.events[1].via = .web
    record.events[1].printedBy = "carol"
    let written = record.encoded()
    #expect(written == (try record.encodedByFoundation()))
    #expect(String(decoding: written, as: UTF8.self).contains("\"printedBy\" : \"carol\""))
  }

  @Test func theQuickReaderReadsWhatJSONDecoderReads() throws {
    let record = try Self.recordWithPrinter()
    let data = record.encoded()
    let fast = try #require(ClientRecord.fastDecode(data))
    #expect(fast == (try JSONDecoder().decode(ClientRecord.self, from: data)))
    #expect(fast.events.last?.printedBy == "carol")
    #expect(fast.format == 5)
  }

  @Test func fingerprintAndHashChangeOnlyWhenItIsPresent() throws {
    let plain = Event(.completed(milestone: "m"), by: "sid", at: time("2026-11-27T08:00:00Z"), via: .web)
    var printed = plain
    printed.printedBy = "carol"
    #expect(SeenRevisions.fingerprints(of: [plain], at: 1).whole != SeenRevisions.fingerprints(of: [printed], at: 1).whole)
    #expect(HistoryChain.hash(of: plain) != HistoryChain.hash(of: printed))
    #expect(!String(decoding: HistoryChain.canonicalForm(of: plain), as: UTF8.self).contains("printedBy"))
  }

  @Test func format5OnlyWhenAnEventRecordsAPrinter() throws {
    var record = try sampleRecord()
    #expect(record.neededFormat == 1)
    record.events[2].via = .web
    #expect(record.neededFormat == 3)
    record.events[2].printedBy = "carol"
    #expect(record.neededFormat == 5)
  }

  /// Through the store: the file becomes format 5 and reads back whole, its chain intact.
  @Test func aFormat5FileRoundTripsThroughTheStore() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let event = Event(
        .reopened(milestone: "m"), by: "sid", at: time("2026-11-28T08:00:00Z"), note: "oops", via: .web,
        printedBy: "carol")
      try workspace.update(id) { $0.events.append(event) }
      let data = try Data(contentsOf: workspace.fileURL(for: id))
      let read = try workspace.read(id)
      #expect(read.format == 5)
      #expect(read.events.last?.printedBy == "carol")
      #expect(HistoryChain.firstBreak(in: read.events, head: read.head) == nil)
      #expect(ClientRecord.fastDecode(data) == (try JSONDecoder().decode(ClientRecord.self, from: data)))
      #expect(read.encoded() == data)
    }
  }
}
