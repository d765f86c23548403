import Glibc

/// A strict, allocation-light reader of JSON text, for the one document shape Accord
/// writes. It answers `nil` as soon as anything is unusual (a fraction where a whole number
/// belongs, a duplicate key, text that is not UTF-8): the caller then falls back to
/// `JSONDecoder`, which stays the reference for what a file means and for every message
/// about a damaged one. So this reader may be too strict, but never too lenient.
struct JSONReader: ~Copyable {
  private let bytes: UnsafeRawBufferPointer
  private var position = 0
  private var depth = 0

  init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  /// Where the reader is, to come back to with `rewind(to:)`.
  var offset: Int { position }

  /// Goes back to an earlier `offset`.
  mutating func rewind(to offset: Int) {
    position = offset
  }

  /// The bytes from `start` to where the reader is now.
  func bytes(from start: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(rebasing: bytes[start..<position])
  }

  /// Whether only white space is left.
  mutating func atEnd() -> Bool {
    skipSpace()
    return position == bytes.count
  }

  /// Consumes `byte` (after white space) if it is next.
  mutating func take(_ byte: UInt8) -> Bool {
    skipSpace()
    guard position < bytes.count, bytes[position] == byte else { return false }
    position += 1
    return true
  }

  /// Reads `{ "key": value, ... }`, handing each key's bytes to `member`, which must read
  /// the value. Returns false when the object is malformed or `member` returns false.
  mutating func object(_ member: (inout JSONReader, UnsafeRawBufferPointer) -> Bool) -> Bool {
    guard take(UInt8(ascii: "{")), enter() else { return false }
    defer { depth -= 1 }
    if take(UInt8(ascii: "}")) { return true }
    repeat {
      guard let key = rawString(), take(UInt8(ascii: ":")), member(&self, key) else { return false }
    } while take(UInt8(ascii: ","))
    return take(UInt8(ascii: "}"))
  }

  /// Reads `[ value, ... ]`, calling `element` to read each value.
  mutating func array(_ element: (inout JSONReader) -> Bool) -> Bool {
    guard take(UInt8(ascii: "[")), enter() else { return false }
    defer { depth -= 1 }
    if take(UInt8(ascii: "]")) { return true }
    repeat {
      guard element(&self) else { return false }
    } while take(UInt8(ascii: ","))
    return take(UInt8(ascii: "]"))
  }

  /// A string value, unescaped and checked to be UTF-8.
  mutating func string() -> String? {
    skipSpace()
    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
    let start = position + 1
    var end = start
    while end < bytes.count {
      let byte = bytes[end]
      if byte == UInt8(ascii: "\"") {
        position = end + 1
        return Self.text(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
      }
      if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
      if byte < 0x20 { return nil }
      end += 1
    }
    return nil
  }

  /// A string value left as the file writes it: the range of the bytes between its quotes,
  /// escapes and all, checked as `string()` checks them (only the escapes JSON has, a
  /// surrogate only in a pair, no raw control character, UTF-8 throughout) but not made
  /// into a `String`. A stored playbook's text is hundreds of kilobytes that most reads only
  /// hash: `unescape(_:_:)` hands its text on in pieces, and `unescapedString(_:)` makes the
  /// string for the reads that need it.
  mutating func stringBytes() -> Range<Int>? {
    skipSpace()
    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
    let start = position + 1
    var index = start
    while index < bytes.count {
      // Eight bytes at a time while they are ASCII and none of them ends a run.
      while index + 8 <= bytes.count {
        let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if word & 0x8080_8080_8080_8080 != 0 || Self.mayEndRun(word) { break }
        index += 8
      }
      guard index < bytes.count else { break }
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        position = index + 1
        return start..<index
      case UInt8(ascii: "\\"):
        guard index + 1 < bytes.count else { return nil }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
          UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          index += 2
        case UInt8(ascii: "u"):
          guard let scalar = hex4(at: index + 2) else { return nil }
          index += 6
          if (0xD800..<0xDC00).contains(scalar) {
            // A surrogate pair: the low half must follow as another \u escape.
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
              let low = hex4(at: index + 2), (0xDC00..<0xE000).contains(low)
            else { return nil }
            index += 6
          } else if (0xDC00..<0xE000).contains(scalar) {
            return nil  // half a pair: no character
          }
        default:
          return nil
        }
      case ..<0x20:
        return nil  // a raw control character: not JSON
      case ..<0x80:
        index += 1
      default:
        guard let length = Self.utf8Length(bytes, at: index) else { return nil }
        index += length
      }
    }
    return nil
  }

  /// The length of the UTF-8 sequence that starts with the non-ASCII byte at `index`, or
  /// nil when it is not one (a stray continuation byte, an overlong form, a surrogate, a
  /// scalar beyond U+10FFFF, or a sequence cut short): the Unicode standard's table 3-7.
  private static func utf8Length(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int? {
    let lead = bytes[index]
    let length: Int
    var second: ClosedRange<UInt8> = 0x80...0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0: length = 3; second = 0xA0...0xBF
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: length = 3; second = 0x80...0x9F
    case 0xF0: length = 4; second = 0x90...0xBF
    case 0xF1...0xF3: length = 4
    case 0xF4: length = 4; second = 0x80...0x8F
    default: return nil
    }
    guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return nil }
    for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return nil }
    return length
  }

  /// Hands on the text of a string's bytes as `stringBytes()` found them (and checked them:
  /// here they are trusted), unescaped, in order, in pieces: the runs between escapes as
  /// they lie in `raw`, and each escape's character on its own.
  static func unescape(_ raw: UnsafeRawBufferPointer, _ piece: (UnsafeRawBufferPointer) -> Void) {
    var index = 0
    var run = 0
    var scratch: UInt32 = 0
    func character(_ scalar: UInt32) {
      let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
      withUnsafeMutableBytes(of: &scratch) { buffer in
        var count = 0
        for unit in UTF8.encode(unicode)! {
          buffer[count] = unit
          count += 1
        }
        piece(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
      }
    }
    while index < raw.count {
      guard let slash = memchr(raw.baseAddress! + index, 0x5C, raw.count - index) else { break }
      index = raw.baseAddress!.distance(to: UnsafeRawPointer(slash))
      if index > run { piece(UnsafeRawBufferPointer(rebasing: raw[run..<index])) }
      let letter = raw[index + 1]
      index += 2
      switch letter {
      case UInt8(ascii: "b"): character(0x08)
      case UInt8(ascii: "f"): character(0x0C)
      case UInt8(ascii: "n"): character(0x0A)
      case UInt8(ascii: "r"): character(0x0D)
      case UInt8(ascii: "t"): character(0x09)
      case UInt8(ascii: "u"):
        var scalar = hex4(raw, at: index) ?? 0xFFFD
        index += 4
        if (0xD800..<0xDC00).contains(scalar) {
          let low = hex4(raw, at: index + 2) ?? 0xDC00
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          index += 6
        }
        character(scalar)
      default: character(UInt32(letter))  // the quote, the backslash or the slash
      }
      run = index
    }
    if raw.count > run { piece(UnsafeRawBufferPointer(rebasing: raw[run...])) }
  }

  /// The string of a string's bytes as `stringBytes()` found them: the text `string()`
  /// reads, made in one buffer.
  static func unescapedString(_ raw: UnsafeRawBufferPointer) -> String {
    // Unescaping never lengthens the text.
    String(unsafeUninitializedCapacity: max(raw.count, 1)) { out in
      var count = 0
      unescape(raw) { piece in
        UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: out[count..<count + piece.count]))
          .copyMemory(from: piece)
        count += piece.count
      }
      return count
    }
  }

  /// UTF-8 bytes as a string, or nil when they are not UTF-8. Nearly every string Accord
  /// writes is ASCII, which `String(decoding:)` takes as it is; the generic
  /// `String(validating:)` costs about a thousand instructions even for a short one.
  static func text(_ utf8: UnsafeRawBufferPointer) -> String? {
    var ascii = true
    var index = 0
    while index + 8 <= utf8.count {
      if utf8.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
        ascii = false
        break
      }
      index += 8
    }
    while ascii && index < utf8.count {
      if utf8[index] >= 0x80 { ascii = false }
      index += 1
    }
    return ascii ? String(decoding: utf8, as: UTF8.self) : String(validating: utf8, as: UTF8.self)
  }

  /// `null` (true) or anything else (false, nothing consumed).
  mutating func null() -> Bool {
    literal("null")
  }

  /// `true` or `false`; `nil` (nothing consumed) for anything else.
  mutating func boolean() -> Bool? {
    if literal("true") { return true }
    if literal("false") { return false }
    return nil
  }

  /// A whole number in `Int` range; anything with a fraction or exponent is `nil`.
  mutating func integer() -> Int? {
    skipSpace()
    var negative = false
    if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
      negative = true
      position += 1
    }
    var value = 0
    var digits = 0
    let first = position
    while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
      let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times.addingReportingOverflow(Int(bytes[position] - UInt8(ascii: "0")))
      guard !overflow1, !overflow2 else { return nil }
      value = sum
      digits += 1
      position += 1
    }
    // JSON has no leading zeros: JSONDecoder refuses `01` (and the whole file with it).
    guard digits > 0, digits == 1 || bytes[first] != UInt8(ascii: "0") else { return nil }
    if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
      return nil
    }
    return negative ? -value : value
  }

  /// Skips any one value (for keys a later Accord may add).
  mutating func skipValue() -> Bool {
    skipSpace()
    guard position < bytes.count else { return false }
    switch bytes[position] {
    case UInt8(ascii: "{"): return object { reader, _ in reader.skipValue() }
    case UInt8(ascii: "["): return array { $0.skipValue() }
    case UInt8(ascii: "\""): return string() != nil
    case UInt8(ascii: "t"): return literal("true")
    case UInt8(ascii: "f"): return literal("false")
    case UInt8(ascii: "n"): return literal("null")
    default: return skipNumber()
    }
  }

  // MARK: - Internals

  private mutating func enter() -> Bool {
    depth += 1
    return depth <= 64  // Accord's files nest three deep; anything deeper is not ours
  }

  private mutating func skipSpace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x0A, 0x0D, 0x09: position += 1
      default: return
      }
    }
  }

  /// A number as JSON spells it, `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`, and
  /// nothing looser: JSONDecoder refuses a file with `+1`, `.5`, `1.` or `1-2` anywhere in
  /// it, even under a key it does not read.
  private mutating func skipNumber() -> Bool {
    func digits(_ reader: inout JSONReader) -> Int {
      let start = reader.position
      while reader.position < reader.bytes.count,
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.position])
      {
        reader.position += 1
      }
      return reader.position - start
    }
    func next(_ reader: inout JSONReader, _ byte: Character) -> Bool {
      guard reader.position < reader.bytes.count, reader.bytes[reader.position] == byte.asciiValue else { return false }
      reader.position += 1
      return true
    }
    _ = next(&self, "-")
    if !next(&self, "0") {
      guard digits(&self) > 0 else { return false }
    }
    if next(&self, ".") {
      guard digits(&self) > 0 else { return false }
    }
    if next(&self, "e") || next(&self, "E") {
      _ = next(&self, "+") || next(&self, "-")
      guard digits(&self) > 0 else { return false }
    }
    return true
  }

  private mutating func literal(_ word: StaticString) -> Bool {
    skipSpace()
    let count = word.utf8CodeUnitCount
    guard position + count <= bytes.count else { return false }
    for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
    position += count
    return true
  }

  /// The bytes of a string written without escapes (keys, ids, times); `nil` for any
  /// other. An escaped key read as unknown could hide a duplicate of a known one.
  mutating func rawString() -> UnsafeRawBufferPointer? {
    skipSpace()
    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
    let start = position + 1
    var end = start
    var ascii = true
    while end < bytes.count {
      let byte = bytes[end]
      if byte == UInt8(ascii: "\\") { return nil }
      if byte == UInt8(ascii: "\"") {
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        // Even a key nobody reads must be UTF-8: JSONDecoder refuses the file otherwise.
        guard ascii || String(validating: text, as: UTF8.self) != nil else { return nil }
        position = end + 1
        return text
      }
      if byte < 0x20 { return nil }
      if byte >= 0x80 { ascii = false }
      end += 1
    }
    return nil
  }

  /// A string with escapes: the runs between escapes are copied whole, since a stored
  /// playbook's text is one long string with a `\n` on every line.
  private mutating func escapedString(from start: Int) -> String? {
    var out: [UInt8] = []
    // Sized to the escaped text, found first, so that a long one is not copied again at
    // every doubling of a growing buffer (the decoded text is never longer).
    out.reserveCapacity(Self.escapedLength(bytes, from: start))
    var index = start
    var run = start
    while index < bytes.count {
      // Eight bytes at a time while none of them ends the run.
      while index + 8 <= bytes.count,
        !Self.mayEndRun(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
      {
        index += 8
      }
      guard index < bytes.count else { break }
      let byte = bytes[index]
      if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
        index += 1
        continue
      }
      out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run..<index]))
      switch byte {
      case UInt8(ascii: "\""):
        position = index + 1
        return out.withUnsafeBytes { Self.text($0) }
      case UInt8(ascii: "\\"):
        guard index + 1 < bytes.count else { return nil }
        index += 1
        switch bytes[index] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(bytes[index])
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          guard var scalar = hex4(at: index + 1) else { return nil }
          index += 4
          if (0xD800..<0xDC00).contains(scalar) {
            // A surrogate pair: the low half must follow as another \u escape.
            guard index + 6 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"),
              bytes[index + 2] == UInt8(ascii: "u"), let low = hex4(at: index + 3),
              (0xDC00..<0xE000).contains(low)
            else { return nil }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            index += 6
          }
          guard let unicode = Unicode.Scalar(scalar) else { return nil }
          out.append(contentsOf: UTF8.encode(unicode)!)
        default:
          return nil
        }
        index += 1
        run = index
      default:
        // A raw control character: not JSON.
        return nil
      }
    }
    return nil
  }

  /// The number of bytes from `start` to the quote that ends the string (or to the end
  /// of `bytes`, if none does), stepping over escaped characters.
  private static func escapedLength(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
    var index = start
    while index < bytes.count {
      while index + 8 <= bytes.count, !mayEndRun(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
        index += 8
      }
      guard index < bytes.count else { break }
      switch bytes[index] {
      case UInt8(ascii: "\\"): index += 2
      case UInt8(ascii: "\""): return index - start
      default: index += 1
      }
    }
    return bytes.count - start
  }

  /// Whether any of the eight bytes in `word` is a quote, a backslash or a control
  /// character (the classic "has a zero byte" test, on the word and on it xor'd with each
  /// byte that ends a run). It may say yes for a byte of 0x80 or more following such a
  /// byte, which only sends the loop back to one byte at a time.
  private static func mayEndRun(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    func hasZero(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5c)
    let control = (word &- ones &* 0x20) & ~word & highs != 0
    return hasZero(quote) || hasZero(backslash) || control
  }

  private func hex4(at start: Int) -> UInt32? {
    Self.hex4(bytes, at: start)
  }

  private static func hex4(_ bytes: UnsafeRawBufferPointer, at start: Int) -> UInt32? {
    guard start + 4 <= bytes.count else { return nil }
    var value: UInt32 = 0
    for index in start..<start + 4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }
}

extension UnsafeRawBufferPointer {
  /// Whether these bytes spell `text` (for comparing keys without making strings).
  func spells(_ text: StaticString) -> Bool {
    guard count == text.utf8CodeUnitCount else { return false }
    for index in 0..<count where self[index] != text.utf8Start[index] { return false }
    return true
  }

  /// Whether these bytes are `text`'s bytes.
  func spells(_ text: [UInt8]) -> Bool {
    count == text.count && elementsEqual(text)
  }
}
