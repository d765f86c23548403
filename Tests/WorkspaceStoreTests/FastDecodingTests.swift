import Foundation
import ProgrammeEngine
import PlaybookSpec
import SeededRandom
import Testing

@testable import WorkspaceStore

/// The quick reader must agree with JSONDecoder on every file Accord writes, and must step
/// aside (answer nil) for anything unusual, so that JSONDecoder judges it.
@Suite struct FastDecodingTests {
  /// The record as the store would write it (revision 1 at least).
  static func written(_ record: ClientRecord) throws -> Data {
    var stored = record
    stored.revision = max(record.revision, 1)
    return stored.encoded()
  }

  static func slow(_ data: Data) throws -> ClientRecord {
    try JSONDecoder().decode(ClientRecord.self, from: data)
  }

  @Test func everyEventTypeAndAwkwardTextReadsTheSameBothWays() throws {
    var record = try sampleRecord()
    record.name = "Ünïcødé \"Quoted\" \\ back/slash\ttab 🤝"
    record.events += [
      Event(.revoked(agreement: "charter", role: "head-of-sales"), by: "lee", at: time("2026-11-27T08:00:00Z"), note: "line one\nline two\r\n\u{1}"),
      Event(.reopened(milestone: "benchmark-survey"), by: "sam", at: time("2026-11-28T08:00:00Z"), note: "   "),
      Event(.assigned(role: "czar", person: "Zoë O'Brien"), by: "dana", at: time("2026-11-29T08:00:00Z")),
    ]
    let data = try Self.written(record)
    let fast = try #require(ClientRecord.fastDecode(data))
    #expect(fast == (try Self.slow(data)))
    #expect(fast == record.withStoreFields(of: fast))
    #expect(fast.revision == 1)
  }

  @Test func escapesIncludingSurrogatePairsAreUnescaped() throws {
    let data = try Self.written(try sampleRecord())
    var text = String(decoding: data, as: UTF8.self)
    text = text.replacingOccurrences(of: "\"Acme Ltd\"", with: #""\u0041cme \ud83e\udd1d \/ Ltd""#)
    let edited = Data(text.utf8)
    let fast = try #require(ClientRecord.fastDecode(edited))
    #expect(fast.name == "Acme 🤝 / Ltd")
    #expect(fast == (try Self.slow(edited)))
  }

  @Test func unknownKeysFromALaterAccordAreSkipped() throws {
    let data = try Self.written(try sampleRecord())
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    object["future"] = ["nested": [1, 2.5, true, false, NSNull(), "x"]]
    let edited = try JSONSerialization.data(withJSONObject: object)
    let fast = try #require(ClientRecord.fastDecode(edited))
    #expect(fast == (try Self.slow(edited)))
  }

  /// Each edit makes the file unusual; the quick reader must leave it to JSONDecoder.
  @Test(arguments: [
    ("\"revision\" : 1", "\"revision\" : 1.5"),  // a fraction where a whole number belongs
    ("\"revision\" : 1", "\"revision\" : 1, \"revision\" : 2"),
    ("\"revision\" : 1", "\"revision\" : 0"),  // a revision no write could have made
    ("\"revision\" : 1", "\"revision\" : 9223372036854775807"),  // nor one that cannot grow  // a duplicate key
    ("\"revision\" : 1", "\"revision\" : 01"),  // a leading zero: not JSON at all
    ("\"revision\" : 1", "\"revision\" : 1, \"later\" : +1"),  // nor is +1, even under a key nobody reads
    ("\"revision\" : 1", "\"revision\" : 1, \"later\" : [.5]"),
    ("\"revision\" : 1", "\"revision\" : 1, \"later\" : 1-2"),
    ("\"type\" : \"completed\"", "\"type\" : \"completed\", \"later\" : 1."),
    ("\"format\" : 1", "\"format\" : \(ClientRecord.currentFormat + 1)"),  // a newer format
    ("\"format\" : 1", "\"form\\u0061t\" : 1"),  // an escaped key
    ("\"type\" : \"completed\"", "\"type\" : \"deleted\""),  // an unknown event type
    ("\"at\" : \"2026-11-20T15:30:00Z\"", "\"at\" : \"2026-11-20 15:30\""),  // a bad time
    ("\"by\" : \"sam\"", "\"by\" : null"),  // null where text belongs
    ("\"sha256\" : \"", "\"sha256\" : \"0"),  // a fingerprint that does not match
    ("\"client\" : \"acme\"", "\"client\" : \"../acme\""),  // not a client id
  ])
  func unusualFilesAreLeftToJSONDecoder(original: String, replacement: String) throws {
    let text = String(decoding: try Self.written(try sampleRecord()), as: UTF8.self)
    #expect(text.contains(original), "the sample no longer holds \(original)")
    let edited = Data(text.replacingOccurrences(of: original, with: replacement).utf8)
    #expect(ClientRecord.fastDecode(edited) == nil)
  }

  /// A key that is not UTF-8 makes the whole file invalid for JSONDecoder, even a key
  /// nobody reads, at the top level or in an event.
  @Test(arguments: ["\"format\" : 1", "\"type\" : \"completed\""])
  func aKeyThatIsNotUTF8IsLeftToJSONDecoder(after member: String) throws {
    let data = try Self.written(try sampleRecord())
    let anchor = Data(member.utf8)
    let range = try #require(data.range(of: anchor))
    var edited = data
    edited.insert(contentsOf: Data(", \"not".utf8) + [0xFF] + Data("e\" : 1".utf8), at: range.upperBound)
    #expect(throws: (any Error).self) { try Self.slow(edited) }
    #expect(ClientRecord.fastDecode(edited) == nil)
  }

  /// Two playbook texts that Swift's `==` calls equal (é as one scalar, or as e and a
  /// combining accent) have different bytes and so different fingerprints. A file holding
  /// one text with the other's fingerprint is refused by JSONDecoder, and must not be
  /// taken by the quick reader because it has met the other text before.
  @Test func aPlaybookTextIsFingerprintedByItsBytesNotByWhatSwiftCallsEqual() throws {
    var record = try sampleRecord()
    record.revision = 1
    let marker = UUID().uuidString  // a text no other test has put in the process's memo
    record.playbook.source = sampleSource + "# caf\u{E9} \(marker)\n"
    let precomposed = record.encoded()
    #expect(ClientRecord.fastDecode(precomposed) != nil)  // remembers this text's fingerprint

    var text = String(decoding: precomposed, as: UTF8.self)
    text = text.replacingOccurrences(of: "caf\u{E9} \(marker)", with: "cafe\u{301} \(marker)", options: .literal)
    let decomposed = Data(text.utf8)
    #expect(decomposed != precomposed, "the edit must change the bytes")
    #expect(throws: (any Error).self) { try Self.slow(decomposed) }
    #expect(ClientRecord.fastDecode(decomposed) == nil)

    // And the decomposed text with its own fingerprint is read, whichever came first.
    record.playbook.source = sampleSource + "# cafe\u{301} \(marker)\n"
    let own = record.encoded()
    #expect(try ClientRecord.fastDecode(own) == Self.slow(own))
  }

  /// An event with more than its kind's fields is read by JSONDecoder, event by event,
  /// and the result is the same as JSONDecoder's for the whole file.
  @Test func anEventItDoesNotKnowInDetailIsReadLikeJSONDecoderReadsIt() throws {
    let text = String(decoding: try Self.written(try sampleRecord()), as: UTF8.self)
    let edited = Data(
      text.replacingOccurrences(
        of: "\"type\" : \"completed\"", with: "\"type\" : \"completed\", \"person\" : \"x\"", options: [], range: nil
      ).utf8)
    let fast = try #require(ClientRecord.fastDecode(edited))
    #expect(fast == (try Self.slow(edited)))
  }

  @Test(arguments: [
    Data("{} trailing".utf8), Data("[".utf8), Data(), Data([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]),
    Data((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8),
  ])
  func malformedJSONIsLeftToJSONDecoder(data: Data) {
    #expect(ClientRecord.fastDecode(data) == nil)
  }
}

extension ClientRecord {
  /// This record with the fields the store sets on writing taken from `other`.
  func withStoreFields(of other: ClientRecord) -> ClientRecord {
    var copy = self
    copy.format = other.format
    copy.revision = other.revision
    return copy
  }
}

/// The hand-written writer must produce exactly JSONEncoder's text, so files stay the
/// documented format and diffs stay small whichever wrote them.
@Suite struct FastEncodingTests {
  @Test func theWriterMatchesJSONEncoderByteForByte() throws {
    var record = try sampleRecord()
    #expect(record.encoded() == (try record.encodedByFoundation()))

    record.name = "Ünïcødé \"Quoted\" \\ back/slash\ttab 🤝 \u{8}\u{c}\r\n\u{1}\u{1f}\u{7f}\u{2028}"
    record.assignments = ["-y": "v", "B": "2", "_z": "u", "a10": "x", "a9": "y", "b": "1"]
    record.events += [
      Event(.revoked(agreement: "charter", role: "head-of-sales"), by: "lee", at: time("2026-11-27T08:00:00Z"), note: "line one\nline two"),
      Event(.reopened(milestone: "m"), by: "sam", at: time("2026-11-28T08:00:00Z"), note: ""),
      Event(.assigned(role: "czar", person: "Zoë"), by: "dana", at: time("2026-11-29T08:00:00Z")),
    ]
    #expect(record.encoded() == (try record.encodedByFoundation()))
  }

  @Test func emptyContainersAreWrittenAsJSONEncoderWritesThem() throws {
    var record = try sampleRecord()
    record.assignments = [:]
    record.events = []
    let written = record.encoded()
    #expect(written == (try record.encodedByFoundation()))
    #expect(String(decoding: written, as: UTF8.self).contains("\"events\" : [\n\n  ]"))
  }
}

extension FastEncodingTests {
  /// Events with nested fields go through JSONEncoder inside the hand-written text; the
  /// whole must still be JSONEncoder's text, and read back the same.
  @Test func eventsWithNestedFieldsAreWrittenAndReadLikeTheRest() throws {
    var record = try sampleRecord()
    record.revision = 1
    let responses = [
      SurveyResponse(respondent: "r1", team: "sales", level: "manager", answers: ["trust-1": 4, "goals-2": 2]),
      SurveyResponse(respondent: "r2", team: "marketing", level: "individual", answers: [:]),
    ]
    record.events += [
      Event(.surveyImported(round: "baseline", responses: responses), by: "sam", at: time("2026-11-27T08:00:00Z"), note: "first round"),
      Event(.opportunitySet(OpportunityInputs(marketingStaff: 10, costPerHead: 60_000.5, contentShare: 50, salesStaff: 20, currency: "EUR")), by: "dana", at: time("2026-11-28T08:00:00Z")),
      Event(.completed(milestone: "m"), by: "sam", at: time("2026-11-29T08:00:00Z")),
    ]
    let written = record.encoded()
    #expect(written == (try record.encodedByFoundation()))
    let fast = try #require(ClientRecord.fastDecode(written))
    #expect(fast == (try FastDecodingTests.slow(written)))
    #expect(fast.events == record.events)
  }
}

extension FastEncodingTests {
  /// A write that copies the text of the events written before must be byte for byte the
  /// text written whole: random records, cut at a random point, written, then grown.
  @Test func eventsCopiedFromTheLastWriteGiveTheTextWrittenWhole() throws {
    let seed = SeededRandom.seed(for: "copied events")
    var generator = RandomRecord(random: SeededRandom(seed: seed))
    var random = SeededRandom(seed: seed &+ 11)
    var copied = 0
    for index in 0..<Soak.count(400, soak: 4_000) {
      let whole = generator.record(events: 0...12)
      var earlier = whole
      earlier.events = Array(whole.events.prefix(Int.random(in: 0...whole.events.count, using: &random)))
      let (text, events) = earlier.canonicalJSON(reusing: nil)
      #expect(text == earlier.canonicalJSON(), "seed \(seed), record \(index)")
      #expect(events.count == earlier.events.count)
      let grown = whole.canonicalJSON(reusing: (Data(text), events))
      if events.count > 0 { copied += 1 }
      #expect(grown.bytes == whole.canonicalJSON(), "seed \(seed), record \(index): \(events.count) of \(whole.events.count) copied")
      #expect(grown.events.count == whole.events.count)
      // Where the events lie is where the quick reader finds them.
      if let first = whole.events.first, let read = ClientRecord.fastDecode(Data(grown.bytes)) {
        #expect(read.events.first == first)
        let slice = Data(grown.bytes[grown.events.range])
        #expect(slice.first == UInt8(ascii: "{") && slice.last == UInt8(ascii: "}"))
      }
    }
    #expect(copied > 100)
  }
}
