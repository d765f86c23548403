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
    #expect(summary.listing.nextDue == TimeTests.day("2026-09-30"))
    // Late from the day after the date, not on it.
    #expect(summary.listing.overdue(on: TimeTests.day("2026-09-30")) == 0)
    #expect(summary.listing.overdue(on: TimeTests.day("2026-10-01")) == 1)
    #expect(summary.listing.overdue(on: TimeTests.day("2026-10-13")) == 2)
    // Kept as JSON and read back, it says the same; and what a list shows of it reads from
    // the whole summary's JSON as from the listing's alone.
    let json = try JSONEncoder().encode(summary)
    let kept = try JSONDecoder().decode(ClientSummary.self, from: json)
    #expect(kept == summary)
    #expect(try JSONDecoder().decode(ClientSummary.Listing.self, from: json) == summary.listing)
    let listing = try JSONDecoder().decode(ClientSummary.Listing.self, from: JSONEncoder().encode(summary.listing))
    #expect(listing == summary.listing && listing.isCurrent && listing.due.count == 2)
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
    #expect(open.zone == nil && open.due.isEmpty && open.listing.nextDue == nil)
    #expect(open.actions == 1 && open.stage == "only" && open.progress == 0)
    try programme.apply(Event(.completed(milestone: "one"), by: "alice", at: TimeTests.at(days: 1)))
    let done = ClientSummary(programme) { .gmt }
    #expect(done.stage == nil && done.progress == 100 && done.actions == 0)
  }
  @Test func theNextActionsNameTheDelegateOfTheMomentTheyAreAskedFor() throws {
    var programme = try TimeTests.started()
    try programme.apply(
      Event(.delegated(role: "consultant", person: "lee", until: "2026-09-25"), by: "alice", at: TimeTests.t0, note: "away"))
    let summary = ClientSummary(programme) { TimeTests.utc }
    let ends = try #require(ISO8601DateFormatter().date(from: "2026-09-26T00:00:00Z"))
    for time in [nil, TimeTests.t0, ends - 1, ends, ends + 86_400] {
      #expect(summary.nextActions(at: time) == programme.nextActions(at: time), "\(String(describing: time))")
    }
    #expect(summary.nextActions(at: ends - 1).actions.first?.delegate == "lee")
    #expect(summary.nextActions(at: ends).actions.first?.delegate == nil)
    #expect(summary.title(of: summary.nextActions().actions[0]) == "Map")
    #expect(summary.place == ClientSummary.Place(position: 1, of: 2, title: "Prepare", state: .active))
  }

  @Test func aSummaryKeptByAnEarlierBinaryIsKnownByItsMissingVersion() throws {
    // As the binary before version 2 kept it: no version, nothing the pages read.
    let old = #"{"actions":1,"archived":false,"client":"acme","due":[20726,20738],"name":"Acme","progress":0,"stage":"prepare","sustaining":false,"zone":"UTC"}"#
    let read = try JSONDecoder().decode(ClientSummary.self, from: Data(old.utf8))
    #expect(read.version == 1 && !read.isCurrent)
    #expect(read.open.isEmpty && read.dates.isEmpty && read.delegations.isEmpty)
    // One worked out now says its version, and reads back current.
    let now = ClientSummary(try TimeTests.started()) { TimeTests.utc }
    #expect(now.isCurrent && now.version == ClientSummary.currentVersion && now.version > 1)
    let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(now)) as? [String: Any])
    #expect(json["version"] as? Int == ClientSummary.currentVersion)
    #expect(try JSONDecoder().decode(ClientSummary.self, from: JSONEncoder().encode(now)).isCurrent)
    #expect(!now.open.isEmpty && now.open.count == now.actions && !now.dates.isEmpty)
  }
}
