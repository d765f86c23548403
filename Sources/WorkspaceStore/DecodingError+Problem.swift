import Foundation

extension DecodingError {
  /// The error in words, starting with where in `data` it is, for example
  /// `events[12].at: '2026-13-01T09:00:00Z' is not a UTC time of the form ...`.
  ///
  /// JSONDecoder's own messages name Swift types and coding keys; a consultant looking at
  /// a broken file needs the JSON path they can find in an editor and what should be there.
  func problem(in data: Data) -> String {
    switch self {
    case let .keyNotFound(key, context):
      return located(context.codingPath, "missing field '\(key.stringValue)'")
    case let .valueNotFound(type, context):
      return located(context.codingPath, "is null, expected \(Self.describe(type))")
    case let .typeMismatch(type, context):
      // Foundation's text ends "but found a string instead"; keep what was found.
      let found = context.debugDescription.firstMatch(of: /but found (.+) instead/)
        .map { ", found " + Self.describeFound(String($0.1)) }
      return located(context.codingPath, "expected \(Self.describe(type))" + (found ?? ""))
    case let .dataCorrupted(context):
      guard context.codingPath.isEmpty else {
        return located(context.codingPath, context.debugDescription)
      }
      // Foundation also reports a number that does not fit (1.5 or 1e30 where a whole
      // number belongs) as "not valid JSON", without a path, although the JSON parses.
      return Self.syntaxProblem(in: data)
        ?? "a number does not fit its field, for example a fraction or a huge number "
        + "where a whole number belongs (the JSON reader does not say where)"
    @unknown default:
      return String(describing: self)
    }
  }

  /// What is wrong with the JSON syntax, or `nil` if it parses.
  ///
  /// JSONDecoder only says the data is not JSON; JSONSerialization says where, as a byte
  /// offset, which we turn into the line and column an editor shows.
  private static func syntaxProblem(in data: Data) -> String? {
    let detail: String?
    do {
      _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
      return nil
    } catch {
      detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
    }
    guard var text = detail else { return "not valid JSON" }
    if text.hasSuffix(".") { text.removeLast() }
    if let match = text.firstMatch(of: /around character (\d+)/), let offset = Int(match.1) {
      let before = data.prefix(offset)
      let line = before.count { $0 == UInt8(ascii: "\n") } + 1
      let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
      text.replaceSubrange(match.range, with: "at line \(line), column \(column)")
    }
    return "not valid JSON: " + text.prefix(1).lowercased() + text.dropFirst()
  }

  private func located(_ path: [any CodingKey], _ message: String) -> String {
    path.isEmpty ? message : "\(Self.render(path)): \(message)"
  }

  /// `events[12].at`: array positions as `[n]`, object keys joined with dots.
  static func render(_ path: [any CodingKey]) -> String {
    var text = ""
    for key in path {
      // Array positions come as keys named "Index n"; a dictionary key that happens to be
      // a number has an intValue too, but keeps its own name.
      if let index = key.intValue, key.stringValue == "Index \(index)" {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : "." + key.stringValue
      }
    }
    return text
  }

  /// Foundation's words for what it found ("a string", "number", "a dictionary") in the
  /// words `describe` uses for what was expected.
  private static func describeFound(_ found: String) -> String {
    switch found.replacing(#/^an? /#, with: "") {
    case "string": "text"
    case "number": "a number"
    case "bool": "true or false"
    case "array": "a list"
    case "dictionary": "an object"
    case "null": "null"
    default: found
    }
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "text"
    case is Int.Type: "a whole number"
    case is Double.Type: "a number"
    case is Bool.Type: "true or false"
    case is [Any].Type: "a list"
    case is [String: Any].Type: "an object"
    default: "a value of type \(type)"
    }
  }
}
