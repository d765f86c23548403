import Foundation

/// A certificate file taken apart: its form, the sealed JSON and, for Markdown and HTML,
/// the readable text around it.
public struct CertificateDocument: Sendable {
  public var format: CertificateFormat
  /// The embedded or whole JSON, as parsed.
  public var payload: JSONValue
  /// The text before the embedded JSON and the text after it (empty for JSON).
  var visible: (before: String, after: String)
  /// The line of the file the text after the embedded JSON starts on.
  var afterLine: Int

  /// The file's text for `sealed` in `format`.
  public static func render(_ sealed: SealedCertificate, as format: CertificateFormat) -> String {
    switch format {
    case .json:
      return sealed.value.pretty() + "\n"
    case .md, .html:
      let frame = frame(sealed.certificate, format)
      return frame.before + sealed.value.pretty(htmlSafe: format == .html) + "\n" + frame.after
    }
  }

  /// The readable text before and after the embedded JSON.
  static func frame(_ certificate: Certificate, _ format: CertificateFormat) -> (before: String, after: String) {
    switch format {
    case .json: ("", "")
    case .md: (MarkdownRendering(certificate).text + Self.markdownOpening, Self.markdownClosing)
    case .html: (HTMLRendering(certificate).text + Self.htmlOpening, Self.htmlClosing)
    }
  }

  static let markdownOpening = "```accord-certificate\n"
  static let markdownClosing = "```\n"
  static let htmlOpening = "<script type=\"application/json\" id=\"accord-certificate\">\n"
  static let htmlClosing = "</script>\n</body>\n</html>\n"

  /// Takes a file's text apart; the error says why it is not a certificate.
  public init(text: String) throws(CertificateFormatError) {
    let trimmed = text.drop { $0.isWhitespace }
    guard !trimmed.isEmpty else { throw CertificateFormatError("the file is empty") }
    let payloadText: Substring
    if trimmed.first == "{" {
      format = .json
      payloadText = Substring(text)
      visible = ("", "")
      afterLine = 1
    } else {
      let isHTML = text.range(of: Self.htmlOpening) != nil
      format = isHTML ? .html : .md
      let (opening, closing) = isHTML ? (Self.htmlOpening, "</script>") : (Self.markdownOpening, "\n```")
      guard let start = text.range(of: opening, options: .backwards) else {
        throw CertificateFormatError("no sealed certificate in it (no JSON, no ```accord-certificate block, no accord-certificate script element)")
      }
      guard let end = text.range(of: closing, range: start.upperBound..<text.endIndex) else {
        throw CertificateFormatError("its sealed certificate block is not closed")
      }
      // Markdown's closing fence is on a line of its own: the newline before it is the JSON's.
      let payloadEnd = isHTML ? end.lowerBound : text.index(after: end.lowerBound)
      payloadText = text[start.upperBound..<payloadEnd]
      visible = (String(text[..<start.upperBound]), String(text[payloadEnd...]))
      afterLine = text[..<payloadEnd].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }
    do {
      payload = try JSONDecoder().decode(JSONValue.self, from: Data(payloadText.utf8))
    } catch {
      throw CertificateFormatError(format == .json ? "it is not JSON" : "its sealed certificate block is not JSON")
    }
    // JSON readers disagree on a repeated key (Foundation keeps the first, Python the last),
    // so a certificate that repeats one could verify here and read otherwise elsewhere.
    guard Self.keyCount(in: payloadText) == payload.keyCount else {
      throw CertificateFormatError("its JSON repeats a key within an object, so it can be read two ways")
    }
    guard case .object = payload, payload["format"] != nil else {
      throw CertificateFormatError("its JSON has no 'format' of an Accord certificate")
    }
  }

  /// How many object keys a JSON text holds: every string followed by a colon is one.
  static func keyCount(in text: Substring) -> Int {
    var count = 0
    var inString = false
    var escaped = false
    var afterString = false
    for byte in text.utf8 {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
          afterString = true
        }
        continue
      }
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
      case UInt8(ascii: ":") where afterString: count += 1
      case UInt8(ascii: "\""): inString = true
      default: break
      }
      afterString = false
    }
    return count
  }

  /// Where the readable text differs from the text rendered from `certificate`: the first
  /// line that differs, as the file numbers it, with what each says; nil when they agree.
  func visibleDifference(from certificate: Certificate) -> (line: Int, sealed: String, found: String)? {
    guard format != .json else { return nil }
    let expected = Self.frame(certificate, format)
    if let line = Self.firstDifference(expected.before, visible.before, firstLine: 1) { return line }
    return Self.firstDifference(expected.after, visible.after, firstLine: afterLine)
  }

  private static func firstDifference(_ expected: String, _ found: String, firstLine: Int)
    -> (line: Int, sealed: String, found: String)?
  {
    guard expected != found else { return nil }
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let foundLines = found.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(expectedLines.count, foundLines.count) {
      let sealed = index < expectedLines.count ? String(expectedLines[index]) : "(nothing)"
      let line = index < foundLines.count ? String(foundLines[index]) : "(nothing)"
      if sealed != line { return (firstLine + index, sealed, line) }
    }
    return nil
  }
}
