import SeededRandom
import Foundation
import Testing
import WorkspaceStore

/// Damaged or tampered client files are refused with the file's path and the problem (exit
/// 65) and never written to; `accord check` finds every kind of damage.
@Suite("Reliability: hostile state files")
struct HostileStateFileTests {
  /// The ways a file is damaged; the seeded run picks among them.
  enum Damage: String, CaseIterable {
    case truncation, byteFlip, missingField, reorderedEvents, unknownMilestone, foreignSigner, newerFormat
  }

  /// A client part-way through the standard programme: roles given, the benchmark done and
  /// the charter signed by the head of sales.
  static func richClient(_ accord: AccordBinary) throws {
    #expect(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    for (role, person) in [("czar", "carol"), ("head-of-sales", "sam"), ("head-of-marketing", "mia")] {
      #expect(try accord("assign", "acme", role, person, "--note", "kick-off").status == 0)
    }
    // The survey milestone needs a round of answers before it can be completed.
    let answers = AccordBinary.packageRoot.appendingPathComponent("docs/examples/acme-survey-round-1.csv")
    #expect(try accord("survey", "import", "acme", answers.path).status == 0)
    for _ in 0..<12 {
      let next = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
      let actions = try #require(next["actions"] as? [[String: Any]])
      guard let action = actions.first(where: { $0["kind"] as? String == "complete" }),
        let milestone = action["target"] as? String
      else { break }
      #expect(try accord("complete", "acme", milestone, "--note", "done", as: "carol").status == 0)
    }
    let sign = try accord("sign", "acme", "collaboration-charter", as: "sam")
    #expect(sign.status == 0, "\(sign.stderr)")
  }

  /// `good` damaged in the way `damage` says, or nil if this file offers no place for it.
  static func damaged(_ good: Data, _ damage: Damage, using random: inout SeededRandom) -> Data? {
    var bytes = [UInt8](good)
    switch damage {
    case .truncation:
      return Data(bytes.prefix(Int.random(in: 1...(bytes.count - 2), using: &random)))
    case .byteFlip:
      for _ in 0..<Int.random(in: 1...3, using: &random) {
        bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
      }
      return Data(bytes)
    case .missingField:
      var lines = String(decoding: good, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      let fields = lines.indices.filter { lines[$0].contains("\" : ") }
      lines.remove(at: fields.randomElement(using: &random)!)
      return Data(lines.joined(separator: "\n").utf8)
    default:
      return structurallyDamaged(good, damage, using: &random)
    }
  }

  /// Damage that needs the file's structure: done on the parsed JSON and written back.
  static func structurallyDamaged(_ good: Data, _ damage: Damage, using random: inout SeededRandom) -> Data? {
    guard var object = try? JSONSerialization.jsonObject(with: good) as? [String: Any],
      var events = object["events"] as? [[String: Any]]
    else { return nil }
    func positions(_ type: String) -> [Int] { events.indices.filter { events[$0]["type"] as? String == type } }
    switch damage {
    case .reorderedEvents:
      let first = Int.random(in: 1..<(events.count - 1), using: &random)
      events.swapAt(first, Int.random(in: (first + 1)..<events.count, using: &random))
    case .unknownMilestone:
      guard let position = positions("completed").randomElement(using: &random) else { return nil }
      events[position]["milestone"] = "no-such-milestone"
    case .foreignSigner:
      guard let position = positions("signed").randomElement(using: &random) else { return nil }
      events[position]["by"] = "mallory"
    case .newerFormat:
      object["format"] = ClientRecord.currentFormat + 1
    default:
      return nil
    }
    object["events"] = events
    return try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
  }

  /// Whether Accord itself (the store, in this process) takes the file as a sound client,
  /// judged against what the binary's machine has seen.
  static func isSound(_ accord: AccordBinary) -> (readable: Bool, sound: Bool) {
    var workspace = Workspace(directory: accord.workspace)
    workspace.seen = SeenRevisions(directory: accord.stateHome.appendingPathComponent("accord/seen"))
    let readable = (try? workspace.programme(try ClientID("acme"))) != nil
    let sound = (try? workspace.check(try ClientID("acme")))?.isSound ?? false
    return (readable, sound)
  }

  @Test func seededDamageIsRefusedWithThePathAndTheFileUntouched() throws {
    let seed = SeededRandom.seed(for: "hostile state files")
    var random = SeededRandom(seed: seed)
    let accord = try AccordBinary()
    try Self.richClient(accord)
    let path = accord.workspace.appendingPathComponent("acme.json")
    let good = try Data(contentsOf: path)
    let pristineState = accord.folder.appendingPathComponent("pristine-state")
    try FileManager.default.copyItem(at: accord.stateHome, to: pristineState)

    let count = Soak.count(140, soak: 1400)
    var refused: [Damage: Int] = [:]
    var harmless: [Damage: Int] = [:]
    for index in 0..<count {
      let damage = Damage.allCases[index % Damage.allCases.count]
      guard let bad = Self.damaged(good, damage, using: &random), bad != good else { continue }
      try bad.write(to: path)
      // Each case starts from this machine's memory of the good file.
      try? FileManager.default.removeItem(at: accord.stateHome)
      try FileManager.default.copyItem(at: pristineState, to: accord.stateHome)
      let context = "seed \(seed), case \(index) (\(damage))"
      let oracle = Self.isSound(accord)

      // check finds it, unless the damage left a sound client with the same history (a
      // flipped letter in the display name, say: only byte flips can do that).
      let check = try accord("check", "acme")
      if oracle.sound {
        #expect(damage == .byteFlip, "\(context): \(damage) went unnoticed")
        #expect(check.status == 0, "\(context): \(check.stdout)")
        harmless[damage, default: 0] += 1
        continue
      }
      #expect(check.status == 65, "\(context): \(check.stdout)\(check.stderr)")
      #expect(check.stdout.contains(path.path), "\(context): \(check.stdout)")
      refused[damage, default: 0] += 1

      // Commands read the file and replay it; one that cannot is refused the same way.
      // (A reordering into another valid history, or a dropped note, only check can see.)
      for arguments in [["next", "acme"], ["assign", "acme", "czar", "zoe"]] where !oracle.readable {
        let run = try accord.run(arguments)
        #expect(run.status == 65, "\(context), \(arguments[0]): \(run.stderr)")
        #expect(run.stderr.contains(path.path), "\(context), \(arguments[0]): \(run.stderr)")
      }
      if [.truncation, .unknownMilestone, .foreignSigner, .newerFormat].contains(damage) {
        #expect(!oracle.readable, "\(context): commands must refuse this")
      }
      #expect(try Data(contentsOf: path) == bad, "\(context): the file was changed")
    }
    for damage in Damage.allCases where damage != .byteFlip {
      #expect(refused[damage, default: 0] > 0, "\(damage) never tried")
    }
    let summary = Damage.allCases.map { "\($0.rawValue) \(refused[$0, default: 0])" }.joined(separator: ", ")
    print(
      "hostile state files: \(count) damaged files, refused: \(summary); "
        + "harmless byte flips: \(harmless[.byteFlip, default: 0]); seed \(seed)")
  }

  @Test func namedDamageSaysWhatIsWrong() throws {
    var random = SeededRandom(seed: 1)
    let accord = try AccordBinary()
    try Self.richClient(accord)
    let path = accord.workspace.appendingPathComponent("acme.json")
    let good = try Data(contentsOf: path)
    let expectations: [(Damage, String)] = [
      // An edited event: the whole chain is verified before the history is replayed.
      (.unknownMilestone, "the history's hash chain breaks at events["),
      (.foreignSigner, "the history's hash chain breaks at events["),
      (.newerFormat, "was written by a newer version of Accord (file format \(ClientRecord.currentFormat + 1)"),
      (.truncation, "not valid JSON"),
    ]
    for (damage, words) in expectations {
      let bad = try #require(Self.damaged(good, damage, using: &random))
      try bad.write(to: path)
      let run = try accord("assign", "acme", "czar", "zoe")
      #expect(run.status == 65, "\(damage): \(run.stderr)")
      #expect(run.stderr.contains(path.path) && run.stderr.contains(words), "\(damage): \(run.stderr)")
      #expect(try Data(contentsOf: path) == bad)
    }
  }
}
