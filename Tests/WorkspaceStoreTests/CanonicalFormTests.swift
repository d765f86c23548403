import Foundation
import ProgrammeEngine
import SeededRandom
import Testing

@testable import WorkspaceStore

/// The chain's quick canonical writer against JSONEncoder, the reference it is defined by:
/// random events of every kind and field (text that needs escaping, numbers at their limits,
/// every optional key present and absent), and whole chains checked both ways.
struct CanonicalFormTests {
  @Test func randomEventsHaveTheReferenceCanonicalForm() {
    let seed = SeededRandom.seed(for: "canonical form")
    var generator = RandomRecord(random: SeededRandom(seed: seed))
    let count = Soak.count(20_000, soak: 200_000)
    var failures = 0
    var kinds: Set<String> = []
    var writer = CanonicalEventWriter()
    for index in 0..<count {
      let event = generator.event()
      kinds.insert(event.change.type)
      writer.write(event)
      let reference = HistoryChain.referenceForm(of: event)
      guard writer.bytes != reference else { continue }
      failures += 1
      if failures <= 5 {
        let quick = String(decoding: writer.bytes, as: UTF8.self)
        let expected = String(decoding: reference, as: UTF8.self)
        Issue.record("seed \(seed), event \(index): quick \(quick) reference \(expected)")
      }
    }
    #expect(failures == 0, "seed \(seed): \(failures) of \(count) events")
    // Every kind was written, so that a kind added to Change.kinds is covered too.
    #expect(kinds == Set(Change.kinds.map(\.type)))
  }

  /// The chain as the definition computes it, through JSONEncoder and hex strings.
  static func referenceBreak(in events: [Event], head: String?) -> HistoryChain.Break? {
    var hasher = ProgrammeEngine.SHA256()
    var chained = false
    for (position, event) in events.enumerated() {
      if let previous = event.previous {
        if position == 0 { return .init(position: 0, kind: .linkWithoutPredecessor) }
        if previous != hasher.hexDigest() { return .init(position: position, kind: .linkMismatch) }
        chained = true
        hasher = ProgrammeEngine.SHA256()
      } else if chained {
        return .init(position: position, kind: .linkMissing)
      }
      hasher.update(HistoryChain.referenceForm(of: event))
    }
    if let head {
      if events.isEmpty || head != hasher.hexDigest() { return .init(position: max(events.count - 1, 0), kind: .headMismatch) }
    } else if chained {
      return .init(position: events.count - 1, kind: .headMissing)
    }
    return nil
  }

  @Test func randomChainsBreakWhereTheReferenceSaysTheyBreak() {
    let seed = SeededRandom.seed(for: "canonical chain")
    var generator = RandomRecord(random: SeededRandom(seed: seed))
    var random = SeededRandom(seed: seed &+ 1)
    var failures = 0
    var broken = 0
    for index in 0..<Soak.count(400, soak: 4_000) {
      var events = (0..<Int.random(in: 0...20, using: &random)).map { _ in generator.event() }
      for position in events.indices { events[position].previous = nil }
      // Some histories start unchained (as files from before the chain did), then chain.
      HistoryChain.link(&events, from: Int.random(in: 0...max(events.count, 1), using: &random))
      var head = HistoryChain.head(of: events)
      // Then, mostly, damage: an edit, a removed link, a removed or changed head.
      switch Int.random(in: 0..<6, using: &random) {
      case 0 where !events.isEmpty:
        events[Int.random(in: events.indices, using: &random)].by += "x"
      case 1 where !events.isEmpty:
        events[Int.random(in: events.indices, using: &random)].previous = nil
      case 2: head = nil
      case 3: head = head.map { String($0.reversed()) }
      case 4 where events.count > 1: events.remove(at: Int.random(in: events.indices, using: &random))
      default: break
      }
      let quick = HistoryChain.firstBreak(in: events, head: head)
      if quick != nil { broken += 1 }
      guard quick != Self.referenceBreak(in: events, head: head) else { continue }
      failures += 1
      if failures <= 5 { Issue.record("seed \(seed), history \(index): quick \(String(describing: quick))") }
    }
    #expect(failures == 0)
    #expect(broken > 0)
  }

  @Test func theNewFieldAndKindHaveTheirCanonicalForm() {
    let at = Date(timeIntervalSince1970: 1_767_225_600)
    let started = Event(.started(client: "acme", name: "Acme", playbook: "ab12"), by: "alice", at: at)
    #expect(
      String(decoding: HistoryChain.canonicalForm(of: started), as: UTF8.self)
        == #"{"at":"2026-01-01T00:00:00Z","by":"alice","client":"acme","name":"Acme","playbook":"ab12","type":"started"}"#
        + "\n")
    let old = Event(.started(client: "acme", name: "Acme"), by: "alice", at: at)
    #expect(!String(decoding: HistoryChain.canonicalForm(of: old), as: UTF8.self).contains("playbook"))
    let sealed = Event(.sealed(sha256: "cd34"), by: "bob", at: at, previous: "ef56", via: .web)
    #expect(
      String(decoding: HistoryChain.canonicalForm(of: sealed), as: UTF8.self)
        == #"{"at":"2026-01-01T00:00:00Z","by":"bob","previous":"ef56","sha256":"cd34","type":"sealed","via":"web"}"#
        + "\n")
  }
}

/// The quick reader follows the chain from the file's own text (white space outside strings
/// taken out) where it can, and must find exactly what `HistoryChain.firstBreak` finds from
/// the decoded events: random records, chained from a random point, mostly damaged after.
struct FollowedChainTests {
  @Test func theChainFollowedWhileReadingBreaksWhereTheEventsSayItBreaks() throws {
    let seed = SeededRandom.seed(for: "followed chain")
    var generator = RandomRecord(random: SeededRandom(seed: seed))
    var random = SeededRandom(seed: seed &+ 7)
    var failures = 0
    var followed = 0
    var broken = 0
    for index in 0..<Soak.count(1_500, soak: 15_000) {
      var record = generator.record(events: 0...16)
      for position in record.events.indices { record.events[position].previous = nil }
      HistoryChain.link(&record.events, from: Int.random(in: 0...max(record.events.count, 1), using: &random))
      record.head = Bool.random(using: &random) || record.events.isEmpty ? HistoryChain.head(of: record.events) : nil
      // Plain events, as Accord writes them, most of the time: text with no escapes.
      if Int.random(in: 0..<2, using: &random) == 0 {
        for position in record.events.indices where Int.random(in: 0..<3, using: &random) > 0 {
          record.events[position].by = "person\(position)"
          record.events[position].note = Bool.random(using: &random) ? nil : "a note, plain"
        }
        HistoryChain.link(&record.events, from: 1)
        record.head = HistoryChain.head(of: record.events)
      }
      var data = [UInt8](record.encoded())
      // Damage to the text now and then: a letter of a name changed where one is.
      if Int.random(in: 0..<3, using: &random) == 0, let at = data.firstRange(of: Array("person".utf8)) {
        data[at.lowerBound] = UInt8(ascii: "P")
      }
      guard let read = ClientRecord.fastDecode(Data(data)) else { continue }
      guard read.eventTexts != nil else { continue }
      followed += 1
      let quick = read.chainBreak()
      if quick != nil { broken += 1 }
      let reference = HistoryChain.firstBreak(in: read.events, head: read.head)
      guard quick != reference else { continue }
      failures += 1
      if failures <= 5 {
        Issue.record("seed \(seed), record \(index): followed \(String(describing: quick)), events \(String(describing: reference))")
      }
    }
    #expect(failures == 0, "seed \(seed)")
    #expect(followed > 500 && broken > 0, "\(followed) followed, \(broken) broken")
  }
}

/// A store that keeps events apart from the rest of a client (a database) puts the file's
/// text together again from each event's text: it must be the text the folder writes.
struct EventTextsTests {
  @Test func aRecordPutTogetherFromItsEventTextsIsTheFileByteForByte() throws {
    var generator = RandomRecord(random: SeededRandom(seed: SeededRandom.seed(for: "event texts")))
    for _ in 0..<200 {
      let record = generator.record(events: 0...12)
      let texts = record.events.map(ClientRecord.eventText)
      #expect(record.canonicalJSON(eventTexts: texts) == record.canonicalJSON())
      #expect(Data(record.canonicalJSON(eventTexts: texts)) == (try record.encodedByFoundation()))
    }
  }
}
