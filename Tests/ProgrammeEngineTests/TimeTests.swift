import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// Due dates, schedules, recurring work and the agenda. Time is driven explicitly: every
/// event carries its time, and "today" is an argument; nothing sleeps or reads a clock.
@Suite("Programme: time")
struct TimeTests {
  static let yaml = """
    playbook: timed
    version: 1
    title: Timed
    roles: {consultant: Consultant, czar: Czar, sales: Sales, marketing: Marketing}
    stages:
      - id: prepare
        title: Prepare
        target: 3w
        milestones:
          - {id: map, title: Map, owner: consultant, due: 10d}
          - {id: draft, title: Draft, owner: consultant, needs: [map], due: 5bd}
        agreements:
          - {id: charter, title: Charter, terms: We agree., signatories: [sales, marketing], needs: [draft], due: 2w}
      - id: sustain
        title: Sustain
        gate: {agreements: [charter]}
        milestones:
          - {id: check-in, title: Check in, owner: czar, every: 30d, times: 3}
          - {id: review, title: Review, owner: czar, every: 2w, until: handover}
          - {id: spread, title: Spread, owner: czar, due: 4w}
          - {id: handover, title: Hand over, owner: consultant, needs: [check-in]}
    """

  static let playbook = try! Playbook.parse(yaml, file: "timed.yaml")
  static let utc = TimeZone(identifier: "UTC")!
  /// 2026-09-21T14:13:20Z, a Monday.
  static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

  static func day(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }

  static func at(days: Double) -> Date { t0.addingTimeInterval(days * 86_400) }

  static func started() throws -> Programme {
    var programme = try Programme(
      playbook: playbook, start: Event(.started(client: "acme", name: "Acme"), by: "alice", at: t0))
    for (role, person) in [("czar", "dana"), ("sales", "sam"), ("marketing", "mia")] {
      try programme.apply(Event(.assigned(role: role, person: person), by: "alice", at: t0))
    }
    return programme
  }

  /// Through `prepare`, the charter signed on day `signedOn`.
  static func sustaining(signedOn: Double = 12) throws -> Programme {
    var programme = try started()
    try programme.apply(Event(.completed(milestone: "map"), by: "alice", at: at(days: 2)))
    try programme.apply(Event(.completed(milestone: "draft"), by: "alice", at: at(days: 4)))
    let terms = programme.termsHash(ofAgreement: "charter")
    try programme.apply(Event(.signed(agreement: "charter", role: "sales", terms: terms), by: "sam", at: at(days: 5)))
    try programme.apply(
      Event(.signed(agreement: "charter", role: "marketing", terms: terms), by: "mia", at: at(days: signedOn)))
    return programme
  }

  @Test("calendar dates parse, print, count weekdays and refuse what is not a date")
  func calendarDates() {
    #expect(CalendarDate(parsing: "2026-09-21")?.description == "2026-09-21")
    #expect(CalendarDate(parsing: "2026-09-21")?.weekday == 1)
    #expect(CalendarDate(parsing: "2024-02-29") != nil)
    for bad in ["2026-02-29", "2026-9-21", "2026-13-01", "0000-01-01", "2026-09-21T00:00:00Z", "", "tomorrow"] {
      #expect(CalendarDate(parsing: bad) == nil, "\(bad)")
    }
    let monday = Self.day("2026-09-21")
    let here = SourceLocation(file: "x", line: 1, column: 1)
    #expect(monday.adding(Interval(count: 5, unit: .businessDays, location: here)) == Self.day("2026-09-28"))
    #expect(monday.adding(Interval(count: 6, unit: .businessDays, location: here)) == Self.day("2026-09-29"))
    #expect(Self.day("2026-09-26").adding(Interval(count: 1, unit: .businessDays, location: here)) == Self.day("2026-09-28"))
    #expect(monday.adding(Interval(count: 3, unit: .weeks, location: here)) == Self.day("2026-10-12"))
    // The day an instant falls on depends on the zone, never the machine's.
    let lateEvening = Date(timeIntervalSince1970: 1_790_031_600)  // 2026-09-21T23:00:00Z
    #expect(CalendarDate(lateEvening, in: Self.utc) == monday)
    #expect(CalendarDate(lateEvening, in: TimeZone(identifier: "Asia/Tokyo")!) == Self.day("2026-09-22"))
    #expect(CalendarDate(Date(timeIntervalSince1970: -1), in: Self.utc).description == "1969-12-31")
  }

  @Test("work is due counted from when it became ready; a stage's target from when it opened")
  func dueFromReadiness() throws {
    var programme = try Self.started()
    var dates = programme.dueDates(in: Self.utc)
    #expect(dates["map"]?.date == Self.day("2026-10-01"))  // 10 days after start
    #expect(dates["draft"] == nil)  // not ready: no date yet
    #expect(dates["prepare"]?.date == Self.day("2026-10-12"))  // 3 weeks after it opened
    #expect(dates["charter"] == nil)
    try programme.apply(Event(.completed(milestone: "map"), by: "alice", at: Self.at(days: 2)))  // Wednesday
    dates = programme.dueDates(in: Self.utc)
    #expect(dates["map"] == nil)
    #expect(dates["draft"]?.date == Self.day("2026-09-30"))  // 5 business days after Wednesday 23rd
    #expect(dates["draft"]?.daysLeft(from: Self.day("2026-10-02")) == -2)
    // Reopened, its clock starts again at the reopening.
    try programme.apply(Event(.reopened(milestone: "map"), by: "alice", at: Self.at(days: 20), note: "redo"))
    dates = programme.dueDates(in: Self.utc)
    #expect(dates["map"]?.date == Self.day("2026-10-21"))
    #expect(dates["draft"] == nil)
  }

  @Test("an agreement is due from when signing opened; the gated stage's work from when the gate opened")
  func agreementsAndGates() throws {
    var programme = try Self.started()
    try programme.apply(Event(.completed(milestone: "map"), by: "alice", at: Self.at(days: 2)))
    try programme.apply(Event(.completed(milestone: "draft"), by: "alice", at: Self.at(days: 4)))
    #expect(programme.dueDates(in: Self.utc)["charter"]?.date == Self.day("2026-10-09"))
    programme = try Self.sustaining(signedOn: 12)
    let dates = programme.dueDates(in: Self.utc)
    #expect(dates["charter"] == nil)  // signed by all
    #expect(dates["spread"]?.date == Self.day("2026-10-31"))  // 4 weeks after the gate opened on 10-03
    #expect(dates["check-in"]?.date == Self.day("2026-11-02"))  // first of three, 30 days on
    #expect(dates["check-in"]?.occurrence == 1)
    #expect(dates["check-in"]?.occurrences == 3)
    #expect(dates["review"]?.occurrences == nil)  // until the hand-over
  }

  @Test("recurring work is done once per occurrence and counts as done only when it stops")
  func recurrence() throws {
    var programme = try Self.sustaining()
    for number in 1...2 {
      try programme.apply(Event(.completed(milestone: "check-in"), by: "dana", at: Self.at(days: 20.0 * Double(number))))
      #expect(!programme.isDone("check-in"))
      #expect(programme.recurrence(of: "check-in")?.current == number + 1)
    }
    // The third falls due 30 days after the second's date, whenever the second was done.
    #expect(programme.dueDates(in: Self.utc)["check-in"]?.date == Self.day("2027-01-01"))
    #expect(programme.state(ofMilestone: "handover") == .blocked)
    // Skipping needs a reason; a one-off cannot be skipped.
    #expect(throws: Refusal.reasonRequired(action: "skipping an occurrence")) {
      try programme.apply(Event(.skipped(milestone: "check-in"), by: "dana", at: Self.at(days: 70)))
    }
    #expect(throws: Refusal.notRecurring(milestone: "spread")) {
      try programme.apply(Event(.skipped(milestone: "spread"), by: "dana", at: Self.at(days: 70), note: "no"))
    }
    try programme.apply(Event(.skipped(milestone: "check-in"), by: "dana", at: Self.at(days: 70), note: "holidays"))
    #expect(programme.isDone("check-in"))
    #expect(programme.recurrence(of: "check-in") == RecurrenceProgress(done: 2, skipped: 1, times: 3, until: nil, current: nil))
    #expect(throws: Refusal.alreadyDone(milestone: "check-in")) {
      try programme.apply(Event(.completed(milestone: "check-in"), by: "dana", at: Self.at(days: 71)))
    }
    // Reopening takes back the latest occurrence.
    try programme.apply(Event(.reopened(milestone: "check-in"), by: "dana", at: Self.at(days: 72), note: "held after all"))
    #expect(!programme.isDone("check-in"))
    #expect(programme.recurrence(of: "check-in")?.current == 3)
  }

  @Test("recurring work with until stops when its milestone is done, and resumes when it is reopened")
  func until() throws {
    var programme = try Self.sustaining()
    try programme.apply(Event(.completed(milestone: "review"), by: "dana", at: Self.at(days: 20)))
    for number in 1...3 {
      try programme.apply(Event(.completed(milestone: "check-in"), by: "dana", at: Self.at(days: 20 + Double(number))))
    }
    #expect(programme.isSustaining == false)  // spread, a one-off, is still to do
    try programme.apply(Event(.completed(milestone: "spread"), by: "dana", at: Self.at(days: 30)))
    #expect(programme.isSustaining)  // only recurring work and what waits for it are left
    #expect(!programme.nextActions().isComplete)
    try programme.apply(Event(.completed(milestone: "handover"), by: "alice", at: Self.at(days: 40)))
    #expect(programme.isDone("review"))
    #expect(!programme.isSustaining)
    #expect(programme.nextActions().isComplete)
    try programme.apply(Event(.reopened(milestone: "handover"), by: "alice", at: Self.at(days: 41), note: "not yet"))
    #expect(!programme.isDone("review"))
    #expect(programme.recurrence(of: "review")?.current == 2)
  }

  @Test("a date set by schedule replaces the playbook's, moves recurring work's later occurrences, and is refused when it cannot be")
  func schedule() throws {
    var programme = try Self.started()
    try programme.apply(
      Event(.scheduled(item: "draft", date: "2026-11-15"), by: "dana", at: Self.at(days: 1), note: "workshop then"))
    var dates = programme.dueDates(in: Self.utc)
    #expect(dates["draft"]?.date == Self.day("2026-11-15"))  // not ready, but planned
    #expect(dates["draft"]?.isScheduled == true)
    #expect(dates["map"]?.isScheduled == false)
    let refusals: [(Change, String, String?, Refusal)] = [
      (.scheduled(item: "drat", date: "2026-11-15"), "alice", "why", .unknownItem("drat", suggestion: "draft")),
      (.scheduled(item: "draft", date: "2026-11-31"), "alice", "why", .invalidDate("2026-11-31")),
      (.scheduled(item: "draft", date: "2026-11-15"), "sam", "why",
       .notAllowed(person: "sam", operation: .schedule(item: "draft"), roles: ["consultant", "czar"])),
      (.scheduled(item: "draft", date: "2026-11-15"), "alice", " ", .reasonRequired(action: "setting a date")),
    ]
    for (change, person, note, refusal) in refusals {
      let before = programme
      #expect(throws: refusal) { try programme.apply(Event(change, by: person, at: Self.at(days: 2), note: note)) }
      #expect(programme == before)
    }
    try programme.apply(Event(.completed(milestone: "map"), by: "alice", at: Self.at(days: 2)))
    #expect(throws: Refusal.itemFinished(item: "map", state: "done")) {
      try programme.apply(Event(.scheduled(item: "map", date: "2026-11-15"), by: "alice", at: Self.at(days: 3), note: "x"))
    }
    programme = try Self.sustaining()
    try programme.apply(Event(.completed(milestone: "check-in"), by: "dana", at: Self.at(days: 20)))
    try programme.apply(
      Event(.scheduled(item: "check-in", date: "2026-12-10"), by: "dana", at: Self.at(days: 21), note: "after the fair"))
    dates = programme.dueDates(in: Self.utc)
    #expect(dates["check-in"]?.date == Self.day("2026-12-10"))
    #expect(dates["check-in"]?.occurrence == 2)
    try programme.apply(Event(.completed(milestone: "check-in"), by: "dana", at: Self.at(days: 22)))
    #expect(programme.dueDates(in: Self.utc)["check-in"]?.date == Self.day("2027-01-09"))
  }

  @Test("what waits for an item, for schedule --cascade")
  func dependents() throws {
    let programme = try Self.started()
    #expect(programme.dependents(of: "map") == ["draft", "charter", "sustain", "check-in", "review", "spread", "handover"])
    #expect(programme.dependents(of: "charter") == ["sustain", "check-in", "review", "spread", "handover"])
    #expect(programme.dependents(of: "check-in") == ["handover"])
    #expect(programme.dependents(of: "prepare") == ["sustain", "check-in", "review", "spread", "handover"])
    #expect(programme.dependents(of: "spread").isEmpty)
  }

  @Test("the agenda: overdue first, then due within the window, by person, nobody last")
  func agenda() throws {
    var acme = try Self.started()
    var beta = try Programme(
      playbook: Self.playbook, start: Event(.started(client: "beta", name: "Beta"), by: "alice", at: Self.at(days: 5)))
    try acme.apply(Event(.completed(milestone: "map"), by: "alice", at: Self.at(days: 2)))
    try acme.apply(Event(.completed(milestone: "draft"), by: "alice", at: Self.at(days: 4)))
    try beta.apply(Event(.scheduled(item: "map", date: "2026-10-20"), by: "alice", at: Self.at(days: 5), note: "later"))
    let clients = [acme, beta].map {
      Agenda.Client(id: $0.client, name: $0.name, next: $0.nextActions(), dates: $0.dueDates(in: Self.utc))
    }
    let agenda = Agenda(clients: clients, today: Self.day("2026-10-12"), days: 7)
    // acme's charter (due 10-09) waits on sam and mia, overdue; beta's map (10-20) is not due within 7 days.
    #expect(agenda.groups.map(\.person) == ["sam", "mia"])
    #expect(agenda.items.allSatisfy { $0.isOverdue && $0.daysLeft == -3 && $0.client == "acme" })
    let wider = Agenda(clients: clients, today: Self.day("2026-10-12"), days: 8)
    #expect(wider.groups.map(\.person) == ["sam", "mia", "alice"])
    #expect(wider.items.last?.due.date == Self.day("2026-10-20"))
    #expect(Agenda(clients: clients, today: Self.day("2026-10-12"), days: 8, person: "alice").items.count == 1)
    #expect(Agenda(clients: clients, today: Self.day("2026-10-12"), days: 8, role: "sales").items.map(\.action.role) == ["sales"])
    // Work whose role nobody holds is listed under nobody, last.
    let unheld = try Programme(
      playbook: Self.playbook, start: Event(.started(client: "gamma", name: "Gamma"), by: "alice", at: Self.t0))
    var noOwner = unheld
    try noOwner.apply(Event(.completed(milestone: "map"), by: "alice", at: Self.at(days: 1)))
    try noOwner.apply(Event(.completed(milestone: "draft"), by: "alice", at: Self.at(days: 1)))
    let nobody = Agenda(
      clients: [Agenda.Client(id: "gamma", name: "Gamma", next: noOwner.nextActions(), dates: noOwner.dueDates(in: Self.utc))],
      today: Self.day("2026-10-12"), days: 7)
    #expect(nobody.groups.map(\.person) == [nil])
    #expect(nobody.items.map(\.action.role) == ["sales", "marketing"])
  }

  @Test("a history with dates and occurrences replays to the same programme")
  func replay() throws {
    var programme = try Self.sustaining()
    try programme.apply(Event(.completed(milestone: "check-in"), by: "dana", at: Self.at(days: 20)))
    try programme.apply(Event(.skipped(milestone: "check-in"), by: "dana", at: Self.at(days: 50), note: "ill"))
    try programme.apply(Event(.scheduled(item: "spread", date: "2026-12-01"), by: "alice", at: Self.at(days: 51), note: "x"))
    let replayed = try Programme(playbook: Self.playbook, history: programme.history)
    #expect(replayed == programme)
    #expect(replayed.dueDates(in: Self.utc) == programme.dueDates(in: Self.utc))
    #expect(replayed.recurrence(of: "check-in") == programme.recurrence(of: "check-in"))
  }
}
