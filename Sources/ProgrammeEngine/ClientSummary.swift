import Foundation

/// What a list of clients shows of one (the CLI's `clients`, the portfolio page), worked out
/// from its programme once, so that a store can keep it beside the history as a projection
/// updated with each append, and a listing need not replay every history.
///
/// Nothing in it depends on the day it is read: the open items' due dates are kept as dates
/// in the workspace's zone (which the summary names), and how many are late is worked out
/// against the day the listing is for (`overdue(on:)`). Equal summaries from the projection
/// and from a full replay are what `check` compares.
public struct ClientSummary: Codable, Sendable, Equatable {
  public var client: String
  public var name: String
  /// The stage under way; nil when every stage is complete.
  public var stage: String?
  /// Per cent of milestones done.
  public var progress: Int
  /// How many next actions are open now.
  public var actions: Int
  public var archived: Bool
  /// Every stage is complete and recurring work goes on.
  public var sustaining: Bool
  /// The zone the dates are in; nil when the client has no dates (or is archived, when they
  /// are not shown).
  public var zone: String?
  /// The open items' due dates (days since 1970-01-01), earliest first.
  public var due: [Int]

  /// The summary of `programme`, its dates in `zone` (asked for only when it has dates).
  public init<Failure: Error>(_ programme: Programme, zone: () throws(Failure) -> TimeZone) throws(Failure) {
    client = programme.client
    name = programme.name
    stage = programme.currentStage(stages: programme.stageStates())?.id
    progress = programme.progress
    actions = programme.nextActions().actions.count
    archived = programme.archived != nil
    sustaining = programme.isSustaining
    if programme.hasDates, !archived {
      let zone = try zone()
      self.zone = zone.identifier
      due = programme.dueDates(in: zone).values.map(\.date.day).sorted()
    } else {
      self.zone = nil
      due = []
    }
  }

  /// How many open items are late on `today`.
  public func overdue(on today: CalendarDate) -> Int { due.count { $0 < today.day } }

  /// The earliest due date of an open item, late or not.
  public var nextDue: CalendarDate? { due.first.map(CalendarDate.init(day:)) }
}
