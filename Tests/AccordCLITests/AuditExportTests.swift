import CSV
import Foundation
import Testing

/// `accord log CLIENT --format csv`: one row per event, read back by a CSV reader exactly,
/// however awkward the notes.
@Suite("Commands: the audit export")
struct AuditExportTests {
  static let awkward = [
    "commas, and \"quotes\", both",
    "two\nlines",
    "windows\r\nline end",
    "=SUM(A1:A2) and a trailing space ",
  ]

  @Test func theExportRoundTripsThroughACSVReader() throws {
    let accord = try AccordBinary()
    #expect(try accord("start", "acme", "--name", "Acme, \"the\" Ltd").status == 0)
    #expect(try accord("assign", "acme", "czar", "carol", "--note", Self.awkward[0]).status == 0)
    #expect(try accord("assign", "acme", "sales-manager", "sean", "--note", Self.awkward[1]).status == 0)
    #expect(try accord("complete", "acme", "stakeholder-map", "--note", Self.awkward[2]).status == 0)
    #expect(try accord("complete", "acme", "sales-baseline", "--note", Self.awkward[3], as: "sean").status == 0)

    let run = try accord("log", "acme", "--format", "csv")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.hasSuffix("\r\n"))
    let reader = try CSVReader(string: run.stdout, hasHeaderRow: false)
    var rows: [[String]] = []
    while let row = reader.next() { rows.append(row) }
    #expect(reader.error == nil)

    let events = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(rows.count == events.count + 1)
    #expect(rows.first == ["time", "type", "by", "on behalf of", "role", "target", "note", "terms hash", "event hash"])
    for (position, (row, event)) in zip(rows.dropFirst(), events).enumerated() {
      #expect(row.count == 9)
      #expect(row[0] == event["at"] as? String)
      #expect(row[1] == event["type"] as? String)
      #expect(row[2] == event["by"] as? String)
      #expect(row[3] == "")
      // A note a spreadsheet would take for a formula is written after a single quote, as text.
      let note = event["note"] as? String ?? ""
      #expect(row[6] == (note.hasPrefix("=") ? "'" + note : note))
      #expect(row[8].count == 64)
      // Each event's hash is what the next event links to.
      if position + 1 < events.count {
        #expect(events[position + 1]["previous"] as? String == row[8])
      }
    }
    #expect(rows.dropFirst().map { $0[6] } == [""] + Self.awkward.dropLast() + ["'" + Self.awkward[3]])
    #expect(rows[2][4...5] == ["czar", "carol"])
    #expect(rows[4][4...5] == ["", "stakeholder-map"])
  }

  @Test func formatAndJSONAgreeOrTheCommandIsRefused() throws {
    let accord = try AccordBinary()
    #expect(try accord("start", "acme").status == 0)
    let json = try accord("log", "acme", "--json")
    #expect(try accord("log", "acme", "--format", "json").stdout == json.stdout)
    #expect(try accord("log", "acme", "--format", "json", "--json").stdout == json.stdout)
    #expect(try accord("log", "acme", "--format", "text").stdout == (try accord("log", "acme")).stdout)
    let clash = try accord("log", "acme", "--format", "csv", "--json")
    #expect(clash.status == 64)
    #expect(try accord("log", "acme", "--format", "xml").status == 64)
  }
}
