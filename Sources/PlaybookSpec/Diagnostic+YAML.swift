import Foundation
import Yams

extension Diagnostic {
  /// A YAML syntax error as one located diagnostic, without Yams' multi-line snippet:
  /// a diagnostic is one line, and editors show the line themselves.
  init(_ error: YamlError, file: String, text: String) {
    func at(_ mark: Mark) -> SourceLocation {
      SourceLocation(file: file, line: mark.line, column: mark.column)
    }
    let start = SourceLocation(file: file, line: 1, column: 1)
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      if problem == "but found another document" {
        self.init("a playbook file holds one YAML document, found a second one", at: at(mark))
        return
      }
      // libyaml stops at about 1000 levels (its default) before any recursion can overflow
      // the stack; its own words name a C function.
      let words =
        problem.hasPrefix("Maximum nesting level reached")
        ? "lists and mappings are nested too deep (the limit is about 1000 levels)" : problem
      var message = "invalid YAML: \(words)"
      if let context {
        message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
      }
      self.init(message, at: at(mark))
    case .duplicatedKeysInMapping(let duplicates, let context):
      self.init(duplicateKeys: duplicates, first: context.mark, file: file, text: text)
    case .reader(let problem, let offset, _, _):
      let location = offset.map { Self.location(ofCharacter: $0, in: text, file: file) }
      self.init("invalid text: \(problem)", at: location ?? start)
    default:
      self.init("could not read the playbook: \(error)", at: start)
    }
  }

  /// Yams reports where the first of the duplicated keys is; the mistake is the second
  /// one, so look for it: a sibling key sits at the same column further down, before the
  /// mapping ends (a line indented less). Flow mappings fall back to the first key.
  private init(duplicateKeys keys: [String], first: Mark, file: String, text: String) {
    let names = (keys.count == 1 ? "key " : "keys ") + keys.map(\.quoted).joined(separator: ", ")
    let key = keys.first ?? ""
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    let indent = first.column - 1
    for number in first.line..<max(first.line, lines.count) {
      let line = lines[number].unicodeScalars
      let leading = line.prefix { $0 == " " }.count
      guard leading < line.count, line.dropFirst(leading).first != "#" else { continue }
      if leading < indent { break }
      if leading == indent, Self.line(line.dropFirst(leading), startsWithKey: key) {
        let location = SourceLocation(file: file, line: number + 1, column: first.column)
        self.init(
          "duplicate \(names) (first at line \(first.line), column \(first.column))",
          at: location)
        return
      }
    }
    let location = SourceLocation(file: file, line: first.line, column: first.column)
    self.init("duplicate \(names) in this mapping", at: location)
  }

  private static func line(_ text: Substring.UnicodeScalarView, startsWithKey key: String) -> Bool {
    let rest = String(text)
    for spelling in [key, "'\(key)'", "\"\(key)\""] where rest.hasPrefix(spelling) {
      if rest.dropFirst(spelling.count).drop(while: { $0 == " " }).first == ":" { return true }
    }
    return false
  }

  /// Where data that is not UTF-8 goes wrong: the position of its first bad byte.
  static func invalidUTF8(_ data: Data, file: String) -> Diagnostic {
    var line = 1
    var column = 1
    var iterator = data.makeIterator()
    var decoder = UTF8()
    scan: while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        if scalar == "\n" {
          line += 1
          column = 1
        } else {
          column += 1
        }
      case .emptyInput, .error:
        break scan
      }
    }
    let location = SourceLocation(file: file, line: line, column: column)
    return Diagnostic("the playbook is not valid UTF-8 text; save it as UTF-8", at: location)
  }

  /// The line and column (in Unicode scalars, as libyaml counts) of the character at
  /// `offset`, which is how Yams reports reader errors.
  private static func location(
    ofCharacter offset: Int, in text: String, file: String
  ) -> SourceLocation {
    var line = 1
    var column = 1
    for character in text.prefix(offset) {
      if character.isNewline {
        line += 1
        column = 1
      } else {
        column += character.unicodeScalars.count
      }
    }
    return SourceLocation(file: file, line: line, column: column)
  }
}
