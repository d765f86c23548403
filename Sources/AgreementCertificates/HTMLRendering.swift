import ProgrammeEngine

/// The readable HTML of a certificate, above its sealed JSON: a page that prints well, with
/// no script that runs (the JSON sits in a `<script type="application/json">` element,
/// which browsers do not execute). Every piece of text is escaped.
struct HTMLRendering {
  var text: String

  init(_ certificate: Certificate) {
    let agreement = certificate.agreement
    let escape = Self.escape
    var lines = [
      "<!DOCTYPE html>",
      "<html lang=\"en\">",
      "<head>",
      "<meta charset=\"utf-8\">",
      "<title>Certificate: \(escape(agreement.title))</title>",
      "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}"
        + "blockquote{white-space:pre-wrap}code{word-break:break-all}"
        + "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em}</style>",
      "</head>",
      "<body>",
      "<h1>Certificate: \(escape(agreement.title))</h1>",
      "<p>Agreement <code>\(escape(agreement.id))</code> of <strong>\(escape(certificate.client.name))</strong> "
        + "(client <code>\(escape(certificate.client.id))</code>), on playbook "
        + "<code>\(escape(certificate.playbook.id))</code> version \(certificate.playbook.version) "
        + "(sha256 <code>\(escape(certificate.playbook.sha256))</code>).</p>",
      "<h2>Terms</h2>",
    ]
    if let terms = agreement.terms {
      lines.append("<blockquote>\(escape(terms))</blockquote>")
    } else {
      lines.append("<p><em>This agreement has no terms beyond its title.</em></p>")
    }
    lines += [
      "<ul>",
      "<li>Signatories: \(escape(agreement.signatories.joined(separator: ", ")))</li>",
    ] + agreement.targets.map { "<li>Target: <code>\(escape($0.metric))</code> \(escape($0.value))</li>" } + [
      "<li>Terms hash (SHA-256 of the agreement's canonical content): <code>\(escape(agreement.termsHash))</code></li>",
      "</ul>",
      "<h2>Signatures</h2>",
      "<table>",
      "<tr><th>Role</th><th>Person</th><th>Signed at</th><th>Terms signed</th><th>Entered by</th>"
        + "<th>On behalf of</th><th>Note</th><th>Role held now</th></tr>",
    ]
    for signature in certificate.signatures {
      let cells = [
        signature.role, signature.person, signature.at, signature.terms ?? "(before terms were hashed)",
        signature.enteredBy + (signature.printedBy.map { ", signed in by a link \($0) printed" } ?? ""),
        signature.onBehalfOf ?? "", signature.note ?? "", signature.standing ?? "",
      ]
      lines.append("<tr>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>")
    }
    lines.append("</table>")
    if certificate.unsigned.isEmpty {
      lines.append("<p>Signed by every signatory.</p>")
    } else {
      lines.append("<p>Not signed (when issued) by: \(escape(certificate.unsigned.joined(separator: ", "))).</p>")
    }
    lines += [
      "<h2>Seal</h2>",
      "<ul>",
      "<li>History chain head at the last signature: <code>\(escape(certificate.chainHead))</code></li>",
      "<li>Issued \(escape(certificate.issuedAt)) by \(escape(certificate.issuedBy))</li>",
      "<li>Sealed with the firm's key <code>\(escape(certificate.key))</code></li>",
      "</ul>",
      "<p>The element below holds the sealed certificate; this page is rendered from it. "
        + "<code>accord verify</code> checks the seal and that the page still says what it does.</p>",
    ]
    text = lines.joined(separator: "\n") + "\n"
  }

  /// `text` for HTML and SVG (`Shown.html`).
  static func escape(_ text: String) -> String { Shown.html(text) }
}
