import Foundation
import PlaybookSpec
import ProgrammeEngine
import SeededRandom
import Testing

@testable import WorkspaceStore

/// The quick reader and writer held to JSONDecoder and JSONEncoder on seeded random input,
/// not only on examples. The reader may step aside (nil) whenever it likes; when it does
/// not, it must read exactly what JSONDecoder reads, and nothing JSONDecoder refuses. The
/// writer must write JSONEncoder's bytes.
///
/// Only these entry points are used, so the test outlives a rewrite of the fast paths:
/// `ClientRecord.fastDecode(_:)`, `JSONDecoder().decode(ClientRecord.self, from:)`,
/// `encoded()` and `encodedByFoundation()`.
@Suite struct DifferentialDecodingTests {
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/compat/format1")

  /// What the two readers made of one input.
  enum Outcome {
    case agreed, steppedAside, bothRefused
    case disagreed(String)
  }

  static func judge(_ data: Data) -> Outcome {
    let fast = ClientRecord.fastDecode(data)
    let slow: Result<ClientRecord, any Error> = Result { try JSONDecoder().decode(ClientRecord.self, from: data) }
    switch (fast, slow) {
    case (nil, .success): return .steppedAside
    case (nil, .failure): return .bothRefused
    case let (fast?, .success(slow)):
      return fast == slow ? .agreed : .disagreed("the readers differ: \(difference(fast, slow))")
    case let (fast?, .failure(error)):
      return .disagreed("the quick reader read revision \(fast.revision) with \(fast.events.count) events; JSONDecoder threw \(error)")
    }
  }

  /// The first field in which two records differ, for a failure's message.
  static func difference(_ a: ClientRecord, _ b: ClientRecord) -> String {
    if a.format != b.format { return "format \(a.format) vs \(b.format)" }
    if a.client != b.client || a.name != b.name || a.uid != b.uid { return "client, name or uid" }
    if a.revision != b.revision { return "revision \(a.revision) vs \(b.revision)" }
    if a.playbook != b.playbook { return "playbook \(a.playbook) vs \(b.playbook)" }
    if a.assignments != b.assignments { return "assignments \(a.assignments) vs \(b.assignments)" }
    if a.events.count != b.events.count { return "\(a.events.count) events vs \(b.events.count)" }
    for (index, (x, y)) in zip(a.events, b.events).enumerated() where x != y {
      return "events[\(index)]: \(x) vs \(y)"
    }
    return "nothing visible"
  }

  /// The files mutations start from: the format-1 fixtures whole, then shorter cuts of
  /// acme (a few of its events, its playbook cut down) that keep each case quick.
  static func fixtureBases() throws -> (whole: [ClientRecord], cuts: [ClientRecord]) {
    let whole = try ["acme", "beta"].map {
      try JSONDecoder().decode(ClientRecord.self, from: Data(contentsOf: fixtures.appendingPathComponent("\($0).json")))
    }
    var random = SeededRandom(seed: 1)
    let acme = whole[0]
    let cuts = (0..<12).map { _ in
      var cut = acme
      cut.playbook.source = String(acme.playbook.source.prefix(Int.random(in: 0...120, using: &random)))
      cut.events = acme.events.filter { _ in Int.random(in: 0..<6, using: &random) == 0 }.map { event in
        guard case let .surveyImported(round, responses) = event.change else { return event }
        var short = event
        short.change = .surveyImported(round: round, responses: Array(responses.prefix(1)))
        return short
      }
      return cut
    }
    return (whole, cuts)
  }

  /// Records with real histories: random valid playbooks driven by random commands by
  /// random people, as `GateInvariantPropertyTests` drives them, keeping what the engine
  /// accepted.
  static func historyBases(_ count: Int, using random: inout SeededRandom) throws -> [ClientRecord] {
    try (0..<count).map { index in
      let generated = GeneratedPlaybook(using: &random)
      let playbook = try Playbook.parse(generated.yaml, file: "generated.yaml")
      var clock = Date(timeIntervalSince1970: 1_790_000_000 + Double(index) * 1_000_000)
      var programme = try Programme(
        playbook: playbook, start: Event(.started(client: "c\(index)", name: "Client \(index)"), by: "alice", at: clock))
      var model = ReferenceModel(playbook: generated, consultant: "alice")
      for _ in 0..<Int.random(in: 5...40, using: &random) {
        clock += Double.random(in: 1...3_600, using: &random)
        let command = GateInvariantPropertyTests.command(generated, playbook, model, at: clock, using: &random)
        // Now and then made through the server, as `accord serve` will make them.
        let via = [nil, nil, nil, Via.web, .api].randomElement(using: &random)!
        // Who printed the session's link, only ever with a door: a session is the server's.
        let printedBy = via == nil ? nil : [nil, nil, "carol", "a \"quoted\" printer"].randomElement(using: &random)!
        // An id from some point on, as a client written before ids and changed since has.
        let id = index % 3 == 0 || Bool.random(using: &random) ? nil : Self.eventID(using: &random)
        let event = Event(
          command.change, by: command.person, at: clock, note: command.note, via: via, printedBy: printedBy,
          id: id)
        if (try? programme.apply(event)) != nil {
          model.record(command.model, by: command.person)
        }
      }
      var record = try ClientRecord(starting: programme, source: generated.yaml, origin: "generated.yaml")
      record.revision = Int.random(in: 1...100, using: &random)
      // Linked as the store writes them, with real hashes.
      record.chain(from: 0)
      return record
    }
  }

  /// A UUID in its lowercase canonical form, from the seeded generator.
  static func eventID(using random: inout SeededRandom) -> String {
    let hex = [random.next(), random.next()].map { (word: UInt64) in
      let digits = String(word, radix: 16)
      return String(repeating: "0", count: 16 - digits.count) + digits
    }.joined()
    let characters = Array(hex)
    return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
  }

  @Test func mutatedFilesAreReadAsJSONDecoderReadsThemOrLeftToIt() throws {
    let seed = SeededRandom.seed(for: "differential decoding")
    var random = SeededRandom(seed: seed)
    var generator = RandomRecord(random: SeededRandom(seed: seed ^ 0x5EED_0001))
    var mutator = ClientFileMutator(random: SeededRandom(seed: seed ^ 0x5EED_0002))
    let (whole, cuts) = try Self.fixtureBases()
    let wholeTrees = try whole.map { JSONTree(parsing: [UInt8](try $0.encodedByFoundation())) }
    let cutTrees = try cuts.map { JSONTree(parsing: [UInt8](try $0.encodedByFoundation())) }
    // Random records made once and mutated many times: making one costs more than a case.
    let randomTrees = try (0..<Soak.count(500, soak: 5_000)).map { _ in
      JSONTree(parsing: [UInt8](try generator.record().encodedByFoundation()))
    }
    let historyTrees = try Self.historyBases(Soak.count(40, soak: 400), using: &random).map {
      JSONTree(parsing: [UInt8](try $0.encodedByFoundation()))
    }
    // The harness itself: a tree written in JSONEncoder's layout is the file it was read from.
    for record in whole {
      let bytes = [UInt8](try record.encodedByFoundation())
      #expect(JSONTree(parsing: bytes).rendered(.encoder, using: &random) == bytes)
    }
    let count = Soak.count(10_000, soak: 100_000)
    var agreed = 0, steppedAside = 0, bothRefused = 0, failures = 0
    let started = ContinuousClock.now
    for index in 0..<count {
      // Mostly small files, so that each case is quick and a byte edit lands somewhere
      // that matters; the whole fixtures now and then.
      var tree: JSONTree
      var steps: [String]
      switch Int.random(in: 0..<200, using: &random) {
      case 0:
        let pick = Int.random(in: 0..<wholeTrees.count, using: &random)
        (tree, steps) = (wholeTrees[pick], ["fixture \(["acme", "beta"][pick])"])
      case 1..<60:
        let pick = Int.random(in: 0..<cutTrees.count, using: &random)
        (tree, steps) = (cutTrees[pick], ["cut \(pick) of acme"])
      case 60..<100:
        let pick = Int.random(in: 0..<historyTrees.count, using: &random)
        (tree, steps) = (historyTrees[pick], ["history \(pick)"])
      default:
        let pick = Int.random(in: 0..<randomTrees.count, using: &random)
        (tree, steps) = (randomTrees[pick], ["random record \(pick)"])
      }
      for _ in 0..<[0, 1, 1, 1, 2, 3].randomElement(using: &random)! {
        steps.append(mutator.mutate(&tree))
      }
      let style = JSONStyle.random(using: &random)
      steps.append("\(style.name) layout")
      var bytes = tree.rendered(style, using: &random)
      if Int.random(in: 0..<10, using: &random) < 4 {
        for _ in 0..<Int.random(in: 1...3, using: &random) { steps.append(mutator.mutate(&bytes)) }
      }

      switch Self.judge(Data(bytes)) {
      case .agreed: agreed += 1
      case .steppedAside: steppedAside += 1
      case .bothRefused: bothRefused += 1
      case let .disagreed(problem):
        failures += 1
        guard failures <= 10 else { continue }
        let saved = FileManager.default.temporaryDirectory
          .appendingPathComponent("accord-differential-\(seed)-\(index).json")
        try? Data(bytes).write(to: saved)
        Issue.record("seed \(seed), case \(index) (\(steps.joined(separator: ", "))): \(problem); the input is in \(saved.path)")
      }
    }
    let elapsed = ContinuousClock.now - started
    #expect(failures == 0, "seed \(seed): \(failures) of \(count) cases read differently")
    // The test is only as good as its mix: every outcome must come up often.
    #expect(agreed > count / 10 && steppedAside > count / 20 && bothRefused > count / 10, "seed \(seed)")
    print(
      "differential decoding: \(count) cases in \(elapsed): \(agreed) read quickly, the same as JSONDecoder; "
        + "\(steppedAside) left to JSONDecoder, which read them; \(bothRefused) refused by both; "
        + "\(failures) disagreements; seed \(seed)")
  }

  @Test func randomRecordsAreWrittenAsJSONEncoderWritesThemAndReadBack() throws {
    let seed = SeededRandom.seed(for: "differential encoding")
    var generator = RandomRecord(random: SeededRandom(seed: seed))
    let count = Soak.count(3_000, soak: 30_000)
    var failures = 0
    var events = 0
    var steppedAside = 0
    let started = ContinuousClock.now
    // The quick reader reads a whole number's digits as a positive Int before its sign, so
    // it cannot hold -2^63 and leaves such a file to JSONDecoder. Accord never writes one
    // (versions and scores are small); the writer must still get it right.
    let intMin = Data(String(Int.min).utf8)
    for index in 0..<count {
      let record = generator.record(events: 0...12)
      events += record.events.count
      let quick = record.encoded()
      let reference = try record.encodedByFoundation()
      var read = ClientRecord.fastDecode(quick)
      if read == nil, quick.range(of: intMin) != nil {
        steppedAside += 1
        read = try? JSONDecoder().decode(ClientRecord.self, from: quick)
      }
      guard quick != reference || read != record else { continue }
      failures += 1
      guard failures <= 10 else { continue }
      let saved = FileManager.default.temporaryDirectory.appendingPathComponent("accord-encoding-\(seed)-\(index)")
      try? quick.write(to: saved.appendingPathExtension("quick.json"))
      try? reference.write(to: saved.appendingPathExtension("reference.json"))
      var problems: [String] = []
      if quick != reference { problems.append("the quick writer's bytes differ from JSONEncoder's") }
      if let read, read != record { problems.append("read back: \(Self.difference(read, record))") }
      if read == nil { problems.append("the quick reader stepped aside") }
      Issue.record(
        "seed \(seed), record \(index): \(problems.joined(separator: "; ")); both texts are beside \(saved.path)")
    }
    let elapsed = ContinuousClock.now - started
    #expect(failures == 0, "seed \(seed): \(failures) of \(count) records")
    print(
      "differential encoding: \(count) records with \(events) events in \(elapsed), \(failures) differing "
        + "(\(steppedAside) holding -2^63 read by JSONDecoder); seed \(seed)")
  }
}
