import Foundation
import PlaybookSpec
import ProgrammeEngine
import SeededRandom

@testable import WorkspaceStore

/// Random client records that any JSON writer must handle: every event type, text with
/// quotes, slashes, control characters and awkward Unicode, numbers at their limits. The
/// histories need not make sense to the programme's rules: only reading and writing the
/// file is tested with them.
struct RandomRecord {
  var random: SeededRandom

  /// Pieces free text is made of; each is something a writer or reader could get wrong.
  static let pieces: [String] = [
    "a", "Z", "0", " ", "-", "_", "Acme", "Ltd", "\"", "\\", "/", "//", "\\/", "\\u0041", "'", "\n", "\r\n",
    "\t", "\u{0}", "\u{1}", "\u{8}", "\u{c}", "\u{1b}", "\u{1f}", "\u{7f}", "\u{80}", "\u{a0}", "é", "e\u{301}",
    "Zoë", "ß", "Ω", "\u{212A}", "→", "—", "✓", "€", "£", "\u{2028}", "\u{2029}", "\u{200B}", "\u{200F}", "\u{FEFF}",
    "\u{FFFD}", "\u{FFFF}", "日本", "한", "🤝", "👩🏽‍💻", "🇬🇧", "\u{10FFFF}", "{", "}", "[", "]", ":", ",", "null",
    "true", "1e9", "-0",
  ]

  mutating func text(upTo count: Int = 6) -> String {
    (0..<Int.random(in: 0...count, using: &random)).map { _ in Self.pieces.randomElement(using: &random)! }.joined()
  }

  /// An id as a playbook would spell it, now and then with letters beyond ASCII (which
  /// need no escaping, so the quick reader's raw keys still apply).
  mutating func id() -> String {
    let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789-_")
    var id = String((0..<Int.random(in: 1...12, using: &random)).map { _ in letters.randomElement(using: &random)! })
    if Int.random(in: 0..<8, using: &random) == 0 { id += ["é", "e\u{301}", "ß", "🤝", "日本"].randomElement(using: &random)! }
    return id
  }

  mutating func clientID() -> ClientID {
    let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    var raw = String((0..<Int.random(in: 1...64, using: &random)).map { _ in letters.randomElement(using: &random)! })
    // A client id never starts with '-' (it would be read as an option).
    if raw.hasPrefix("-") { raw = "x" + raw.dropFirst() }
    return try! ClientID(raw)
  }

  mutating func integer() -> Int {
    switch Int.random(in: 0..<6, using: &random) {
    case 0: [0, 1, -1, Int.max, Int.min, Int.max - 1, Int.min + 1].randomElement(using: &random)!
    case 1: Int.random(in: Int.min...Int.max, using: &random)
    default: Int.random(in: -5...1000, using: &random)
    }
  }

  /// Whole seconds, from long before 1970 to the last second a four-digit year can hold.
  mutating func date() -> Date {
    let first = -62_135_596_800.0  // 0001-01-01T00:00:00Z
    let last = 253_402_300_799.0  // 9999-12-31T23:59:59Z
    switch Int.random(in: 0..<4, using: &random) {
    case 0: return Date(timeIntervalSince1970: [first, last, 0, -1, 951_782_400].randomElement(using: &random)!)
    case 1: return Date(timeIntervalSince1970: Double(Int.random(in: Int(first)...Int(last), using: &random)))
    default: return Date(timeIntervalSince1970: Double(Int.random(in: 1_700_000_000...1_900_000_000, using: &random)))
    }
  }

  mutating func double() -> Double {
    switch Int.random(in: 0..<4, using: &random) {
    case 0:
      return [0, -0.0, 1, 0.1, 0.5, 60_000, 60_000.5, 1e20, 1e-7, 123_456_789.123, 1e300, 5e-324, 9_007_199_254_740_993]
        .randomElement(using: &random)!
    case 1:
      let value = Double(bitPattern: random.next())
      return value.isFinite ? value : 1
    default: return Double(Int.random(in: 0...100_000, using: &random)) / [1, 10, 100, 3].randomElement(using: &random)!
    }
  }

  /// A UUID's bytes from the seed, so that a replay makes the same one.
  mutating func uuidBytes() -> uuid_t {
    let (a, b) = (random.next(), random.next())
    func byte(_ word: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: word >> (8 * index)) }
    return (
      byte(a, 0), byte(a, 1), byte(a, 2), byte(a, 3), byte(a, 4), byte(a, 5), byte(a, 6), byte(a, 7),
      byte(b, 0), byte(b, 1), byte(b, 2), byte(b, 3), byte(b, 4), byte(b, 5), byte(b, 6), byte(b, 7))
  }

  mutating func maybe<T>(_ make: (inout Self) -> T) -> T? {
    Bool.random(using: &random) ? make(&self) : nil
  }

  mutating func responses() -> [SurveyResponse] {
    (0..<Int.random(in: 0...4, using: &random)).map { _ in
      SurveyResponse(
        respondent: text(upTo: 2), team: text(upTo: 2), level: text(upTo: 2),
        answers: Dictionary(
          (0..<Int.random(in: 0...5, using: &random)).map { _ in (id(), integer()) }, uniquingKeysWith: { $1 }))
    }
  }

  mutating func change() -> Change {
    switch Int.random(in: 0..<24, using: &random) {
    case 20: return .joined(person: text(), email: text(upTo: 2), team: text(upTo: 2), level: text(upTo: 2))
    case 21: return .left(person: text())
    case 22: return .acknowledged(agreement: text(upTo: 2), terms: maybe { $0.text(upTo: 4) })
    case 23: return .affirmed(agreement: text(upTo: 2), role: text(upTo: 2), terms: maybe { $0.text(upTo: 4) })
    case 17:
      return .metricRecorded(
        metric: text(upTo: 3), value: text(upTo: 2), date: text(upTo: 2), reading: maybe { $0.text(upTo: 2) })
    case 18:
      return .surveyOpened(round: text(upTo: 2), codes: maybe { $0.text(upTo: 2) }, closes: maybe { $0.text(upTo: 2) })
    case 19: return .surveyClosed(round: text(upTo: 2), responses: responses())
    case 13: return .sealed(sha256: text(upTo: 4))
    case 14: return .archived
    case 15: return .restored
    case 16: return .surveyWithdrawn(round: text(upTo: 2))
    case 11: return .scheduled(item: text(upTo: 3), date: text(upTo: 2))
    case 12: return .skipped(milestone: text(upTo: 3))
    case 8: return .delegated(role: text(upTo: 2), person: text(), until: text(upTo: 2))
    case 9: return .delegationEnded(role: text(upTo: 2))
    case 0: return .started(client: text(), name: text(), playbook: maybe { $0.text(upTo: 4) })
    case 1: return .assigned(role: text(upTo: 2), person: text())
    case 2: return .completed(milestone: text(upTo: 3))
    case 3: return .signed(agreement: text(upTo: 3), role: text(upTo: 2), terms: maybe { $0.text(upTo: 4) })
    case 4: return .revoked(agreement: text(upTo: 3), role: text(upTo: 2))
    case 5: return .reopened(milestone: text(upTo: 3))
    case 6:
      return .surveyImported(round: text(upTo: 2), responses: responses())
    case 7:
      return .upgraded(from: playbookVersion(), to: playbookVersion())
    default:
      let salesStaff = maybe { $0.double() }
      return .opportunitySet(
        OpportunityInputs(
          marketingStaff: double(), costPerHead: double(), contentShare: double(), unusedShare: double(),
          ancillary: double(), salesStaff: salesStaff, salesCostPerHead: salesStaff == nil ? nil : double(),
          searchShare: double(), recoveredShare: double(), profitMultiplier: double(),
          currency: maybe { $0.text(upTo: 2) }))
    }
  }

  mutating func playbookVersion() -> PlaybookVersion {
    PlaybookVersion(id: text(upTo: 3), version: integer(), sha256: text(upTo: 4))
  }

  mutating func storedPlaybook() -> StoredPlaybook {
    StoredPlaybook(id: text(upTo: 3), version: integer(), title: text(), origin: text(upTo: 3), source: text(upTo: 20))
  }

  mutating func event() -> Event {
    var event = Event(
      change(), by: text(upTo: 3), at: date(), note: maybe { $0.text(upTo: 10) },
      previous: maybe { $0.text(upTo: 4) })
    // An act for someone else now and then: a delegate's holder, and a person recorded for
    // with the evidence (the reader takes any text in them; the engine judges them).
    if Int.random(in: 0..<3, using: &random) == 0 {
      event.holder = maybe { $0.text(upTo: 3) }
      event.onBehalfOf = maybe { $0.text(upTo: 3) }
      event.evidence = maybe { EvidenceFile(name: $0.text(upTo: 3), sha256: $0.text(upTo: 4)) }
    }
    // Now and then a change made through the server, from either door.
    if Int.random(in: 0..<4, using: &random) == 0 {
      event.via = Bool.random(using: &random) ? .web : .api
      // And from a session whose link someone else printed.
      event.printedBy = maybe { $0.text(upTo: 3) }
    }
    // An id in half the events: a UUID as Accord writes them, or any text (the reader takes
    // any; the engine judges only whether it repeats).
    if Bool.random(using: &random) {
      event.id = Bool.random(using: &random) ? UUID(uuid: uuidBytes()).uuidString.lowercased() : text(upTo: 3)
    }
    return event
  }

  mutating func record(events: ClosedRange<Int> = 0...8) -> ClientRecord {
    let playbook = storedPlaybook()
    var record = ClientRecord(
      client: clientID(), name: text(), uid: Bool.random(using: &random) ? UUID(uuid: uuidBytes()).uuidString.lowercased() : text(),
      playbook: playbook,
      assignments: Dictionary(
        (0..<Int.random(in: 0...5, using: &random)).map { _ in (id(), text(upTo: 3)) }, uniquingKeysWith: { $1 }),
      events: (0..<Int.random(in: events, using: &random)).map { _ in event() })
    record.revision = Int.random(in: 0..<6, using: &random) == 0 ? Int.max - 1 : Int.random(in: 1...500, using: &random)
    record.head = maybe { $0.text(upTo: 4) }
    if Int.random(in: 0..<4, using: &random) == 0 {
      record.earlierPlaybooks = (0..<Int.random(in: 1...2, using: &random)).map { _ in storedPlaybook() }
    }
    return record
  }
}
