/// Stored text as every renderer shows it (log, status, show, reminders, certificates, the
/// pages): whatever `TextRules` would refuse today is written as a Swift-style escape
/// (`\u{1B}`), so a name or note from a file written before the rules can never send a
/// terminal an escape sequence, reorder the text after it, or begin a line of its own.
public enum Shown {
  /// A name on one line: every character a name may not hold (a control character, a line
  /// break, a format character such as a bidirectional override) written as `\u{202E}`.
  public static func name(_ text: String) -> String {
    escaped(text, where: TextRules.isHiddenInName)
  }

  /// Text for HTML (text, attributes, SVG): `&`, `<`, `>`, `"` and `'` as character
  /// references, and a control character or bidirectional override from an old note shown as
  /// its escape (`\u{202E}`). The certificates' page and the client report both write it so.
  public static func html(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out += inNote(character)
      }
    }
    return out
  }

  /// A note's lines, each with the characters a note may not hold escaped (but a tab). A line
  /// feed (or a carriage return and line feed) ends a line; a carriage return alone is escaped.
  public static func noteLines(_ text: String) -> [String] {
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return [text] }
    // By scalar: "\r\n" is one Character, which a split by Character would not break at.
    return text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { scalars in
      var line = String.UnicodeScalarView(scalars)
      if line.last == "\r" { line.removeLast() }
      return escaped(String(line), where: isHiddenInStoredNote)
    }
  }

  /// A note as text, its later lines indented by `indent` so that none can begin a line of
  /// its own (and pass for an event, a heading or a signature).
  public static func note(_ text: String, indent: String) -> String {
    noteLines(text).joined(separator: "\n" + indent)
  }

  /// A note on one line, its line breaks shown as ` / `, for a place that holds one line
  /// (a table's cell, a mail's subject).
  public static func noteOnOneLine(_ text: String) -> String {
    noteLines(text).joined(separator: " / ")
  }

  /// Whether a note shows `scalar` escaped: whatever a note may not hold now but a tab, which
  /// moves nothing but the text after it on its own line, and which older Accords printed as
  /// it is (the compatibility fixtures hold one).
  public static func isHiddenInStoredNote(_ scalar: Unicode.Scalar) -> Bool {
    scalar != "\t" && TextRules.isHiddenInNote(scalar)
  }

  /// Whether `text` may hold a character a note shows escaped (a control but a line feed or a
  /// tab, a bidirectional override or isolate, a line or paragraph separator), found from its
  /// UTF-8 bytes alone: a whole page or output is checked in one pass before anything is
  /// copied. `carriageReturn` lets a carriage return pass (in HTML it moves nothing).
  public static func mayHoldHidden(_ text: String, carriageReturn: Bool = false) -> Bool {
    var bytes = text.utf8.makeIterator()
    while let byte = bytes.next() {
      switch byte {
      case 0x0A, 0x09: continue
      case 0x0D: if !carriageReturn { return true }
      case 0x00..<0x20, 0x7F: return true
      case 0xC2:  // U+0080-U+009F, the C1 controls, are C2 80 to C2 9F
        if let next = bytes.next(), (0x80...0x9F).contains(next) { return true }
      case 0xE2:  // U+2028-U+202E are E2 80 A8 to AE; U+2066-U+2069 are E2 81 A6 to A9
        guard let second = bytes.next(), let third = bytes.next() else { return false }
        if second == 0x80, (0xA8...0xAE).contains(third) { return true }
        if second == 0x81, (0xA6...0xA9).contains(third) { return true }
      default: continue
      }
    }
    return false
  }

  /// One character as Accord shows it escaped: `\u{1B}`.
  public static func escape(_ scalar: Unicode.Scalar) -> String {
    "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
  }

  /// `character` as shown inside a line of a note: itself, or its hidden scalars escaped.
  public static func inNote(_ character: Character) -> String {
    guard character != "\r\n" else { return "\r\n" }
    guard character.unicodeScalars.contains(where: isHiddenInStoredNote) else { return String(character) }
    return character.unicodeScalars.map { isHiddenInStoredNote($0) ? escape($0) : String($0) }.joined()
  }

  private static func escaped(_ text: String, where hidden: (Unicode.Scalar) -> Bool) -> String {
    // Nearly all stored text is printable ASCII: hand it back untouched.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
    guard text.unicodeScalars.contains(where: hidden) else { return text }
    var shown = ""
    shown.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
    for scalar in text.unicodeScalars {
      if hidden(scalar) {
        shown += escape(scalar)
      } else {
        shown.unicodeScalars.append(scalar)
      }
    }
    return shown
  }
}
