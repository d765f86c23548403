import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// A listing's view of one client, kept as a projection: what it says must not depend on
/// the day it was worked out, only on the day it is read for.
@Suite("Programme: client summary")
struct ClientSummaryTests {
  @Test func theSummaryNamesTheStageProgressActionsAndTheOpenItemsDates() throws {
    var programme = try TimeTests.started()
    try programme.apply(Event(.completed(milestone: "map"), by: "alice", at: TimeTests.at(days: 2)))
    var zoneAsked = 0
    let summary = ClientSummary(programme) {
      zoneAsked += 1
      return TimeTests.utc
    }
    #expect(zoneAsked == 1)
    #expect(summary.client == "acme" && summary.name == "Acme")
    #expect(summary.stage == "prepare")
    #expect(summary.progress == programme.progress && summary.progress > 0)
    #expect(summary.actions == programme.nextActions().actions.count)
    #expect(!summary.archived && !summary.sustaining)
    #expect(summary.zone == TimeTests.utc.identifier)
    // draft (due 2026-09-30) and the stage's target (2026-10-12), earliest first.
    #expect(summary.due.map { CalendarDate(day: $0).description } == ["2026-09-30", "2026-10-12"])
    #expect(summary.nextDue == TimeTests.day("2026-09-30"))
    // Late from the day after the date, not on it.
    #expect(summary.overdue(on: TimeTests.day("2026-09-30")) == 0)
    #expect(summary.overdue(on: TimeTests.day("2026-10-01")) == 1)
    #expect(summary.overdue(on: TimeTests.day("2026-10-13")) == 2)
    // Kept as JSON and read back, it says the same.
    let kept = try JSONDecoder().decode(ClientSummary.self, from: JSONEncoder().encode(summary))
    #expect(kept == summary)
  }

  @Test func aClientWithoutDatesNeverAsksForTheZone() throws {
    let playbook = try Playbook.parse(
      """
      playbook: plain
      version: 1
      title: Plain
      roles: {consultant: Consultant}
      stages:
        - id: only
          title: Only
          milestones: [{id: one, title: One, owner: consultant}]
      """, file: "plain.yaml")
    var programme = try Programme(
      playbook: playbook, start: Event(.started(client: "acme", name: "Acme"), by: "alice", at: TimeTests.t0))
    let open = ClientSummary(programme) { () -> TimeZone in Issue.record("the zone was asked for"); return .gmt }
    #expect(open.zone == nil && open.due.isEmpty && open.nextDue == nil)
    #expect(open.actions == 1 && open.stage == "only" && open.progress == 0)
    try programme.apply(Event(.completed(milestone: "one"), by: "alice", at: TimeTests.at(days: 1)))
    let done = ClientSummary(programme) { .gmt }
    #expect(done.stage == nil && done.progress == 100 && done.actions == 0)
  }
}
