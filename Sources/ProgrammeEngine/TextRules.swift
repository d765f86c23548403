/// What may be recorded as a name or a note, decided once for every door (the commands, the
/// API, the pages, a survey file), and how a stored text that predates these rules is shown.
///
/// A name (a person, a client's display name, an evidence file, a respondent) is one line of
/// visible text: it may hold no control character (Unicode category Cc: U+0000-001F,
/// U+007F-009F), no line or paragraph separator (U+2028, U+2029) and no format character
/// (category Cf). Cf is every invisible character that changes how text around it is shown:
/// the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
/// U+202A-202E, U+2066-2069), the zero-width characters (U+200B-200D, U+2060, U+FEFF), the
/// invisible operators (U+2061-2064), the soft hyphen (U+00AD) and the tag characters.
///
/// A note (a reason, a note kept with an event) is at most `noteLimit` characters (Unicode
/// scalars). It may run over several lines (a line feed, or a carriage return and line feed
/// as a browser sends them), but may hold no other control character, no line or paragraph
/// separator, and no bidirectional embedding, override or isolate (U+202A-202E,
/// U+2066-2069), which would reorder the text shown after it. The marks and zero-width
/// characters that prose in mixed scripts needs are allowed in a note.
///
/// These rules hold for what is recorded from now on. A history written before them is read
/// as it is, and whatever in it breaks them is shown escaped (`Shown`), never refused.
public enum TextRules {
  /// The longest note or reason, in characters (Unicode scalars).
  public static let noteLimit = 2_000

  /// Why `name` cannot be recorded as a name, or nil when it can.
  public static func nameProblem(_ name: String) -> TextProblem? {
    // Nearly every name is printable ASCII: settle those without Unicode tables.
    if name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
      return name.utf8.contains { $0 != UInt8(ascii: " ") } ? nil : TextProblem(.blank, position: 0)
    }
    var visible = false
    for (offset, scalar) in name.unicodeScalars.enumerated() {
      if isHiddenInName(scalar) { return TextProblem(.character(scalar), position: offset + 1) }
      if !scalar.properties.isWhitespace { visible = true }
    }
    return visible ? nil : TextProblem(.blank, position: 0)
  }

  /// Why `note` cannot be recorded as a note or reason, or nil when it can.
  public static func noteProblem(_ note: String) -> TextProblem? {
    var count = 0
    var scalars = note.unicodeScalars.makeIterator()
    var pending = scalars.next()
    while let scalar = pending {
      count += 1
      pending = scalars.next()
      // A carriage return is part of a line break only when a line feed follows it: alone
      // it sends a terminal back to the start of the line, over what was printed there.
      if scalar == "\r", pending == "\n" { continue }
      if isHiddenInNote(scalar) { return TextProblem(.character(scalar), position: count) }
    }
    if count > noteLimit { return TextProblem(.tooLong(count: count, limit: noteLimit), position: noteLimit + 1) }
    return nil
  }

  /// Whether `scalar` may not stand in a name, and is shown escaped in one.
  public static func isHiddenInName(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value >= 0x20 && scalar.value < 0x7F { return false }
    switch scalar.properties.generalCategory {
    case .control, .format, .lineSeparator, .paragraphSeparator: return true
    default: return false
    }
  }

  /// Whether `scalar` may not stand in a note (a line feed may), and is shown escaped in one.
  public static func isHiddenInNote(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value >= 0x20 && scalar.value < 0x7F || scalar == "\n" { return false }
    if isBidiControl(scalar) { return true }
    switch scalar.properties.generalCategory {
    case .control, .lineSeparator, .paragraphSeparator: return true
    default: return false
    }
  }

  /// The bidirectional embeddings, overrides and isolates: U+202A-202E, U+2066-2069.
  public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
    (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
  }

  /// The character as a sentence names it: "a right-to-left override (U+202E)".
  public static func describe(_ scalar: Unicode.Scalar) -> String {
    let known: String? =
      switch scalar.value {
      case 0x00: "the NUL character"
      case 0x07: "a bell character"
      case 0x08: "a backspace"
      case 0x09: "a tab"
      case 0x0A: "a line break"
      case 0x0D: "a carriage return"
      case 0x1B: "an escape character"
      case 0x7F: "a delete character"
      case 0x00AD: "a soft hyphen"
      case 0x061C: "an Arabic letter mark"
      case 0x200B: "a zero-width space"
      case 0x200C: "a zero-width non-joiner"
      case 0x200D: "a zero-width joiner"
      case 0x200E: "a left-to-right mark"
      case 0x200F: "a right-to-left mark"
      case 0x2028: "a line separator"
      case 0x2029: "a paragraph separator"
      case 0x202A: "a left-to-right embedding"
      case 0x202B: "a right-to-left embedding"
      case 0x202C: "a pop directional formatting"
      case 0x202D: "a left-to-right override"
      case 0x202E: "a right-to-left override"
      case 0x2060: "a word joiner"
      case 0x2066: "a left-to-right isolate"
      case 0x2067: "a right-to-left isolate"
      case 0x2068: "a first strong isolate"
      case 0x2069: "a pop directional isolate"
      case 0xFEFF: "a zero-width no-break space"
      default: nil
      }
    if let known { return "\(known) (\(codePoint(scalar)))" }
    if scalar.properties.generalCategory == .control { return "a control character (\(codePoint(scalar)))" }
    return "an invisible formatting character (\(codePoint(scalar)))"
  }

  /// `U+202E`: at least four hex digits, upper case.
  public static func codePoint(_ scalar: Unicode.Scalar) -> String {
    let digits = String(scalar.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}

/// Why a name or note cannot be recorded, and where: `description` completes a sentence
/// that names the text ("person 'sa\u{202E}m' has a right-to-left override (U+202E) at
/// character 3").
public struct TextProblem: Sendable, Hashable, CustomStringConvertible {
  /// What is wrong.
  public enum Kind: Sendable, Hashable {
    /// Nothing visible: empty, or white space only.
    case blank
    /// A character that is not allowed, at `position`.
    case character(Unicode.Scalar)
    /// Longer than the limit.
    case tooLong(count: Int, limit: Int)
  }

  public var kind: Kind
  /// The offending character's position, counting characters (Unicode scalars) from 1; 0
  /// for a blank text.
  public var position: Int

  public init(_ kind: Kind, position: Int) {
    self.kind = kind
    self.position = position
  }

  public var description: String {
    switch kind {
    case .blank: "has nothing visible in it"
    case let .character(scalar): "has \(TextRules.describe(scalar)) at character \(position)"
    case let .tooLong(count, limit): "is \(count) characters long, the limit is \(limit)"
    }
  }

  /// The character as `U+XXXX`, when the problem is one.
  public var character: String? {
    if case let .character(scalar) = kind { return TextRules.codePoint(scalar) }
    return nil
  }
}
