import Foundation
import PlaybookSpec
import ProgrammeEngine
import SeededRandom
import Testing
import WorkspaceStore

@testable import AccordKit
@testable import AccordServer

/// The portfolio, "my work" and the agenda on a database come from each client's kept
/// summary (`ClientSummary`), on the folder from its replayed programme. Held here to be
/// the same answers, byte for byte, over programmes walked at random through a timed and an
/// untimed playbook (dates and schedules, roles never assigned, delegations that run out,
/// archived clients, terms changed by an upgrade), in several zones, at several moments and
/// on several days: the pages rendered by their templates, and `agenda --json` as the API
/// prints it.
@Suite("The listings from the projection equal those from a replay")
struct ListingProjectionTests {
  static let timed = try! Playbook.parse(
    """
    playbook: timed
    version: 1
    title: Timed
    roles: {consultant: Consultant, czar: Czar, sales: Sales, marketing: Marketing, legal: Legal counsel}
    stages:
      - id: prepare
        title: Prepare
        target: 3w
        milestones:
          - {id: map, title: Map the people, owner: consultant, due: 10d}
          - {id: draft, title: Draft the charter, owner: czar, needs: [map], due: 5bd}
          - {id: brief, title: Brief the sales team, owner: sales, due: 1w}
        agreements:
          - {id: charter, title: The charter, terms: We agree., signatories: [sales, marketing, legal], needs: [draft], due: 2w}
      - id: sustain
        title: Sustain
        gate: {agreements: [charter]}
        milestones:
          - {id: check-in, title: Check in, owner: czar, every: 30d, times: 3}
          - {id: review, title: Review the metrics, owner: marketing, every: 2w, until: handover}
          - {id: handover, title: Hand over, owner: consultant, needs: [check-in]}
    """, file: "timed.yaml")
  /// The charter's terms reworded, as version 2: signatures on the old terms go stale.
  static let reworded: Playbook = {
    var playbook = timed
    playbook.version = 2
    playbook.stages[0].agreements[0].terms = "We agree, and we meet every week."
    return playbook
  }()
  static let plain = try! Playbook.parse(
    """
    playbook: plain
    version: 1
    title: Plain
    roles: {consultant: Consultant, czar: Czar, sales: Sales}
    stages:
      - id: only
        title: Only
        milestones:
          - {id: one, title: The first, owner: czar}
          - {id: two, title: The second, owner: sales, needs: [one]}
        agreements:
          - {id: pact, title: The pact, terms: Yes., signatories: [sales], needs: [one]}
    """, file: "plain.yaml")

  static let v1 = PlaybookVersion(id: "timed", version: 1, sha256: String(repeating: "1", count: 64))
  static let v2 = PlaybookVersion(id: "timed", version: 2, sha256: String(repeating: "2", count: 64))
  /// 2026-09-21T14:13:20Z, a Monday.
  static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
  static let people = ["alice", "carol", "sam", "mia", "lee", "dana"]
  static let zones = ["UTC", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati"].map { TimeZone(identifier: $0)! }

  /// What the run met, so that it cannot pass by meeting none of what it is about.
  struct Seen {
    var delegated = false
    var unassigned = false
    var archived = false
    var stale = false
    var overdue = false
    var dueToday = false
    var withoutDates = false
  }

  @Test func thePagesAndTheAgendaFromSummariesAreThoseFromProgrammes() async throws {
    var random = SeededRandom(seed: SeededRandom.seed(for: "ListingProjectionTests"))
    var seen = Seen()
    for round in 0..<Soak.count(60, soak: 1_000) {
      var programmes: [Programme] = []
      // One client of each round signed, upgraded to reworded terms and its role lent, then
      // walked a little: the rest walked from their start.
      programmes.append(try Self.walk(Self.signedAndUpgraded("c\(round)-s"), steps: Int.random(in: 0...8, using: &random), &random))
      for number in 0..<Int.random(in: 0...6, using: &random) {
        programmes.append(try Self.walk("c\(round)-\(number)", steps: Int.random(in: 0...60, using: &random), &random))
      }
      let zone = Self.zones.randomElement(using: &random)!
      let last = programmes.flatMap(\.history).map(\.at).max()!
      for _ in 0..<3 {
        var now = last.addingTimeInterval(Double(Int.random(in: -5...60, using: &random)) * 43_200)
        // At a day's boundary now and then: midnight UTC (the moment a delegation runs out)
        // or midnight in the workspace's zone (the moment an item due yesterday is late),
        // or the second before either.
        switch Int.random(in: 0..<6, using: &random) {
        case 0: now = Self.midnight(before: now, in: .gmt)
        case 1: now = Self.midnight(before: now, in: .gmt) - 1
        case 2: now = Self.midnight(before: now, in: zone)
        case 3: now = Self.midnight(before: now, in: zone) - 1
        default: break
        }
        let asOf = Bool.random(using: &random) ? CalendarDate(now, in: zone).adding(days: Int.random(in: -20...20, using: &random)) : nil
        let clock = WorkspaceClock(zone: zone, asOf: asOf, now: now)
        try await Self.compare(programmes, zone: zone, clock: clock, now: now, seen: &seen)
      }
      // And read on the day something is due, when anything is: a random day need not be one.
      let ids = try programmes.map { try ClientID($0.client) }
      let byID = Dictionary(uniqueKeysWithValues: zip(ids, programmes))
      let ahead = try WorkspaceAgenda.build(
        ids: ids, clock: WorkspaceClock(zone: zone, asOf: nil, now: last), days: 3650, read: { byID[$0]! }, now: last
      ) { id, error in Issue.record("\(id): \(error)") }
      if let due = ahead.items.first(where: { $0.daysLeft >= 0 })?.due.date {
        try await Self.compare(
          programmes, zone: zone, clock: WorkspaceClock(zone: zone, asOf: due, now: last), now: last, seen: &seen)
      }
    }
    #expect(seen.delegated, "no delegate named")
    #expect(seen.unassigned, "nothing waiting on nobody")
    #expect(seen.archived, "no client archived")
    #expect(seen.stale, "no signature to give again")
    #expect(seen.overdue, "nothing overdue")
    #expect(seen.dueToday, "nothing due on the day read")
    #expect(seen.withoutDates, "no client without dates")
  }

  /// The CLI's `agenda --client` from the summaries: one client, the one not listed no such
  /// client, one that could not be read thrown when asked for and handed on otherwise.
  @Test func theAgendaFromSummariesForOneClientAndWithOneUnreadable() throws {
    let acme = try Programme(
      playbook: Self.timed, sha256: Self.v1.sha256, start: Event(.started(client: "acme", name: "Acme"), by: "alice", at: Self.t0))
    let globex = try Self.signedAndUpgraded("globex")
    let clock = WorkspaceClock(zone: .gmt, asOf: CalendarDate(Self.t0, in: .gmt).adding(days: 20), now: Self.t0)
    let damaged = StoreFailure.damaged(client: "initech", problem: "its chain is broken")
    let listed = [
      ListedClient(id: try ClientID("acme"), summary: .success(ClientSummary(acme) { .gmt })),
      ListedClient(id: try ClientID("globex"), summary: .success(ClientSummary(globex) { .gmt })),
      ListedClient(id: try ClientID("initech"), summary: .failure(damaged)),
    ]
    var failed: [String] = []
    let one = try WorkspaceAgenda.build(summaries: listed, clock: clock, days: 400, client: try ClientID("globex"), now: Self.t0) {
      id, _ in failed.append(id.rawValue)
    }
    let expected = Agenda(
      clients: [Agenda.Client(globex, at: Self.t0, in: .gmt)], today: clock.today, days: 400, person: nil, role: nil)
    #expect(one == expected && !one.items.isEmpty && failed.isEmpty)
    let all = try WorkspaceAgenda.build(summaries: listed, clock: clock, days: 400, now: Self.t0) { id, _ in
      failed.append(id.rawValue)
    }
    #expect(Set(all.items.map(\.client)) == ["acme", "globex"] && failed == ["initech"])
    #expect(throws: damaged) {
      try WorkspaceAgenda.build(summaries: listed, clock: clock, days: 7, client: try ClientID("initech")) { _, _ in }
    }
    #expect(throws: StoreFailure.noSuchClient(client: "hooli", suggestion: nil)) {
      try WorkspaceAgenda.build(summaries: listed, clock: clock, days: 7, client: try ClientID("hooli")) { _, _ in }
    }
  }

  /// The lists' views answer the templates' names as Mustache's reflection of them would
  /// (PageViews+Mustache.swift): every stored property, a nil one as nothing, and no more.
  @Test func theListsViewsAnswerEveryNameAsReflectionDoes() {
    let today = PageViews.DueView(text: "due today", overdue: false, date: "2026-12-07")
    let item = PageViews.Item(text: "Sign 'The charter'", href: "/clients/acme", due: today)
    let undated = PageViews.Item(text: "Complete 'Kick-off'", href: "/clients/acme")
    let dated = PageViews.AgendaItem(clientName: "Acme", href: "/clients/acme", text: "x", when: today)
    let group = PageViews.AgendaGroup(person: "sam", items: [dated])
    let agenda = PageViews.AgendaView(asOf: "2026-12-07", until: "2026-12-14", groups: [group], isEmpty: false)
    let late = PageViews.PortfolioRow(
      name: "Acme", href: "/clients/acme", stage: "stage 1 of 3", progress: 40, waits: ["a", "b"], hasWaits: true,
      sustaining: false, overdue: "2 overdue", nextDue: nil, nextDueDate: nil)
    var early = late
    (early.overdue, early.nextDue, early.nextDueDate, early.sustaining) = (nil, "Mon 4 Jan 2027", "2027-01-04", true)
    let work = PageViews.ClientWork(
      name: "Acme", href: "/clients/acme", stage: "complete", progress: 100, complete: true, owe: [item, undated],
      waiting: [undated], hasWaiting: true)
    let views: [(Any, (String) -> Any?)] = [
      (item, item.child), (undated, undated.child), (dated, dated.child), (group, group.child), (agenda, agenda.child), (late, late.child),
      (early, early.child), (work, work.child),
      (PageViews.MyWorkView(agenda: nil, clients: [work]), PageViews.MyWorkView(agenda: nil, clients: [work]).child),
      (PageViews.PortfolioView(agenda: agenda, clients: [late]), PageViews.PortfolioView(agenda: agenda, clients: [late]).child),
    ]
    for (view, child) in views {
      let children = Mirror(reflecting: view).children
      #expect(children.count >= 2)
      for (label, value) in children {
        let label = label ?? ""
        let optional = Mirror(reflecting: value)
        let reflected: Any? = optional.displayStyle == .optional ? optional.children.first?.value : value
        #expect(String(describing: child(label)) == String(describing: reflected), "\(type(of: view)).\(label)")
      }
      #expect(child("noSuchName") == nil && child("description") == nil)
    }
  }

  /// Every page and agenda of `programmes` made both ways, compared.
  static func compare(_ programmes: [Programme], zone: TimeZone, clock: WorkspaceClock, now: Date, seen: inout Seen)
    async throws
  {
    // The summaries as a store keeps them: as JSON, read back.
    let summaries = try programmes.map { programme in
      let summary = ClientSummary(programme) { zone }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      let kept = try JSONDecoder().decode(ClientSummary.self, from: encoder.encode(summary))
      #expect(kept == summary)
      return kept
    }
    // The next actions themselves, delegates and signed texts included, then or timeless.
    for (programme, summary) in zip(programmes, summaries) {
      #expect(summary.nextActions(at: now) == programme.nextActions(at: now), "\(programme.client)")
      #expect(summary.nextActions() == programme.nextActions(), "\(programme.client)")
    }
    let chrome = PageTemplates.Chrome(person: "alice", csrf: "x", firm: true)
    let replayed = try #require(await PageViews.portfolio(programmes, now: now) { clock })
    let projected = try #require(await PageViews.portfolio(summaries, now: now) { clock })
    let page = PageTemplates.page("portfolio", title: "Portfolio", chrome: chrome, replayed)
    #expect(page == PageTemplates.page("portfolio", title: "Portfolio", chrome: chrome, projected))
    // A page at a time, alike: each page's rows are the next of the whole list's, the agenda
    // on the first alone, and no page past the last.
    let size = max(1, programmes.count / 3)
    var paged: [String] = []
    var number = 1
    while let view = await PageViews.portfolio(summaries, page: number, size: size, now: now, clock: { clock }) {
      let alike = try #require(await PageViews.portfolio(programmes, page: number, size: size, now: now) { clock })
      #expect(
        PageTemplates.page("portfolio", title: "Portfolio", chrome: chrome, view)
          == PageTemplates.page("portfolio", title: "Portfolio", chrome: chrome, alike))
      #expect((view.agenda != nil) == (number == 1 && replayed.agenda != nil))
      #expect(view.clients.count <= size)
      if let pages = view.pages {
        let html = PageTemplates.page("portfolio", title: "Portfolio", chrome: chrome, view)
        #expect(html.contains(pages.showing))
        #expect(html.contains(#"rel="next""#) == (pages.next != nil))
        #expect(html.contains(#"rel="prev""#) == (number > 1))
      }
      #expect((view.pages?.next != nil) == (number * size < programmes.count))
      paged += view.clients.map(\.href)
      number += 1
    }
    let whole = try #require(await PageViews.portfolio(programmes, size: max(1, programmes.count), now: now) { clock })
    #expect(paged == whole.clients.map(\.href))
    #expect(number - 1 == max(1, (programmes.count + size - 1) / size))
    for person in people {
      let replayed = await PageViews.myWork(programmes, person: person, now: now) { clock }
      let projected = await PageViews.myWork(summaries, person: person, now: now) { clock }
      #expect(
        PageTemplates.page("my-work", title: "My work", chrome: chrome, replayed)
          == PageTemplates.page("my-work", title: "My work", chrome: chrome, projected), "\(person)")
    }
    let ids = try programmes.map { try ClientID($0.client) }
    let byID = Dictionary(uniqueKeysWithValues: zip(ids, programmes))
    let listed = zip(ids, summaries).map { ListedClient(id: $0, summary: .success($1)) }
    for (person, role, days) in [(nil, nil, 7), ("sam", nil, 30), ("carol", nil, 0), (nil, "czar", 400), ("lee", "legal", 14)] {
      let fromProgrammes = try WorkspaceAgenda.build(
        ids: ids, clock: clock, days: days, person: person, role: role, read: { byID[$0]! }, now: now
      ) { id, error in Issue.record("\(id): \(error)") }
      let fromSummaries = try WorkspaceAgenda.build(
        summaries: listed, clock: clock, days: days, person: person, role: role, now: now
      ) { id, error in Issue.record("\(id): \(error)") }
      #expect(try json(AgendaJSON(fromProgrammes)) == json(AgendaJSON(fromSummaries)))
      if person == nil, role == nil {
        let items = fromProgrammes.items
        seen.unassigned = seen.unassigned || items.contains { $0.action.person == nil }
        seen.overdue = seen.overdue || items.contains(where: \.isOverdue)
        seen.dueToday = seen.dueToday || items.contains { $0.daysLeft == 0 }
      }
    }
    // A delegate named at this moment: my work lists what they may do, the agenda names them.
    seen.delegated = seen.delegated || programmes.contains { $0.nextActions(at: now).actions.contains { $0.delegate != nil } }
    seen.archived = seen.archived || programmes.contains { $0.archived != nil }
    seen.stale = seen.stale || page.contains("sign again")
    seen.withoutDates = seen.withoutDates || programmes.contains { !$0.hasDates }
  }

  /// The last midnight in `zone` at or before `time`.
  static func midnight(before time: Date, in zone: TimeZone) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    return calendar.startOfDay(for: time)
  }

  static func json(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  /// A client walked `steps` steps at random from its start, each step an event the engine
  /// may refuse (then the programme is as it was): next actions taken, roles assigned and
  /// delegated, dates set, work skipped and reopened, the client archived and restored, and
  /// (once) its playbook upgraded to reworded terms.
  static func walk(_ client: String, steps: Int, _ random: inout SeededRandom) throws -> Programme {
    let timed = Int.random(in: 0..<4, using: &random) > 0
    let time = t0.addingTimeInterval(Double(Int.random(in: 0...30, using: &random)) * 86_400)
    var programme = try Programme(
      playbook: timed ? Self.timed : plain, sha256: timed ? v1.sha256 : nil,
      start: Event(.started(client: client, name: Bool.random(using: &random) ? client : "Client \(client)"), by: "alice", at: time))
    // Some roles held from the start, some never.
    for role in ["czar", "sales", "marketing"] where Int.random(in: 0..<3, using: &random) > 0 {
      try? programme.apply(Event(.assigned(role: role, person: people.randomElement(using: &random)!), by: "alice", at: time))
    }
    return walk(programme, steps: steps, &random)
  }

  /// The charter signed by sales, then the terms reworded (sales must sign again), and the
  /// sales role lent to lee for a week.
  static func signedAndUpgraded(_ client: String) throws -> Programme {
    var programme = try Programme(
      playbook: timed, sha256: v1.sha256, start: Event(.started(client: client, name: "Signed"), by: "alice", at: t0))
    func at(_ days: Double) -> Date { t0.addingTimeInterval(days * 86_400) }
    for (role, person) in [("czar", "carol"), ("sales", "sam"), ("marketing", "mia")] {
      try programme.apply(Event(.assigned(role: role, person: person), by: "alice", at: at(0)))
    }
    try programme.apply(Event(.completed(milestone: "map"), by: "alice", at: at(1)))
    try programme.apply(Event(.completed(milestone: "draft"), by: "carol", at: at(2)))
    let terms = programme.termsHash(ofAgreement: "charter")
    try programme.apply(Event(.signed(agreement: "charter", role: "sales", terms: terms), by: "sam", at: at(3)))
    _ = try programme.upgrade(
      to: reworded, Event(.upgraded(from: v1, to: v2), by: "alice", at: at(4), note: "reworded"), force: true)
    try programme.apply(
      Event(.delegated(role: "sales", person: "lee", until: "2026-10-02"), by: "sam", at: at(4), note: "away"))
    return programme
  }

  /// `programme` walked `steps` steps at random (see `walk(_:steps:_:)`).
  static func walk(_ start: Programme, steps: Int, _ random: inout SeededRandom) -> Programme {
    var programme = start
    var time = programme.history.last!.at
    let timed = programme.hasDates
    func day(_ offset: Int) -> String { CalendarDate(time, in: .gmt).adding(days: offset).description }
    for _ in 0..<steps {
      time = time.addingTimeInterval(Double(Int.random(in: 0...5, using: &random)) * 43_200 + 61)
      let next = programme.nextActions(at: time)
      let roles = programme.playbook.roles.map(\.id)
      var event: Event?
      switch Int.random(in: 0..<20, using: &random) {
      case 0..<9:
        guard let action = next.actions.randomElement(using: &random) else { continue }
        let by = action.delegate ?? action.person ?? "alice"
        switch action.kind {
        case .complete: event = Event(.completed(milestone: action.target), by: by, at: time)
        case .sign:
          event = Event(.signed(agreement: action.target, role: action.role, terms: action.terms), by: by, at: time)
        case .assign:
          // Left unassigned now and then, for the agenda's group of nobody.
          guard Int.random(in: 0..<3, using: &random) > 0 else { continue }
          event = Event(.assigned(role: action.target, person: people.randomElement(using: &random)!), by: "alice", at: time)
        case .affirm:
          event = Event(.affirmed(agreement: action.target, role: action.role), by: action.person ?? "alice", at: time)
        case .survey, .record, .review, .acknowledge: continue
        }
      case 9..<11:
        let role = roles.randomElement(using: &random)!
        event = Event(
          .delegated(role: role, person: people.randomElement(using: &random)!, until: day(Int.random(in: 0...12, using: &random))),
          by: "alice", at: time, note: "away")
      case 11:
        event = Event(.delegationEnded(role: roles.randomElement(using: &random)!), by: "alice", at: time, note: "back")
      case 12..<14:
        let items = programme.playbook.stages.flatMap { [$0.id] + $0.milestones.map(\.id) + $0.agreements.map(\.id) }
        event = Event(
          .scheduled(item: items.randomElement(using: &random)!, date: day(Int.random(in: -10...20, using: &random))),
          by: "alice", at: time, note: "moved")
      case 14:
        let milestones = programme.playbook.stages.flatMap(\.milestones).map(\.id)
        let milestone = milestones.randomElement(using: &random)!
        event = Bool.random(using: &random)
          ? Event(.skipped(milestone: milestone), by: "alice", at: time, note: "not this time")
          : Event(.reopened(milestone: milestone), by: "alice", at: time, note: "again")
      case 15:
        event = Event(programme.archived == nil ? .archived : .restored, by: "alice", at: time, note: "quiet")
      case 16:
        guard timed, programme.playbookVersion?.version == 1 else { continue }
        _ = try? programme.upgrade(
          to: reworded, Event(.upgraded(from: v1, to: v2), by: "alice", at: time, note: "reworded"), force: true)
      default:
        event = Event(.assigned(role: roles.randomElement(using: &random)!, person: people.randomElement(using: &random)!), by: "alice", at: time)
      }
      if let event { try? programme.apply(event) }
    }
    return programme
  }
}
