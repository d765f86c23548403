import Foundation
import SeededRandom

/// Seeded damage to a client file: structural edits of its JSON (keys deleted, doubled,
/// added or reordered, values of another type, numbers and strings spelled every way JSON
/// allows and some ways it does not, events of unknown types) and edits of its bytes.
struct ClientFileMutator {
  var random: SeededRandom

  enum Kind: String, CaseIterable {
    case deleteKey, duplicateKey, unknownKey, changeType, numberForm, stringEscape, escapeAll
    case reorderKeys, nullForString, unknownEvent, emptyContainer, moveField, changeEventType
    case timeForm, deepNesting, storeFields, renormalize
  }

  /// Applies one structural mutation; returns what it did, for a failure's message.
  mutating func mutate(_ tree: inout JSONTree) -> String {
    let kind = Kind.allCases.randomElement(using: &random)!
    func pick(_ wanted: (JSONTree, [Int]) -> Bool) -> [Int]? {
      tree.paths(where: wanted).randomElement(using: &random)
    }
    func objects(_ node: JSONTree, _: [Int]) -> Bool {
      if case let .object(members) = node { return !members.isEmpty }
      return false
    }
    func strings(_ node: JSONTree, _: [Int]) -> Bool {
      if case .string = node { return true }
      return false
    }
    func events(_ node: JSONTree, _ path: [Int]) -> Bool {
      path.count == 2 && tree.key(at: [path[0]]) == "events"
    }
    func members(at path: [Int]) -> [(key: String, value: JSONTree)] {
      if case let .object(members) = tree[path[...]] { return members }
      return []
    }
    let nonRoot: (JSONTree, [Int]) -> Bool = { !$1.isEmpty }

    switch kind {
    case .deleteKey, .duplicateKey, .unknownKey, .reorderKeys:
      guard let path = pick(objects) else { return "nothing to \(kind)" }
      var list = members(at: path)
      let index = Int.random(in: 0..<list.count, using: &random)
      switch kind {
      case .deleteKey: list.remove(at: index)
      case .duplicateKey:
        let copy = (list[index].key, Bool.random(using: &random) ? list[index].value : value(depth: 2))
        list.insert(copy, at: Int.random(in: 0...list.count, using: &random))
      case .unknownKey:
        let key = [
          "future", "x-later", "inputs", "round", "responses", "milestone", "note", "via", "", "é", "a b", "Type", "type ",
        ]
          .randomElement(using: &random)!
        let extra = Bool.random(using: &random) ? value(depth: 3) : .token(numberForm(of: "1"))
        list.insert((key, extra), at: Int.random(in: 0...list.count, using: &random))
      default: list.shuffle(using: &random)
      }
      tree[path[...]] = .object(list)
      return "\(kind) at \(describe(path, in: tree))"
    case .changeType, .emptyContainer, .deepNesting:
      guard let path = pick(nonRoot) else { return "nothing to \(kind)" }
      let replacement: JSONTree
      switch kind {
      case .changeType: replacement = value(depth: 1)
      case .emptyContainer: replacement = Bool.random(using: &random) ? .array([]) : .object([])
      default:
        let depth = Int.random(in: 60...70, using: &random)
        replacement = (0..<depth).reduce(JSONTree.token("1")) { inner, _ in
          Bool.random(using: &random) ? .array([inner]) : .object([("a", inner)])
        }
      }
      tree[path[...]] = replacement
      return "\(kind) at \(describe(path, in: tree))"
    case .numberForm:
      guard let path = pick({ node, path in
        if case .token = node { return true }
        return !path.isEmpty && Int.random(in: 0..<20, using: &random) == 0
      }) else { return "no number" }
      var spelling = "1"
      if case let .token(text) = tree[path[...]] { spelling = text }
      tree[path[...]] = .token(numberForm(of: spelling))
      return "\(kind) at \(describe(path, in: tree))"
    case .stringEscape, .escapeAll, .nullForString:
      guard let path = pick(strings), case let .string(text) = tree[path[...]] else { return "no string" }
      switch kind {
      case .nullForString: tree[path[...]] = .token("null")
      case .escapeAll:
        let style = JSONStyle(name: "all", escapeRate: 1, uppercaseHex: Bool.random(using: &random))
        tree[path[...]] = .rawString(JSONTree.escaped(text, style, &random))
      default:
        var escaped = Array(JSONTree.escaped(text, .encoder, &random).unicodeScalars)
        let snippet = Self.snippets.randomElement(using: &random)!
        let at = Int.random(in: 0...escaped.count, using: &random)
        escaped.insert(contentsOf: snippet.unicodeScalars, at: at)
        var result = ""
        result.unicodeScalars.append(contentsOf: escaped)
        tree[path[...]] = .rawString(result)
      }
      return "\(kind) at \(describe(path, in: tree))"
    case .unknownEvent, .moveField, .changeEventType, .timeForm:
      guard let path = pick(events) else { return "no events" }
      var list = members(at: path)
      switch kind {
      case .unknownEvent:
        let type = ["future", "deleted", "completed", "surveyImported", "opportunitySet", "Completed", ""]
          .randomElement(using: &random)!
        var event: [(key: String, value: JSONTree)] = [
          ("type", .string(type)), ("by", .string("x")), ("at", .string("2026-01-01T00:00:00Z")),
          ("payload", value(depth: 3)),
        ]
        if type == "opportunitySet" { event.append(("inputs", inputs())) }
        event.shuffle(using: &random)
        guard case var .array(all) = tree[path.dropLast()[...]] else { return "no events" }
        all.insert(.object(event), at: Int.random(in: 0...all.count, using: &random))
        tree[path.dropLast()[...]] = .array(all)
        return "\(kind) '\(type)' near \(describe(path, in: tree))"
      case .moveField:
        guard let other = pick(events), let field = members(at: other).randomElement(using: &random) else { break }
        list.insert(field, at: Int.random(in: 0...list.count, using: &random))
      case .changeEventType:
        let types = ["started", "assigned", "completed", "signed", "revoked", "reopened", "surveyImported", "opportunitySet"]
        list = list.map { $0.key == "type" ? ($0.key, .string(types.randomElement(using: &random)!)) : $0 }
      default:
        list = list.map { $0.key == "at" ? ($0.key, Self.times.randomElement(using: &random)!) : $0 }
      }
      tree[path[...]] = .object(list)
      return "\(kind) at \(describe(path, in: tree))"
    case .renormalize:
      // The same text to Swift's ==, other bytes: é as one scalar or as e and an accent.
      guard let path = pick({ node, _ in
        if case let .string(text) = node { return Self.renormalized(text) != nil }
        return false
      }), case let .string(text) = tree[path[...]] else { return "nothing to renormalize" }
      tree[path[...]] = .string(Self.renormalized(text)!)
      return "\(kind) at \(describe(path, in: tree))"
    case .storeFields:
      guard case var .object(list) = tree, !list.isEmpty else { return "no record" }
      let index = Int.random(in: 0..<list.count, using: &random)
      switch list[index].key {
      case "format", "revision", "version": list[index].value = .token(numberForm(of: "1"))
      case "playbook":
        if case var .object(fields) = list[index].value, let sha = fields.firstIndex(where: { $0.key == "sha256" }),
          case let .string(text) = fields[sha].value
        {
          fields[sha].value = .string(Bool.random(using: &random) ? text.uppercased() : String(text.dropLast()) + "0")
          list[index].value = .object(fields)
        }
      default: list[index].value = value(depth: 1)
      }
      tree = .object(list)
      return "\(kind): \(list[index].key)"
    }
  }

  /// Edits the bytes themselves: what a disk, a sync tool or a careless editor does.
  mutating func mutate(_ bytes: inout [UInt8]) -> String {
    guard !bytes.isEmpty else { return "empty" }
    let at = Int.random(in: 0..<bytes.count, using: &random)
    let interesting: [UInt8] = Array("\"\\{}[]:,01-.entf \t\r\n".utf8) + [0x00, 0x01, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]
    switch Int.random(in: 0..<7, using: &random) {
    case 0:
      bytes[at] ^= 1 << UInt8.random(in: 0...7, using: &random)
      return "flip bit at \(at)"
    case 1:
      bytes[at] = interesting.randomElement(using: &random)!
      return "set byte at \(at)"
    case 2:
      bytes.insert(interesting.randomElement(using: &random)!, at: at)
      return "insert byte at \(at)"
    case 3:
      bytes.remove(at: at)
      return "delete byte at \(at)"
    case 4:
      bytes.removeSubrange(at...)
      return "truncate at \(at)"
    case 5:
      bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &random)))
      return "delete range at \(at)"
    default:
      let range = at..<min(bytes.count, at + Int.random(in: 1...40, using: &random))
      bytes.insert(contentsOf: bytes[range], at: Int.random(in: 0...bytes.count, using: &random))
      return "duplicate range at \(at)"
    }
  }

  /// `text` with its first character that has another canonically equivalent spelling
  /// spelt the other way; nil when it has none.
  static func renormalized(_ text: String) -> String? {
    let pairs: [([Unicode.Scalar], [Unicode.Scalar])] = [
      (["\u{E9}"], ["e", "\u{301}"]), (["\u{C5}"], ["A", "\u{30A}"]), (["\u{212A}"], ["K"]), (["\u{2126}"], ["\u{3A9}"]),
    ]
    let scalars = Array(text.unicodeScalars)
    for start in scalars.indices {
      for (one, other) in pairs {
        for (from, to) in [(one, other), (other, one)] where scalars[start...].starts(with: from) {
          var result = String.UnicodeScalarView()
          result.append(contentsOf: scalars[..<start])
          result.append(contentsOf: to)
          result.append(contentsOf: scalars[(start + from.count)...])
          return String(result)
        }
      }
    }
    return nil
  }

  /// Escapes, surrogates and raw characters to put inside a string's text.
  static let snippets = [
    #"\u00e9"#, #"\u00E9"#, #"\ud83e\udd1d"#, #"\uD83E\uDD1D"#, #"\ud800"#, #"\udc00"#, #"\ud800\u0041"#,
    #"\udc00\ud800"#, #"\ud800\ud800"#, #"\ud800\n"#, #"\u0000"#, #"\u001f"#, #"\u007f"#, #"\u2028"#, #"\/"#,
    #"\x41"#, #"\u12"#, #"\u12G4"#, #"\U0041"#, #"\'"#, #"\b\f\r"#, "\\", "\u{1}", "\t", "\n", "\u{7f}",
    "\u{2028}", "é", "🤝", #"\""#,
  ]

  /// The forms an `at` may take, right or wrong.
  static let times: [JSONTree] = [
    "2024-02-29T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-20T15:30:00.5Z", "2026-11-20T24:00:00Z",
    "2026-11-20T15:30:00z", "2026-11-20 15:30:00Z", "2026-11-20T15:30:00+00:00", "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z", "2026-13-01T00:00:00Z", "-2026-11-20T15:30:0Z", "２026-11-20T15:30:00Z", "",
  ].map { JSONTree.string($0) } + [.rawString(#"2026-11-20T15:30:00\u005a"#), .token("null"), .token("20261120")]

  /// Another spelling of a number, or something that is not one.
  mutating func numberForm(of spelling: String) -> String {
    let n = spelling.allSatisfy(\.isNumber) && !spelling.isEmpty ? spelling : "1"
    return [
      "\(n).0", "\(n)e0", "\(n)E+0", "\(n)0e-1", "0\(n)", "00", "-\(n)", "+\(n)", "\(n).", ".\(n)", "\(n)e", "-0",
      "0", "-0.0", "0e0", "9223372036854775807", "9223372036854775806", "9223372036854775808",
      "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e400", "1E2",
      "100000000000000000000000", "1-2", "1.5", "0x1", "NaN", "Infinity", "-", "--1", "1e+", "\"\(n)\"", "true",
    ].randomElement(using: &random)!
  }

  /// A random JSON value, nested up to `depth`.
  mutating func value(depth: Int) -> JSONTree {
    switch Int.random(in: 0..<(depth > 0 ? 9 : 6), using: &random) {
    case 0: return .token(["0", "1", "-1", "2.5", "1e3", "-0", "12345678901234567890"].randomElement(using: &random)!)
    case 1: return .token(["true", "false", "null"].randomElement(using: &random)!)
    case 2: return .string(["", "x", "sales", "web", "fax", "2026-11-20T15:30:00Z", "é\"\\/\n🤝"].randomElement(using: &random)!)
    case 3: return .array([])
    case 4: return .object([])
    case 5: return .string("completed")
    case 6, 7:
      return .object((0..<Int.random(in: 1...3, using: &random)).map { i in ("k\(i)", value(depth: depth - 1)) })
    default: return .array((0..<Int.random(in: 1...3, using: &random)).map { _ in value(depth: depth - 1) })
    }
  }

  /// Opportunity inputs, whole or not.
  mutating func inputs() -> JSONTree {
    let names = ["marketingStaff", "costPerHead", "contentShare", "unusedShare", "ancillary", "searchShare",
      "recoveredShare", "profitMultiplier"]
    return .object(names.filter { _ in Int.random(in: 0..<10, using: &random) > 0 }.map { ($0, .token("10")) })
  }

  /// A path as keys and indexes, `events[3].note`.
  func describe(_ path: [Int], in tree: JSONTree) -> String {
    var text = ""
    for end in path.indices {
      let prefix = Array(path[...end])
      if let key = tree.key(at: prefix) { text += (text.isEmpty ? "" : ".") + key } else { text += "[\(path[end])]" }
    }
    return text.isEmpty ? "the document" : text
  }
}
