import CSV
import Foundation
import ProgrammeEngine
import SurveyCSV

/// `log --format csv`: one row per event, for auditors and spreadsheets.
enum AuditCSV {
  /// The header row; the columns of every row, in order.
  static let columns = [
    "time", "type", "by", "on behalf of", "role", "target", "note", "terms hash", "event hash",
  ]

  /// Whom the event was made for: the person the consultant or czar recorded it for, else
  /// the role holder a delegate acted for; empty when `by` acted in their own right.
  static func onBehalfOf(_ event: Event) -> String {
    switch (event.onBehalfOf, event.holder) {
    case let (other?, holder?): "\(other) (delegate of \(holder))"
    case let (other?, nil): other
    case let (nil, holder?): holder
    case (nil, nil): ""
    }
  }

  /// Who made the change; for one made in a session from a sign-in link someone else printed,
  /// with who printed it (`sid (signed in by a link carol printed)`), in this column because
  /// that is where a reader looks for who did it. The columns stay the fixed nine.
  static func by(_ event: Event) -> String {
    event.printedBy.map { "\(event.by) (signed in by a link \($0) printed)" } ?? event.by
  }

  /// The whole CSV text, RFC 4180: the header, one row per event, CRLF after every row.
  /// CSV.swift quotes a field that holds a comma, a quote or a line break, doubling quotes;
  /// a field a spreadsheet would take for a formula is written as text (`SpreadsheetCell`).
  static func text(of history: [Event]) throws -> String {
    let stream = OutputStream.toMemory()
    stream.open()
    let writer = try CSVWriter(stream: stream, newline: .crlf)
    try writer.write(row: columns)
    for event in history { try writer.write(row: row(event).map(SpreadsheetCell.text)) }
    stream.close()
    let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    // The writer ends a row only when another starts: end the last one too.
    return String(decoding: data, as: UTF8.self) + "\r\n"
  }

  /// One event's fields, in the order of `columns`.
  static func row(_ event: Event) -> [String] {
    let (role, target, terms) = subject(of: event.change)
    return [
      Timestamp.format(event.at), event.change.type, by(event), onBehalfOf(event), role, target, event.note ?? "",
      terms, HistoryChain.hash(of: event),
    ]
  }

  /// The role an event concerns, what it acts on, and the terms hash a signature records.
  private static func subject(of change: Change) -> (role: String, target: String, terms: String) {
    switch change {
    case let .started(client, _, _): ("", client, "")
    case let .sealed(sha256): ("", sha256, "")
    case let .assigned(role, person): (role, person, "")
    case let .completed(milestone), let .reopened(milestone), let .skipped(milestone): ("", milestone, "")
    case let .scheduled(item, date): ("", item + " on " + date, "")
    case let .signed(agreement, role, terms): (role, agreement, terms ?? "")
    case let .revoked(agreement, role): (role, agreement, "")
    case let .surveyImported(round, _), let .surveyWithdrawn(round), let .surveyClosed(round, _): ("", round, "")
    case let .surveyOpened(round, codes, closes):
      ("", round + (codes.map { ", \($0) links" } ?? ", one shared link") + (closes.map { ", closes \($0)" } ?? ""), "")
    case let .delegated(role, person, until): (role, person + " until " + until, "")
    case let .delegationEnded(role): (role, "", "")
    case .opportunitySet, .archived, .restored: ("", "", "")
    case let .upgraded(_, to): ("", "\(to.id) v\(to.version) \(to.sha256)", "")
    case let .metricRecorded(metric, value, date, _): ("", metric + " " + value + " on " + date, "")
    case let .joined(person, _, team, level): ("", person + " (" + team + (level.isEmpty ? "" : ", " + level) + ")", "")
    case let .left(person): ("", person, "")
    case let .acknowledged(agreement, terms): ("", agreement, terms ?? "")
    case let .affirmed(agreement, role, terms): (role, agreement, terms ?? "")
    }
  }
}
