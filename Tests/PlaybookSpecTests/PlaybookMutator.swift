import SeededRandom
import Foundation

/// Seeded mutations of playbook text of the kinds people and tools really make: bytes
/// flipped or lost, lines duplicated, indentation broken, YAML punctuation dropped in.
struct PlaybookMutator {
  enum Kind: String, CaseIterable {
    case byteFlip, deletion, duplicatedLine, brokenIndentation, strayPunctuation
  }

  var random: SeededRandom

  /// `original` with one to three mutations, and the kinds applied.
  mutating func mutate(_ original: [UInt8]) -> (bytes: [UInt8], kinds: [Kind]) {
    var bytes = original
    var kinds: [Kind] = []
    for _ in 0..<Int.random(in: 1...3, using: &random) {
      let kind = Kind.allCases.randomElement(using: &random)!
      kinds.append(kind)
      apply(kind, to: &bytes)
    }
    return (bytes, kinds)
  }

  private mutating func apply(_ kind: Kind, to bytes: inout [UInt8]) {
    guard !bytes.isEmpty else { return }
    let at = Int.random(in: 0..<bytes.count, using: &random)
    switch kind {
    case .byteFlip:
      bytes[at] ^= UInt8.random(in: 1...255, using: &random)
    case .deletion:
      bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &random)))
    case .duplicatedLine:
      let line = lineRange(around: at, in: bytes)
      bytes.insert(contentsOf: bytes[line], at: line.lowerBound)
    case .brokenIndentation:
      let start = lineRange(around: at, in: bytes).lowerBound
      switch Int.random(in: 0..<3, using: &random) {
      case 0: bytes.insert(contentsOf: Array(repeating: 0x20, count: Int.random(in: 1...3, using: &random)), at: start)
      case 1: if bytes[start] == 0x20 { bytes.remove(at: start) }
      default: bytes.insert(0x09, at: start)  // a tab, which YAML never allows as indentation
      }
    case .strayPunctuation:
      let pieces = [":", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "|", ">", "? ", "#", "'", "\"", "%YAML 1.1\n", "---\n", "...\n", "<<: *a\n"]
      bytes.insert(contentsOf: Array(pieces.randomElement(using: &random)!.utf8), at: at)
    }
  }

  /// The line holding `index`, with its line break.
  private func lineRange(around index: Int, in bytes: [UInt8]) -> Range<Int> {
    let start = bytes[..<index].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
    let end = bytes[index...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
    return start..<end
  }
}

/// How many lines YAML sees in `bytes`: libyaml breaks lines at LF, CR, CR LF and the
/// Unicode line breaks NEL, LS and PS.
func yamlLineCount(_ bytes: [UInt8]) -> Int {
  var lines = 1
  var index = 0
  while index < bytes.count {
    switch bytes[index] {
    case 0x0A: lines += 1
    case 0x0D: if index + 1 >= bytes.count || bytes[index + 1] != 0x0A { lines += 1 }
    case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85: lines += 1
    case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
      lines += 1
    default: break
    }
    index += 1
  }
  return lines
}
