import PlaybookSpec

extension Agreement {
  /// The agreement's canonical content: what a signature is bound to.
  ///
  /// One JSON object with exactly the keys `id`, `signatories` (the signatory role ids, in
  /// the playbook's order), `terms` (the text, or `null` when the agreement has none) and
  /// `title`, keys in byte order, no white space, strings escaped as `CanonicalJSON.string`
  /// escapes them, encoded as UTF-8. docs/state-format.md gives a worked example.
  public var canonicalContent: String {
    Self.canonicalContent(id: id, title: title, terms: terms, signatories: signatories.map(\.id))
  }

  /// The lowercase hex SHA-256 of `canonicalContent`: the `terms` a signature records.
  public var termsHash: String { SHA256.hex(canonicalContent.utf8) }

  /// The canonical content of an agreement given as its parts, for a copy of the agreement
  /// held outside any playbook (a certificate's), so that its hash is computed the one way.
  public static func canonicalContent(id: String, title: String, terms: String?, signatories: [String]) -> String {
    var text = "{\"id\":" + CanonicalJSON.string(id)
    text += ",\"signatories\":[" + signatories.map(CanonicalJSON.string).joined(separator: ",")
    text += "],\"terms\":" + (terms.map(CanonicalJSON.string) ?? "null")
    text += ",\"title\":" + CanonicalJSON.string(title) + "}"
    return text
  }

  /// The terms hash of an agreement given as its parts (see `canonicalContent(id:...)`).
  public static func termsHash(id: String, title: String, terms: String?, signatories: [String]) -> String {
    SHA256.hex(canonicalContent(id: id, title: title, terms: terms, signatories: signatories).utf8)
  }
}

/// The one way Accord writes text into content it hashes, so that anyone can recompute a
/// hash with any JSON library that escapes the same way (Python's
/// `json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)` does).
public enum CanonicalJSON {
  /// `text` as a JSON string: `"` and `\` escaped with a backslash; backspace, form feed,
  /// newline, carriage return and tab as `\b`, `\f`, `\n`, `\r`, `\t`; other characters
  /// below U+0020 as `\u00XX` (lowercase hex); everything else, `/` and all non-ASCII
  /// included, as it is.
  public static func string(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
