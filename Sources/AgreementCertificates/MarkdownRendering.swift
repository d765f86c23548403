import Foundation
import ProgrammeEngine

/// The readable Markdown of a certificate, above its sealed JSON. Every piece of text from
/// the client's record is escaped, so a name or a note cannot add headings, links or
/// table cells of its own.
struct MarkdownRendering {
  var text: String

  init(_ certificate: Certificate) {
    let agreement = certificate.agreement
    var lines = [
      "# Certificate: \(Self.inline(agreement.title))",
      "",
      "Agreement `\(Self.code(agreement.id))` of **\(Self.inline(certificate.client.name))** "
        + "(client `\(Self.code(certificate.client.id))`), on playbook `\(Self.code(certificate.playbook.id))` "
        + "version \(certificate.playbook.version) (sha256 `\(Self.code(certificate.playbook.sha256))`).",
      "",
      "## Terms",
      "",
    ]
    if let terms = agreement.terms {
      lines += Self.paragraphLines(terms).map { $0.isEmpty ? ">" : "> " + Self.inline($0) }
    } else {
      lines.append("*This agreement has no terms beyond its title.*")
    }
    lines += [
      "",
      "- Signatories: \(agreement.signatories.map { Self.inline($0) }.joined(separator: ", "))",
    ] + agreement.targets.map { "- Target: `\(Self.code($0.metric))` \(Self.inline($0.value))" } + [
      "- Terms hash (SHA-256 of the agreement's canonical content): `\(Self.code(agreement.termsHash))`",
      "",
      "## Signatures",
      "",
      "| Role | Person | Signed at | Terms signed | Entered by | On behalf of | Note | Role held now |",
      "|---|---|---|---|---|---|---|---|",
    ]
    for signature in certificate.signatures {
      let cells = [
        signature.role, signature.person, signature.at, signature.terms ?? "(before terms were hashed)",
        signature.enteredBy + (signature.printedBy.map { ", signed in by a link \($0) printed" } ?? ""),
        signature.onBehalfOf ?? "", signature.note ?? "", signature.standing ?? "",
      ]
      lines.append("| " + cells.map(Self.cell).joined(separator: " | ") + " |")
    }
    lines.append("")
    if certificate.unsigned.isEmpty {
      lines.append("Signed by every signatory.")
    } else {
      lines.append("Not signed (when issued) by: \(certificate.unsigned.map { Self.inline($0) }.joined(separator: ", ")).")
    }
    lines += [
      "",
      "## Seal",
      "",
      "- History chain head at the last signature: `\(Self.code(certificate.chainHead))`",
      "- Issued \(Self.inline(certificate.issuedAt)) by \(Self.inline(certificate.issuedBy))",
      "- Sealed with the firm's key `\(Self.code(certificate.key))`",
      "",
      "The block below is the sealed certificate; the text above is rendered from it. "
        + "`accord verify` checks the seal and that the text above still says what the block does.",
      "",
    ]
    text = lines.joined(separator: "\n") + "\n"
  }

  /// The lines of a free text, with Windows and old Mac line ends as plain ones.
  static func paragraphLines(_ text: String) -> [String] {
    let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    return lines.last == "" ? Array(lines.dropLast()) : lines
  }

  /// Text with Markdown's punctuation escaped, on one line.
  static func inline(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "!", "&": out += "\\" + String(character)
      case "\n", "\r", "\t", "\r\n": out += " "
      // Any other control character, or a bidirectional override, shown as `\u{1B}`.
      default: out += Shown.inNote(character)
      }
    }
    return out
  }

  /// Text for inside backticks: a backtick cannot be escaped there, so it is replaced.
  static func code(_ text: String) -> String {
    String(text.map { $0 == "`" || $0.isNewline ? "'" : $0 })
  }

  /// A table cell: escaped, and never empty-looking.
  static func cell(_ text: String) -> String { inline(text) }
}
