import Foundation
import SeededRandom

/// A JSON document as text-level as the differential test needs: numbers keep their
/// spelling, objects keep their order and may hold a key twice, and a string or token may
/// be raw text that no Swift value could produce (a lone surrogate escape, `01`, `1-2`).
indirect enum JSONTree: Sendable {
  case object([(key: String, value: JSONTree)])
  case array([JSONTree])
  case string(String)
  /// A string's text between its quotes, exactly as it is to be written (escapes and all).
  case rawString(String)
  /// Any token written as it is: a number's spelling, `true`, `null`, or something broken.
  case token(String)

  /// Parses valid JSON text (the files the mutations start from).
  init(parsing bytes: [UInt8]) {
    var parser = TreeParser(bytes: bytes)
    self = parser.value()
  }

  /// The paths to the values `wanted` picks (each step an index into an object's members
  /// or an array's elements; the document itself is `[]`).
  func paths(where wanted: (JSONTree, [Int]) -> Bool) -> [[Int]] {
    var found: [[Int]] = []
    var path: [Int] = []
    func walk(_ node: JSONTree) {
      if wanted(node, path) { found.append(path) }
      switch node {
      case let .object(members):
        for index in members.indices {
          path.append(index)
          walk(members[index].value)
          path.removeLast()
        }
      case let .array(elements):
        for index in elements.indices {
          path.append(index)
          walk(elements[index])
          path.removeLast()
        }
      default: break
      }
    }
    walk(self)
    return found
  }

  subscript(path: ArraySlice<Int>) -> JSONTree {
    get {
      guard let step = path.first else { return self }
      switch self {
      case let .object(members): return members[step].value[path.dropFirst()]
      case let .array(elements): return elements[step][path.dropFirst()]
      default: preconditionFailure("no value at \(path)")
      }
    }
    set {
      guard let step = path.first else {
        self = newValue
        return
      }
      switch self {
      case var .object(members):
        members[step].value[path.dropFirst()] = newValue
        self = .object(members)
      case var .array(elements):
        elements[step][path.dropFirst()] = newValue
        self = .array(elements)
      default: preconditionFailure("no value at \(path)")
      }
    }
  }

  /// The key a path's last step goes through, when it is an object member.
  func key(at path: [Int]) -> String? {
    guard let last = path.last, case let .object(members) = self[path.dropLast()[...]] else { return nil }
    return members[last].key
  }
}

/// How a tree is written out: JSONEncoder's own layout, or another that means the same.
struct JSONStyle {
  var name: String
  /// Spaces (or tabs) per level; nil writes everything on one line.
  var indent: String?
  var newline = "\n"
  var colon = " : "
  var comma = ","
  /// The chance that a character that needs no escape is escaped anyway (`\u00e9`, `\/`,
  /// a surrogate pair for one beyond the BMP).
  var escapeRate = 0.0
  var uppercaseHex = false
  /// Blank lines in an empty container, as JSONEncoder writes them.
  var encoderEmpty = true

  static let encoder = JSONStyle(name: "encoder", indent: "  ")

  static func random(using random: inout SeededRandom) -> JSONStyle {
    switch Int.random(in: 0..<8, using: &random) {
    case 0, 1, 2: return .encoder
    case 3: return JSONStyle(name: "compact", indent: nil, colon: ":", encoderEmpty: false)
    case 4:
      return JSONStyle(
        name: "tabs-crlf", indent: "\t", newline: "\r\n", colon: ":\t", comma: " ,", encoderEmpty: false)
    case 5: return JSONStyle(name: "escaped", indent: "  ", escapeRate: 0.3, uppercaseHex: Bool.random(using: &random))
    case 6: return JSONStyle(name: "escaped-compact", indent: nil, colon: ":", escapeRate: 0.05, encoderEmpty: false)
    default: return JSONStyle(name: "wide", indent: "    ", newline: "\n\n", colon: "  :  ", comma: "  ,")
    }
  }
}

extension JSONTree {
  func rendered(_ style: JSONStyle, using random: inout SeededRandom) -> [UInt8] {
    // Written as a String and turned into bytes once: in a debug build, String's appends
    // run the standard library's optimised code, an array's generic ones do not.
    var out = ""
    out.reserveCapacity(4096)
    write(to: &out, style, level: 0, &random)
    if style.indent != nil { out += style.newline }
    return Array(out.utf8)
  }

  private func write(to out: inout String, _ style: JSONStyle, level: Int, _ random: inout SeededRandom) {
    func line(_ level: Int, _ out: inout String) {
      guard let indent = style.indent else { return }
      out += style.newline
      for _ in 0..<level { out += indent }
    }
    func container(_ open: String, _ close: String, _ count: Int, _ out: inout String, _ element: (Int, inout String) -> Void) {
      out += open
      if count == 0 && style.encoderEmpty { line(0, &out) }
      for index in 0..<count {
        if index > 0 { out += style.comma }
        line(level + 1, &out)
        element(index, &out)
      }
      if count > 0 || style.encoderEmpty { line(level, &out) }
      out += close
    }
    switch self {
    case let .object(members):
      container("{", "}", members.count, &out) { index, out in
        out += "\""
        out += Self.escaped(members[index].key, style, &random)
        out += "\""
        out += style.colon
        members[index].value.write(to: &out, style, level: level + 1, &random)
      }
    case let .array(elements):
      container("[", "]", elements.count, &out) { index, out in
        elements[index].write(to: &out, style, level: level + 1, &random)
      }
    case let .string(text):
      out += "\""
      out += Self.escaped(text, style, &random)
      out += "\""
    case let .rawString(text):
      out += "\""
      out += text
      out += "\""
    case let .token(text): out += text
    }
  }

  /// Whether `text` holds a quote, a backslash or a control character. A plain loop over
  /// the bytes: the generic algorithms are slow in a debug build.
  private static func needsEscaping(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      for index in 0..<bytes.count {
        let byte = bytes[index]
        if byte < 0x20 || byte == 0x22 || byte == 0x5C { return true }
      }
      return false
    }
  }

  /// `text` escaped as JSON requires, and then some at `style.escapeRate`.
  static func escaped(_ text: String, _ style: JSONStyle, _ random: inout SeededRandom) -> String {
    func hex(_ value: UInt32) -> String {
      let digits = String(value, radix: 16, uppercase: style.uppercaseHex)
      return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }
    // Most text needs no escape at all.
    if style.escapeRate == 0, !needsEscaping(text) { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\u{8}": out += "\\b"
      case "\u{c}": out += "\\f"
      case "\t": out += style.escapeRate > 0 && Bool.random(using: &random) ? hex(9) : "\\t"
      case "\u{0}"..."\u{1F}": out += hex(scalar.value)
      default:
        guard style.escapeRate > 0, Double(random.next() >> 11) * 0x1p-53 < style.escapeRate else {
          out.unicodeScalars.append(scalar)
          continue
        }
        if scalar == "/" {
          out += "\\/"
        } else if scalar.value < 0x10000 {
          out += hex(scalar.value)
        } else {
          let value = scalar.value - 0x10000
          out += hex(0xD800 + (value >> 10)) + hex(0xDC00 + (value & 0x3FF))
        }
      }
    }
    return out
  }
}

/// Just enough of a parser for valid JSON, keeping numbers' spelling and keys' order.
private struct TreeParser {
  let bytes: [UInt8]
  var index = 0

  mutating func value() -> JSONTree {
    space()
    switch bytes[index] {
    case UInt8(ascii: "{"):
      index += 1
      var members: [(key: String, value: JSONTree)] = []
      space()
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object([])
      }
      repeat {
        space()
        let key = string()
        space()
        index += 1  // :
        members.append((key, value()))
        space()
        index += 1  // , or }
      } while bytes[index - 1] == UInt8(ascii: ",")
      return .object(members)
    case UInt8(ascii: "["):
      index += 1
      var elements: [JSONTree] = []
      space()
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array([])
      }
      repeat {
        elements.append(value())
        space()
        index += 1
      } while bytes[index - 1] == UInt8(ascii: ",")
      return .array(elements)
    case UInt8(ascii: "\""):
      return .string(string())
    default:
      let start = index
      while index < bytes.count, !" \t\r\n,]}".utf8.contains(bytes[index]) { index += 1 }
      return .token(String(decoding: bytes[start..<index], as: UTF8.self))
    }
  }

  private mutating func string() -> String {
    let start = index
    index += 1
    while bytes[index] != UInt8(ascii: "\"") { index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1 }
    index += 1
    let text = bytes[(start + 1)..<(index - 1)]
    if !text.contains(UInt8(ascii: "\\")) { return String(decoding: text, as: UTF8.self) }
    let literal = Data([UInt8(ascii: "[")] + bytes[start..<index] + [UInt8(ascii: "]")])
    // The test's inputs are valid JSON, so JSONDecoder unescapes every string in them.
    return try! JSONDecoder().decode([String].self, from: literal)[0]
  }

  private mutating func space() {
    while index < bytes.count, " \t\r\n".utf8.contains(bytes[index]) { index += 1 }
  }
}
