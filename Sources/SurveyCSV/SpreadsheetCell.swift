/// A cell of a CSV file Accord writes, as a spreadsheet must read it: as text, never as a
/// formula (OWASP's advice on CSV injection).
///
/// A spreadsheet treats a cell that begins with `=`, `+`, `-` or `@` as a formula, and one
/// that begins with a tab or a carriage return may be read as one after the spreadsheet trims
/// it; a name or a note typed by anyone could then run as a formula on the auditor's machine.
/// Such a cell is written with a single quote in front (`'=1+1`), which a spreadsheet shows
/// as the text that follows it; the quote stays in the file, where a program reading the CSV
/// sees it. Every other cell is written as it is.
public enum SpreadsheetCell {
  /// `text` as a CSV cell that a spreadsheet shows as text.
  public static func text(_ text: String) -> String {
    guard let first = text.utf8.first else { return text }
    switch first {
    case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return "'" + text
    default: return text
    }
  }
}
