import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// `holder`, `onBehalfOf` and `evidence` are added to what identifies an event only when
/// present: an event without them keeps the fingerprint and the hash it always had, so this
/// machine's memory of old clients and their hash chains stay valid.
@Suite struct ActingForFieldsTests {
  static let at = Timestamp.parse("2026-11-02T09:00:00Z")!
  static let signed = Event(
    .signed(agreement: "charter", role: "sponsor", terms: String(repeating: "ab", count: 32)), by: "sid", at: at,
    note: "on paper")

  /// The fingerprint as it was defined before these fields: each field length-prefixed, in
  /// the order type, by, at, note ("+" text or "-"), then the kind's own fields (an optional
  /// one "+" marked when present).
  static func oldFingerprint(_ fields: [String]) -> String {
    SHA256.hex(fields.flatMap { Array("\($0.utf8.count):".utf8) + Array($0.utf8) })
  }

  @Test func anEventWithoutThemKeepsItsFingerprint() {
    let expected = Self.oldFingerprint([
      "signed", "sid", "2026-11-02T09:00:00Z", "+on paper", "charter", "sponsor", "+" + String(repeating: "ab", count: 32),
    ])
    #expect(SeenRevisions.fingerprints(of: [Self.signed], at: 1).whole == expected)
  }

  @Test func eachOfThemChangesTheFingerprintAndTheHash() {
    var variants: [Event] = []
    var event = Self.signed
    event.holder = "sam"
    variants.append(event)
    event = Self.signed
    event.onBehalfOf = "sid"
    event.evidence = EvidenceFile(name: "scan.pdf", sha256: String(repeating: "0", count: 64))
    variants.append(event)
    event.evidence?.sha256 = String(repeating: "1", count: 64)
    variants.append(event)
    let prints = Set(([Self.signed] + variants).map { SeenRevisions.fingerprints(of: [$0], at: 1).whole })
    let hashes = Set(([Self.signed] + variants).map(HistoryChain.hash(of:)))
    #expect(prints.count == 4)
    #expect(hashes.count == 4)
  }

  @Test func theQuickWriterAndReaderKeepThem() throws {
    var event = Self.signed
    event.by = "alice"
    event.onBehalfOf = "sid"
    event.holder = "sam"
    event.evidence = EvidenceFile(name: "scan \"1\".pdf", sha256: String(repeating: "c", count: 64))
    var record = ClientRecord(
      client: try ClientID("acme"), name: "Acme", uid: "u",
      playbook: StoredPlaybook(id: "p", version: 1, title: "P", origin: "o", source: "s"), assignments: [:],
      events: [event])
    record.revision = 1
    #expect(record.encoded() == (try record.encodedByFoundation()))
    let read = try #require(ClientRecord.fastDecode(Data(record.canonicalJSON())))
    #expect(read.events == [event])
  }
}
