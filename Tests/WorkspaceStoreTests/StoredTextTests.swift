import Foundation
import ProgrammeEngine
import SeededRandom
import Testing

@testable import WorkspaceStore

/// A stored playbook's text is checked and hashed where it lies in the client file, and
/// made into a string only when it is asked for: the reader that leaves it there must take
/// exactly the strings `JSONReader.string()` takes, and unescape them to the same text.
@Suite struct StoredTextTests {
  /// What `string()` and the bytes-then-unescape path make of one JSON string literal.
  static func bothWays(_ literal: [UInt8]) -> (string: String?, bytes: String?, hashes: Bool) {
    literal.withUnsafeBytes { buffer in
      var plain = JSONReader(buffer)
      let string = plain.string()
      var lazy = JSONReader(buffer)
      guard let range = lazy.stringBytes() else { return (string, nil, false) }
      let raw = UnsafeRawBufferPointer(rebasing: buffer[range])
      let text = JSONReader.unescapedString(raw)
      return (string, text, PlaybookMemo.hashes(raw, to: SHA256.hex(text.utf8)))
    }
  }

  /// Random text with every kind of character a string escapes or carries: quotes,
  /// backslashes, control characters, accents, emoji, and long plain runs.
  static func text(_ random: inout SeededRandom) -> String {
    let pieces = ["a", "plain words ", "\"", "\\", "/", "\n", "\r\n", "\t", "\u{1}", "\u{1F}", "é", "e\u{301}", "🤝", "中",
      String(repeating: "x", count: 12_000), "\u{7F}", "\u{FFFD}"]
    return (0..<Int.random(in: 0...40, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
  }

  /// `text` as a JSON string, escaped as Accord writes it, or with `\u` escapes where it
  /// may use them (surrogate pairs for a character beyond the first plane), as another
  /// writer might.
  static func literal(_ text: String, _ random: inout SeededRandom) -> [UInt8] {
    var out: [UInt8] = [0x22]
    for scalar in text.unicodeScalars {
      if Int.random(in: 0..<4, using: &random) == 0 {
        let units = Array(String(scalar).utf16)
        for unit in units { out += Array(String(format: "\\u%04X", unit).utf8) }
        continue
      }
      var one: [UInt8] = []
      CanonicalJSON.append(String(scalar), to: &one)
      out += one.dropFirst().dropLast()
    }
    out.append(0x22)
    return out
  }

  @Test func everyStringReadsTheSameTextBothWays() {
    var random = SeededRandom(seed: SeededRandom.seed(for: "StoredTextTests.everyString"))
    for _ in 0..<Soak.count(200, soak: 5_000) {
      let text = Self.text(&random)
      let found = Self.bothWays(Self.literal(text, &random))
      #expect(found.string == text)
      #expect(found.bytes == text)
      #expect(found.hashes)
    }
  }

  /// Damage to a string (a byte changed, removed or put in) is taken by the bytes path
  /// exactly when `string()` takes it, and then read as the same text: never more leniently.
  @Test func damagedStringsAreTakenExactlyWhenStringTakesThem() {
    var random = SeededRandom(seed: SeededRandom.seed(for: "StoredTextTests.damaged"))
    let awkward: [UInt8] = [0x22, 0x5C, 0x75, 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF,
      UInt8(ascii: "d"), UInt8(ascii: "8"), UInt8(ascii: "n"), UInt8(ascii: "x")]
    var taken = 0
    for _ in 0..<Soak.count(3_000, soak: 50_000) {
      var text = Self.text(&random)
      if text.utf8.count > 200 { text = "short é 🤝 \\ \" \n" }
      var literal = Self.literal(text, &random)
      for _ in 0..<Int.random(in: 1...3, using: &random) {
        let at = Int.random(in: 1..<literal.count, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: literal[at] = awkward.randomElement(using: &random)!
        case 1: literal.remove(at: at)
        default: literal.insert(awkward.randomElement(using: &random)!, at: at)
        }
        if literal.count < 2 { literal = [0x22, 0x22] }
      }
      let found = Self.bothWays(literal)
      #expect(found.bytes == found.string, "\(literal)")
      if found.bytes != nil {
        taken += 1
        #expect(found.hashes)
      }
    }
    #expect(taken > 0)
  }

  @Test func aHashThatDoesNotMatchIsRefused() {
    let text = "stages:\n  - id: \"one\"\n" + String(repeating: "prose ", count: 20_000)
    var literal: [UInt8] = []
    CanonicalJSON.append(text, to: &literal)
    literal.withUnsafeBytes { buffer in
      let raw = UnsafeRawBufferPointer(rebasing: buffer[1..<buffer.count - 1])
      #expect(PlaybookMemo.hashes(raw, to: SHA256.hex(text.utf8)))
      #expect(!PlaybookMemo.hashes(raw, to: SHA256.hex((text + " ").utf8)))
      #expect(!PlaybookMemo.hashes(raw, to: "not a hash"))
    }
  }

  /// A record the quick reader read holds its text as the file does until it is asked for;
  /// asked for, it is the text written, and the record equals JSONDecoder's, and is
  /// written back byte for byte.
  @Test func aStoredTextReadFromAFileIsTheTextWritten() throws {
    var record = try sampleRecord()
    record.revision = 1
    let prose = (0..<300).map { "      A paragraph of prose, \"quoted\" \\ and é, line \($0).\n" }.joined()
    record.playbook.source = sampleSource + "# \(UUID().uuidString)\n" + prose
    let data = record.encoded()
    let fast = try #require(ClientRecord.fastDecode(data))
    #expect(fast.playbook.sha256 == record.playbook.sha256)
    #expect(fast.playbook.source == record.playbook.source)
    #expect(fast == (try JSONDecoder().decode(ClientRecord.self, from: data)))
    #expect(fast.encoded() == data)
    // A copy made before the text was asked for shares it; a changed text is another.
    let again = try #require(ClientRecord.fastDecode(data))
    let copy = again
    #expect(copy.playbook == again.playbook)
    var changed = again
    changed.playbook.source += "# more\n"
    #expect(changed.playbook != again.playbook)
    #expect(changed.playbook.sha256 == SHA256.hex(changed.playbook.source.utf8))
  }
}
