import CollaborationBenchmark
import Foundation
import OpportunityCalculator
import PlaybookSpec
import ProgrammeEngine

/// Everything the client report shows, gathered once from a programme: where it stands on
/// one day, the benchmark as `accord benchmark` measures it, the opportunity and the metrics.
///
/// The report is a pure function of these values, so the same client on the same `asOf`
/// gives the same bytes (the command, the page and the API route all render it from here).
/// Nothing in it reads the clock: the only day it knows is `asOf`.
package struct ClientReport {
  package var programme: Programme
  /// The programme's due dates, judged on `asOf`.
  package var dates: ItemDates
  /// The day the report is as of: `--as-of`, else today in the workspace's zone.
  package var asOf: CalendarDate
  /// The latest counted survey round measured exactly as `benchmark` measures it (its
  /// anonymity rule included); nil when no round counts.
  package var measurement: RoundMeasurement?

  package init(programme: Programme, dates: ItemDates, asOf: CalendarDate) {
    self.programme = programme
    self.dates = dates
    self.asOf = asOf
    // The benchmark's own computation (`RoundMeasurement.of`): hidden groups are hidden
    // here exactly as `accord benchmark` and the API hide them. No round is no section.
    measurement = try? RoundMeasurement.of(programme, round: nil)
  }

  /// The items overdue on `asOf`, earliest first (then by kind and id, so the order never
  /// depends on a dictionary's).
  var overdue: [DueDate] {
    dates.byItem.values.filter { $0.daysLeft(from: dates.today) < 0 }
      .sorted { ($0.date, $0.kind.rawValue, $0.item) < ($1.date, $1.kind.rawValue, $1.item) }
  }

  /// The items with a date that are not overdue, soonest first.
  var upcoming: [DueDate] {
    dates.byItem.values.filter { $0.daysLeft(from: dates.today) >= 0 }
      .sorted { ($0.date, $0.kind.rawValue, $0.item) < ($1.date, $1.kind.rawValue, $1.item) }
  }

  /// The calculation with the stored inputs; nil when none are stored.
  var opportunity: (result: Opportunity, setting: OpportunitySetting)? {
    programme.opportunity.map { (Opportunity($0.inputs), $0) }
  }
}
