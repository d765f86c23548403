import AccordKit
import Foundation

/// `survey open --out`: the links as CSV (one a row, numbered, nothing else: no name goes
/// with a link) and a printable page beside it, one link a slip to cut out and hand over.
enum SurveyLinks {
  /// The printable page's path: FILE with `.html` in place of its extension.
  static func htmlPath(_ csv: String) -> String {
    let url = URL(fileURLWithPath: csv)
    let base = url.pathExtension.isEmpty ? csv : String(csv.dropLast(url.pathExtension.count + 1))
    return base + ".html"
  }

  /// Writes both files, neither replacing an existing file without `force`.
  static func write(_ links: [String], csv: String, title: String, closes: String?, force: Bool) throws {
    let rows = ["number,link"] + links.enumerated().map { "\($0 + 1),\($1)" }
    try OutputFile(path: csv, force: force).write(rows.joined(separator: "\r\n") + "\r\n")
    try OutputFile(path: htmlPath(csv), force: force).write(page(links, title: title, closes: closes))
  }

  static func page(_ links: [String], title: String, closes: String?) -> String {
    let closing = closes.map { " It takes answers until the end of \($0) (UTC)." } ?? ""
    let slips = links.map { link in
      """
          <div class="slip"><p>Please answer the collaboration survey. Your answers are anonymous: this \
      link carries no name, and works once.\(closing)</p><p class="link">\(escaped(link))</p></div>
      """
    }
    return """
      <!doctype html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>\(escaped(title))</title>
      <style>
      body { font-family: sans-serif; margin: 1cm; }
      .slip { border-bottom: 1px dashed #888; padding: 0.6cm 0; page-break-inside: avoid; }
      .link { font-family: monospace; font-size: 1.1em; word-break: break-all; }
      </style>
      </head>
      <body>
      <h1>\(escaped(title))</h1>
      <p>One slip per person: cut along the dashed lines and hand them out at random.</p>
      \(slips.joined(separator: "\n"))
      </body>
      </html>

      """
  }

  private static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
