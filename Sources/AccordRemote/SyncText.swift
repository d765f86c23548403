import Foundation
import ProgrammeEngine

/// How sync names things for people: a change made on the copy, and how long ago.
package enum SyncText {
  /// `complete stakeholder-map on acme (made 2026-12-07T10:02:00Z)`: the command that made
  /// the change, near enough to do it again, and when.
  package static func describe(_ event: Event, client: String) -> String {
    let what: String
    switch event.change {
    case let .completed(milestone): what = "complete \(milestone)"
    case let .reopened(milestone): what = "reopen \(milestone)"
    case let .signed(agreement, role, _): what = "sign \(agreement) as \(role)"
    case let .revoked(agreement, role): what = "revoke \(agreement) for \(role)"
    case let .assigned(role, person): what = "assign \(role) to \(person)"
    case let .acknowledged(agreement, _): what = "acknowledge \(agreement)"
    case let .affirmed(agreement, role, _): what = "affirm \(agreement) as \(role)"
    case let .scheduled(item, date): what = "schedule \(item) for \(date)"
    case let .skipped(milestone): what = "skip \(milestone)"
    case let .surveyImported(round, responses): what = "survey import \(round) (\(responses.count) responses)"
    case let .metricRecorded(metric, value, date, _): what = "metric record \(metric) \(value) for \(date)"
    case let .joined(person, _, team, _): what = "people import: \(person) in \(team)"
    case let .left(person): what = "people remove \(person)"
    case let .delegated(role, person, until): what = "delegate \(role) to \(person) until \(until)"
    case let .delegationEnded(role): what = "end the delegation of \(role)"
    case let .surveyWithdrawn(round): what = "survey withdraw \(round)"
    case .opportunitySet: what = "opportunity set"
    case .archived: what = "archive"
    case .restored: what = "restore"
    case let .upgraded(_, to): what = "upgrade to \(to.id) v\(to.version)"
    default: what = event.change.type
    }
    let behalf = event.onBehalfOf.map { " for \($0)" } ?? ""
    return "\(what) on \(client)\(behalf) (made \(Timestamp.format(event.at)))"
  }

  /// `3 hours ago`, from an ISO 8601 time to `now`.
  package static func age(since text: String, now: Date = Date()) -> String {
    guard let then = Timestamp.parse(text) else { return "at \(text)" }
    let seconds = max(0, Int(now.timeIntervalSince(then)))
    let (amount, unit): (Int, String) =
      switch seconds {
      case ..<60: (seconds, "second")
      case ..<3_600: (seconds / 60, "minute")
      case ..<86_400: (seconds / 3_600, "hour")
      default: (seconds / 86_400, "day")
      }
    return "\(amount) \(unit)\(amount == 1 ? "" : "s") ago"
  }
}
