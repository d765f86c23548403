import PlaybookSpec

extension Agreement {
  /// The agreement's canonical content: what a signature is bound to.
  ///
  /// One JSON object with exactly the keys `id`, `signatories` (the signatory role ids, in
  /// the playbook's order), `terms` (the text, or `null` when the agreement has none) and
  /// `title`, keys in byte order, no white space, strings escaped as `CanonicalJSON.string`
  /// escapes them, encoded as UTF-8. An agreement with metric targets has a `targets` key
  /// too (between `signatories` and `terms`): an object of metric ids to the target as
  /// canonical decimal text (`Quantity`), keys in byte order. Without targets the key is
  /// absent, so the hash of every agreement from before targets is as it was.
  /// docs/state-format.md gives a worked example.
  public var canonicalContent: String {
    Self.canonicalContent(
      id: id, title: title, terms: terms, signatories: signatories.map(\.id),
      targets: targets.map { ($0.metric.id, $0.value.text) })
  }

  /// The lowercase hex SHA-256 of `canonicalContent`: the `terms` a signature records.
  public var termsHash: String { SHA256.hex(canonicalContent.utf8) }

  /// The canonical content of an agreement given as its parts, for a copy of the agreement
  /// held outside any playbook (a certificate's), so that its hash is computed the one way.
  /// `targets` pairs metric ids with their targets' canonical text, in any order.
  public static func canonicalContent(
    id: String, title: String, terms: String?, signatories: [String], targets: [(metric: String, value: String)] = []
  ) -> String {
    var text = "{\"id\":" + CanonicalJSON.string(id)
    text += ",\"signatories\":[" + signatories.map(CanonicalJSON.string).joined(separator: ",") + "]"
    if !targets.isEmpty {
      let sorted = targets.sorted { $0.metric.utf8.lexicographicallyPrecedes($1.metric.utf8) }
      text += ",\"targets\":{"
        + sorted.map { CanonicalJSON.string($0.metric) + ":" + CanonicalJSON.string($0.value) }.joined(separator: ",")
        + "}"
    }
    text += ",\"terms\":" + (terms.map(CanonicalJSON.string) ?? "null")
    text += ",\"title\":" + CanonicalJSON.string(title) + "}"
    return text
  }

  /// The terms hash of an agreement given as its parts (see `canonicalContent(id:...)`).
  public static func termsHash(
    id: String, title: String, terms: String?, signatories: [String], targets: [(metric: String, value: String)] = []
  ) -> String {
    SHA256.hex(canonicalContent(id: id, title: title, terms: terms, signatories: signatories, targets: targets).utf8)
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
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count + 2)
    append(text, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `text` to `bytes` as `string(_:)` writes it. JSONEncoder escapes exactly these
  /// characters the same way, so the store's `JSONWriter` writes every string of a client
  /// file and of `--json` output through this too.
  public static func append(_ text: String, to bytes: inout [UInt8]) {
    // Byte by byte over the UTF-8, copying the runs that need no escape in one go: every
    // character to escape is ASCII, and every byte of a non-ASCII character is 0x80 or
    // above, so those pass through whole. A scalar at a time, appending to a String, this
    // was about a hundred instructions a character, and an agreement's terms are
    // paragraphs, hashed again at every signature a history replays.
    bytes.append(UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { utf8 in
      var run = 0
      for index in utf8.indices {
        let byte = utf8[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
        run = index + 1
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
          let hex = Array("0123456789abcdef".utf8)
          bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
