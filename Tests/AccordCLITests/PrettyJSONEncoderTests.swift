import CollaborationBenchmark
import Foundation
import OpportunityCalculator
import ProgrammeEngine
import SeededRandom
import Testing
@testable import WorkspaceStore

@testable import AccordCLI
@testable import AccordKit

/// `PrettyJSONEncoder` against JSONEncoder, byte for byte, on every JSON shape the CLI
/// prints, built from the fixture clients at every point of their histories, and on random
/// values full of awkward text and numbers.
@Suite struct PrettyJSONEncoderTests {
  /// Encodes `value` both ways and expects the same bytes; counts what the fast encoder
  /// wrote itself (rather than left to JSONEncoder).
  @discardableResult
  static func expectSame<T: Encodable>(
    _ value: T, _ label: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
  ) -> Bool {
    let expected = try? PrettyJSONEncoder.foundationEncode(value)
    let fast: [UInt8]?
    var direct = true
    do {
      fast = try PrettyJSONEncoder.encode(value)
    } catch is PrettyJSONEncoder.Unsupported {
      direct = false
      fast = try? PrettyJSONEncoder.encodeOrFallBack(value)
    } catch {
      fast = nil
    }
    let same = fast == expected.map { Array($0) }
    if !same {
      let fastText = fast.map { String(decoding: $0, as: UTF8.self) } ?? "threw"
      let expectedText = expected.map { String(decoding: $0, as: UTF8.self) } ?? "threw"
      Issue.record("\(label()): fast \(fastText) vs JSONEncoder \(expectedText)", sourceLocation: sourceLocation)
    }
    return direct
  }

  /// The fixture clients, read through the store from a copy.
  static func fixtureProgrammes() throws -> [(ClientRecord, Programme)] {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/compat/format1")
    let copy = FileManager.default.temporaryDirectory
      .appendingPathComponent("pretty-json-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: copy) }
    for name in ["acme.json", "beta.json"] {
      try FileManager.default.copyItem(
        at: source.appendingPathComponent(name), to: copy.appendingPathComponent(name))
    }
    let workspace = Workspace(directory: copy)
    return try workspace.clientIDs().map { try workspace.programme($0) }
  }

  @Test func everyOutputOfTheFixtureClientsAtEveryPointOfTheirHistories() throws {
    var generator = SeededRandom(seed: SeededRandom.seed(for: "fixture outputs"))
    var values = 0
    var direct = 0
    var archived = 0
    func check<T: Encodable>(_ value: T, _ label: String) {
      values += 1
      if Self.expectSame(value, label) { direct += 1 }
    }
    let loaded = try Self.fixtureProgrammes()
    #expect(loaded.count == 2)
    for (record, full) in loaded {
      var before: Programme?
      for count in 1...full.history.count {
        let programme = try Programme(playbook: full.playbook, history: Array(full.history.prefix(count)))
        let label = "\(record.client) after \(count) events"
        check(StatusJSON(record: record, programme: programme), "status " + label)
        check(
          NextJSON(client: record.client, next: programme.nextActions(), archived: programme.archived != nil),
          "next " + label)
        check(programme.history, "log " + label)
        check(ChangeJSON(before: before, after: programme), "change " + label)
        var withSeparator = ChangeJSON(before: nil, after: programme)
        withSeparator.separator = Bool.random(using: &generator) ? "comma" : "semicolon"
        check(withSeparator, "change+separator " + label)
        for stage in programme.playbook.stages {
          check(ShowJSON(stage: stage, in: programme), "show stage " + label)
          for milestone in stage.milestones { check(ShowJSON(milestone: milestone, in: programme), "show " + label) }
          for agreement in stage.agreements { check(ShowJSON(agreement: agreement, in: programme), "show " + label) }
        }
        let next = programme.nextActions()
        check(
          [ClientJSON(
            client: record.client, name: record.name, stage: programme.currentStage(stages: programme.stageStates())?.id,
            progress: programme.progress, actions: next.actions.count, archived: programme.archived != nil)],
          "clients " + label)
        if let setting = programme.opportunity {
          check(OpportunityJSON(client: record.client, result: Opportunity(setting.inputs), setting: setting), "opportunity " + label)
        }
        if let survey = programme.playbook.survey, let first = programme.surveyRounds.first {
          for round in programme.surveyRounds {
            let benchmark = Benchmark(survey: survey, responses: round.responses)
            let comparison = round.name == first.name
              ? nil
              : (first, RoundComparison(
                baseline: Benchmark(survey: survey, responses: first.responses), current: benchmark))
            check(
              BenchmarkJSON(client: record.client, round: round, benchmark: benchmark, comparison: comparison),
              "benchmark " + label)
          }
        }
        // What the fixtures never do: withdraw a round, archive; by the consultant (who
        // started the client), with reasons of awkward text.
        var varied = programme
        let at = programme.history.last!.at.addingTimeInterval(60)
        let consultant = programme.history[0].by
        for round in programme.surveyRounds where Bool.random(using: &generator) {
          try? varied.apply(Event(
            .surveyWithdrawn(round: round.name), by: consultant, at: at,
            note: "x" + Self.randomString(using: &generator)))
        }
        try? varied.apply(Event(.archived, by: consultant, at: at, note: Self.randomString(using: &generator) + "x"))
        if varied.archived != nil { archived += 1 }
        check(StatusJSON(record: record, programme: varied), "status archived " + label)
        check(NextJSON(client: record.client, next: varied.nextActions(), archived: varied.archived != nil), "next archived " + label)
        check(ChangeJSON(before: programme, after: varied), "change archived " + label)
        check(varied.history, "log archived " + label)
        before = programme
      }
    }
    // Every one of these the fast encoder writes itself, none left to JSONEncoder.
    #expect(direct == values)
    #expect(values > 1_000)
    #expect(archived > 10)
    print("fixture outputs: \(values) values (\(archived) programmes archived), \(direct) written by the fast encoder")
  }

  @Test func randomOpportunitiesChecksClientsAndReports() throws {
    var generator = SeededRandom(seed: SeededRandom.seed(for: "random opportunities, checks, clients, reports"))
    var values = 0
    for _ in 0..<2_000 {
      let inputs = OpportunityInputs(
        marketingStaff: Self.randomDouble(using: &generator).magnitude,
        costPerHead: Self.randomDouble(using: &generator).magnitude,
        contentShare: Double.random(in: 0...100, using: &generator),
        unusedShare: Double.random(in: 0...100, using: &generator),
        ancillary: Self.randomDouble(using: &generator).magnitude,
        salesStaff: Bool.random(using: &generator) ? Self.randomDouble(using: &generator).magnitude : nil,
        salesCostPerHead: Bool.random(using: &generator) ? Self.randomDouble(using: &generator).magnitude : nil,
        searchShare: Double.random(in: 0...100, using: &generator),
        recoveredShare: Double.random(in: 0...100, using: &generator),
        profitMultiplier: Self.randomDouble(using: &generator).magnitude,
        currency: Bool.random(using: &generator) ? Self.randomString(using: &generator) : nil)
      let setting = OpportunitySetting(
        inputs: inputs, by: Self.randomString(using: &generator),
        at: Date(timeIntervalSince1970: Double(Int.random(in: 0...4_000_000_000, using: &generator))))
      let client = Bool.random(using: &generator) ? Self.randomString(using: &generator) : nil
      Self.expectSame(
        OpportunityJSON(client: client, result: Opportunity(inputs), setting: Bool.random(using: &generator) ? setting : nil),
        "opportunity")
      Self.expectSame(Nullable(Bool.random(using: &generator) ? OpportunitySettingJSON(setting) : nil), "setting")
      Self.expectSame(
        StampJSON(Stamp(
          by: Self.randomString(using: &generator), at: setting.at,
          reason: Bool.random(using: &generator) ? Self.randomString(using: &generator) : nil)), "stamp")
      Self.expectSame(
        ClientJSON(
          client: Self.randomString(using: &generator), name: Self.randomString(using: &generator),
          stage: Bool.random(using: &generator) ? Self.randomString(using: &generator) : nil,
          progress: Int.random(in: 0...100, using: &generator), actions: Int.random(in: 0...9, using: &generator),
          archived: Bool.random(using: &generator)), "client")
      var check = ClientCheck(client: Self.randomString(using: &generator), path: Self.randomString(using: &generator))
      check.revision = Bool.random(using: &generator) ? Int.random(in: 0...Int.max, using: &generator) : nil
      check.events = Bool.random(using: &generator) ? Int.random(in: Int.min...Int.max, using: &generator) : nil
      check.problems = (0..<Int.random(in: 0...3, using: &generator)).map { _ in Self.randomString(using: &generator) }
      check.notes = (0..<Int.random(in: 0...2, using: &generator)).map { _ in Self.randomString(using: &generator) }
      Self.expectSame(CheckJSON(check), "check")
      var details: [String: Detail] = [:]
      for _ in 0..<Int.random(in: 0...4, using: &generator) {
        let key = Self.randomString(using: &generator)
        details[key] =
          Bool.random(using: &generator)
          ? .text(Self.randomString(using: &generator))
          : .list((0..<Int.random(in: 0...3, using: &generator)).map { _ in Self.randomString(using: &generator) })
      }
      details["code"] = .text(Self.randomString(using: &generator))
      details["message"] = .text(Self.randomString(using: &generator))
      Self.expectSame(["error": details], "report")
      values += 6
    }
    #expect(values == 12_000)
  }

  /// Random trees of every kind of value, keys and strings of awkward text.
  @Test func randomValues() throws {
    var generator = SeededRandom(seed: SeededRandom.seed(for: "random values"))
    var direct = 0
    for _ in 0..<5_000 {
      let value = RandomValue.make(depth: 4, using: &generator)
      if Self.expectSame(value, "random") { direct += 1 }
    }
    // A tree with a non-finite Double is left to JSONEncoder, which refuses it; the rest
    // the fast encoder writes.
    #expect(direct > 4_000)
  }

  @Test func doubles() throws {
    var generator = SeededRandom(seed: SeededRandom.seed(for: "random doubles"))
    let chosen: [Double] = [
      0, -0.0, 0.1, 0.2, 0.3, 1, -1, 100, 100.5, 1e15, 1e16, 1e17, 1e20, 1e21, 1e22, 1e-4, 1e-5, 1e-7,
      123_456_789_012_345_678, 5e-324, .leastNormalMagnitude, .greatestFiniteMagnitude,
      -.greatestFiniteMagnitude, 2.5e-8, 9_007_199_254_740_993, 0.1 + 0.2, 1 / 3, 2 / 3,
      Double(Int.max), Double(Int.min), .pi, -.pi, .ulpOfOne,
    ]
    for value in chosen {
      #expect(Self.expectSame(value, "\(value)"))
      #expect(Self.expectSame([value], "\(value)"))
      #expect(Self.expectSame(["n": value], "\(value)"))
    }
    for _ in 0..<20_000 {
      let value = Self.randomDouble(using: &generator)
      #expect(Self.expectSame(["n": value], "\(value)"))
    }
    for value in [Double.nan, .infinity, -.infinity] {
      #expect(!Self.expectSame(value, "\(value)"))
    }
  }

  @Test func oddShapes() throws {
    Self.expectSame([String](), "empty array")
    Self.expectSame([String: Int](), "empty object")
    Self.expectSame([[String]](arrayLiteral: [], ["a"], []), "nested empties")
    Self.expectSame([Int: String](uniqueKeysWithValues: [(10, "a"), (9, "b"), (-1, "c")]), "int keys")
    Self.expectSame(Optional<String>.none, "top-level null")
    Self.expectSame("a/b\u{7F}\u{2028}", "top-level string")
    Self.expectSame([Int8.min, 0, Int8.max], "Int8")
    Self.expectSame([UInt64.max], "UInt64")
    Self.expectSame([Int64.min], "Int64")
    Self.expectSame(Nested(), "nested containers")
    // Left to JSONEncoder: the same bytes all the same.
    #expect(!Self.expectSame([Float(0.1)], "Float"))
    #expect(!Self.expectSame(["d": Date(timeIntervalSince1970: 12.5)], "Date"))
    #expect(!Self.expectSame(Data([1, 2, 3]), "Data"))
    #expect(!Self.expectSame(Twice(), "key twice"))
    #expect(!Self.expectSame(Super(), "superEncoder"))
  }

  struct Nested: Encodable {
    enum Key: String, CodingKey { case b, a, c, zz = "Z", é = "é", e = "e" }
    func encode(to encoder: any Encoder) throws {
      var top = encoder.container(keyedBy: Key.self)
      var inner = top.nestedContainer(keyedBy: Key.self, forKey: .b)
      try inner.encode(1.5, forKey: .c)
      try inner.encodeNil(forKey: .a)
      try inner.encodeIfPresent(String?.none, forKey: .e)
      var list = top.nestedUnkeyedContainer(forKey: .a)
      try list.encode(true)
      try list.encodeNil()
      var deeper = list.nestedContainer(keyedBy: Key.self)
      try deeper.encode("x", forKey: .é)
      _ = list.nestedUnkeyedContainer()
      _ = top.nestedContainer(keyedBy: Key.self, forKey: .zz)
      try top.encode(Int?.some(3), forKey: .e)
      try top.encode(Int?.none, forKey: .c)
      // Asked twice, as a superclass and a subclass would: one object.
      var again = encoder.container(keyedBy: Key.self)
      try again.encode("é", forKey: .é)
    }
  }

  struct Twice: Encodable {
    enum Key: String, CodingKey { case a }
    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(1, forKey: .a)
      try container.encode(2, forKey: .a)
    }
  }

  struct Super: Encodable {
    enum Key: String, CodingKey { case a }
    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(1, forKey: .a)
      try "s".encode(to: container.superEncoder())
    }
  }

  /// Awkward text: control characters, quotes, backslashes, slashes, non-ASCII of every
  /// width, combining marks, and text that sorts differently by bytes and by characters.
  static func randomString(using generator: inout SeededRandom) -> String {
    let pieces: [String] = [
      "a", "b", "Z", "z", "0", "9", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}",
      "\u{01}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "\u{2028}", "\u{2029}", "\u{FEFF}", "日本", "🦊",
      "👩‍👩‍👧", "\u{10FFFF}", "\u{FFFD}", "ß", "İ", "Å", "A\u{30A}", "-", "_", ".", "10", "2", "key", "Key",
    ]
    return (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
      .joined()
  }

  /// Doubles of every size: whole numbers, decimals, powers of ten and random bit patterns.
  static func randomDouble(using generator: inout SeededRandom) -> Double {
    switch Int.random(in: 0..<6, using: &generator) {
    case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &generator))
    case 1: return Double(Int.random(in: -100_000...100_000, using: &generator)) / 10
    case 2: return Double.random(in: -1...1, using: &generator)
    case 3:
      return Double(sign: Bool.random(using: &generator) ? .minus : .plus, exponent: 0, significand: 1)
        * pow(10, Double(Int.random(in: -30...30, using: &generator)))
    case 4:
      let value = Double(bitPattern: generator.next())
      return value.isFinite ? value : 1
    default: return Double.random(in: -1e25...1e25, using: &generator)
    }
  }
}

/// Any JSON-shaped value, to encode through a synthesized and a custom `encode(to:)`.
indirect enum RandomValue: Encodable {
  case string(String)
  case int(Int)
  case double(Double)
  case bool(Bool)
  case null
  case array([RandomValue])
  case object([String: RandomValue])
  case record(Record)

  struct Record: Encodable {
    var name: String
    var count: Int?
    var ratio: Double?
    var items: [RandomValue]
    var flag: Bool
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case let .string(text): try container.encode(text)
    case let .int(number): try container.encode(number)
    case let .double(number): try container.encode(number)
    case let .bool(flag): try container.encode(flag)
    case .null: try container.encodeNil()
    case let .array(items): try container.encode(items)
    case let .object(members): try container.encode(members)
    case let .record(record): try container.encode(record)
    }
  }

  static func make(depth: Int, using generator: inout SeededRandom) -> RandomValue {
    let kinds = depth > 0 ? 8 : 5
    switch Int.random(in: 0..<kinds, using: &generator) {
    case 0: return .string(PrettyJSONEncoderTests.randomString(using: &generator))
    case 1: return .int(Int.random(in: Int.min...Int.max, using: &generator))
    case 2:
      // Now and then a non-finite number, which JSONEncoder refuses.
      if Int.random(in: 0..<200, using: &generator) == 0 { return .double(.nan) }
      return .double(PrettyJSONEncoderTests.randomDouble(using: &generator))
    case 3: return .bool(Bool.random(using: &generator))
    case 4: return .null
    case 5:
      return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in make(depth: depth - 1, using: &generator) })
    case 6:
      var members: [String: RandomValue] = [:]
      for _ in 0..<Int.random(in: 0...5, using: &generator) {
        members[PrettyJSONEncoderTests.randomString(using: &generator)] = make(depth: depth - 1, using: &generator)
      }
      return .object(members)
    default:
      return .record(Record(
        name: PrettyJSONEncoderTests.randomString(using: &generator),
        count: Bool.random(using: &generator) ? Int.random(in: -5...5, using: &generator) : nil,
        ratio: Bool.random(using: &generator) ? PrettyJSONEncoderTests.randomDouble(using: &generator) : nil,
        items: (0..<Int.random(in: 0...3, using: &generator)).map { _ in make(depth: depth - 1, using: &generator) },
        flag: Bool.random(using: &generator)))
    }
  }
}
