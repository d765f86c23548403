import Foundation

/// Text made safe for mail headers and bodies. Nothing from a client's file or a person's
/// name ever reaches a header raw: control characters become spaces, anything beyond
/// printable ASCII is an RFC 2047 encoded word, and long values are folded, so no name can
/// end a header line and start another (header injection).
package enum MailText {
  /// A plain-text message as Accord writes every one, each line ending in CRLF: `opening`
  /// (Date, From, To), then the subject, the id, UTF-8 text in quoted-printable, and the
  /// mark of a message written by a program (RFC 3834: autoresponders do not answer it).
  package static func message(opening: [String], subject: String, messageID: String, body: String) -> String {
    let headers = opening + [
      "Subject: \(unstructured(subject))",
      "Message-ID: \(messageID)",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "Auto-Submitted: auto-generated",
    ]
    return headers.map { $0 + "\r\n" }.joined() + "\r\n" + quotedPrintable(body)
  }

  /// `text` on one line: every control, line or paragraph separator a space.
  package static func oneLine(_ text: String) -> String {
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.properties.generalCategory {
      case .control, .lineSeparator, .paragraphSeparator: result.append(" ")
      default: result.append(scalar)
      }
    }
    return String(result)
  }

  /// An unstructured header value (a Subject): printable ASCII folded at spaces, else
  /// encoded words. Contains no CR or LF except in a fold (`CRLF` then a space).
  static func unstructured(_ value: String) -> String {
    let text = oneLine(value)
    let words = text.split(separator: " ", omittingEmptySubsequences: false)
    let ascii = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    guard ascii, words.allSatisfy({ $0.utf8.count <= 70 }), !text.contains("=?") else {
      return encodedWords(text)
    }
    var lines: [String] = []
    for word in words {
      if let last = lines.last, last.utf8.count + 1 + word.utf8.count <= 70 {
        lines[lines.count - 1] = last + " " + word
      } else {
        lines.append(String(word))
      }
    }
    return lines.joined(separator: "\r\n ")
  }

  /// A display name before an address: a quoted string when it is plain ASCII, else
  /// encoded words.
  static func displayName(_ name: String) -> String {
    let text = oneLine(name)
    let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    if plain, text.utf8.count <= 60, !text.contains("=?") { return "\"\(text)\"" }
    return encodedWords(text)
  }

  /// RFC 2047 `=?utf-8?B?...?=` words of at most 75 characters, folded onto lines of their
  /// own, never splitting a character.
  static func encodedWords(_ text: String) -> String {
    var words: [String] = []
    var chunk: [UInt8] = []
    for character in text {
      let bytes = Array(String(character).utf8)
      if !chunk.isEmpty, chunk.count + bytes.count > 45 {
        words.append(word(chunk))
        chunk = []
      }
      chunk += bytes
    }
    if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
    return words.joined(separator: "\r\n ")
  }

  private static func word(_ bytes: [UInt8]) -> String {
    "=?utf-8?B?" + Data(bytes).base64EncodedString() + "?="
  }

  /// `text` (lines ending in `\n`) as quoted-printable with CRLF line ends: lines of at most
  /// 76 characters, `=` and everything beyond printable ASCII encoded, as is a space or tab
  /// ending a line and a `.` starting one.
  static func quotedPrintable(_ text: String) -> String {
    var output: [String] = []
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    for line in lines {
      let bytes = Array(line.utf8)
      var encoded: [String] = []
      for (position, byte) in bytes.enumerated() {
        let last = position == bytes.count - 1
        let literal =
          (byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "=") && !(position == 0 && byte == UInt8(ascii: ".")))
          || ((byte == 0x20 || byte == 0x09) && !last)
        encoded.append(literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte))
      }
      var current = ""
      for piece in encoded {
        if current.utf8.count + piece.utf8.count > 75 {
          output.append(current + "=")
          current = ""
        }
        current += piece
      }
      output.append(current)
    }
    return output.map { $0 + "\r\n" }.joined()
  }
}
