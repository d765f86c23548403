import ProgrammeEngine

/// A JSON value as a certificate holds it, kept as parsed so that the seal is checked over
/// exactly what the file says, unknown keys included: a key added to a certificate breaks
/// its seal as surely as a key edited.
///
/// Numbers are whole numbers only (a certificate has no other kind); a fraction makes the
/// text not a certificate.
public enum JSONValue: Sendable, Hashable, Decodable {
  case null
  case bool(Bool)
  case integer(Int)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int.self) {
      self = .integer(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else if let value = try? container.decode([String: JSONValue].self) {
      self = .object(value)
    } else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "a number that is not whole")
    }
  }

  /// The canonical form: keys in the byte order of their UTF-8, no white space, strings
  /// escaped as `CanonicalJSON.string` escapes them (Python's `json.dumps(value,
  /// sort_keys=True, separators=(",", ":"), ensure_ascii=False)` writes the same for the
  /// ASCII keys a certificate has).
  public var canonical: String {
    var out = ""
    write(into: &out, indent: nil, htmlSafe: false)
    return out
  }

  /// Pretty-printed, two spaces an level, keys sorted as in `canonical`. `htmlSafe` writes
  /// `<`, `>` and `&` in strings as `\u003c`, `\u003e` and `\u0026`, the same JSON value,
  /// so that the text can sit inside an HTML `<script>` element without ending it.
  public func pretty(htmlSafe: Bool = false) -> String {
    var out = ""
    write(into: &out, indent: "", htmlSafe: htmlSafe)
    return out
  }

  private func write(into out: inout String, indent: String?, htmlSafe: Bool) {
    func string(_ text: String) -> String {
      let escaped = CanonicalJSON.string(text)
      guard htmlSafe else { return escaped }
      return escaped.replacingOccurrences(of: "&", with: "\\u0026")
        .replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
    }
    let inner = indent.map { $0 + "  " }
    let separator = indent == nil ? "," : ",\n"
    switch self {
    case .null: out += "null"
    case let .bool(value): out += value ? "true" : "false"
    case let .integer(value): out += String(value)
    case let .string(value): out += string(value)
    case let .array(values):
      guard !values.isEmpty else { return out += "[]" }
      out += indent == nil ? "[" : "[\n"
      for (position, value) in values.enumerated() {
        if position > 0 { out += separator }
        out += inner ?? ""
        value.write(into: &out, indent: inner, htmlSafe: htmlSafe)
      }
      out += indent.map { "\n" + $0 + "]" } ?? "]"
    case let .object(fields):
      guard !fields.isEmpty else { return out += "{}" }
      out += indent == nil ? "{" : "{\n"
      let keys = fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (position, key) in keys.enumerated() {
        if position > 0 { out += separator }
        out += (inner ?? "") + string(key) + (indent == nil ? ":" : ": ")
        fields[key]!.write(into: &out, indent: inner, htmlSafe: htmlSafe)
      }
      out += indent.map { "\n" + $0 + "}" } ?? "}"
    }
  }

  /// The value of `key` in an object; nil for a missing key or a value that is no object.
  public subscript(key: String) -> JSONValue? {
    guard case let .object(fields) = self else { return nil }
    return fields[key]
  }

  /// How many keys the objects in this value hold, nested ones included.
  var keyCount: Int {
    switch self {
    case .null, .bool, .integer, .string: 0
    case let .array(values): values.reduce(0) { $0 + $1.keyCount }
    case let .object(fields): fields.count + fields.values.reduce(0) { $0 + $1.keyCount }
    }
  }

  /// The object without `key`.
  func removing(_ key: String) -> JSONValue {
    guard case var .object(fields) = self else { return self }
    fields[key] = nil
    return .object(fields)
  }
}
