import AccordKit
import Foundation
import ProgrammeEngine

extension PageViews {
  /// How many days ahead the pages' agendas count as due soon, as `accord agenda` does.
  static let agendaDays = 7

  /// A date as the pages show it: the CLI's phrase for it (`ItemDates.phrase`), marked when
  /// it has passed.
  struct DueView {
    var text: String
    var overdue: Bool
    /// The date exactly (`YYYY-MM-DD`), for the tooltip.
    var date: String

    init(text: String, overdue: Bool, date: String) {
      (self.text, self.overdue, self.date) = (text, overdue, date)
    }

    init(_ due: DueDate, today: CalendarDate) {
      text = Readable.due(due, today: today)
      overdue = due.daysLeft(from: today) < 0
      date = due.date.description
    }
  }

  /// The date of `item` (a milestone, agreement or stage), when it has one and is not done.
  static func due(_ item: String, in dates: ItemDates) -> DueView? {
    dates[item].map { DueView($0, today: dates.today) }
  }

  // MARK: The agenda

  struct AgendaView {
    var asOf: String
    var until: String
    var groups: [AgendaGroup]
    /// Stored, not computed: templates see stored properties only (through `Mirror`).
    var isEmpty: Bool
  }

  struct AgendaGroup {
    var person: String
    var items: [AgendaItem]
    /// "and 312 more", when the items shown stop short of the person's.
    var more: String?
  }

  struct AgendaItem {
    var clientName: String
    var href: String
    var text: String
    var when: DueView
  }

  /// The agenda of `clients` (those a viewer may see; archived ones are left out) on
  /// `clock`'s day, built by the engine as `accord agenda` builds it: what waits on
  /// `person`, or on everyone when nil; at most `shown` items a person (the most overdue
  /// first), and how many more.
  static func agenda<Client: ClientAtAGlance>(
    of clients: [Client], clock: WorkspaceClock, person: String?, now: Date, shown: Int = .max
  ) -> AgendaView {
    let live = clients.filter { !$0.isArchived }
    let agenda = Agenda(
      clients: live.map { $0.agendaClient(at: now, zone: clock.zone) },
      today: clock.today, days: agendaDays, person: person)
    let byID = Dictionary(live.map { ($0.client, $0) }, uniquingKeysWith: { first, _ in first })
    let groups = agenda.groups.map { group in
      AgendaGroup(
        person: group.person ?? "nobody (the role is not assigned)",
        items: group.items.prefix(shown).map { item in
          let client = byID[item.client]
          let text = client.map { sentence(for: item.action, in: $0, mine: true) } ?? item.action.target
          return AgendaItem(
            clientName: client?.name ?? item.clientName, href: clientHref(item.client),
            text: text + (item.action.delegate.map { " (\($0) may act, delegated)" } ?? ""),
            when: DueView(item.due, today: agenda.today))
        },
        more: group.items.count > shown ? "and \(group.items.count - shown) more" : nil)
    }
    return AgendaView(
      asOf: agenda.today.description, until: Readable.day(agenda.horizon, today: agenda.today), groups: groups,
      isEmpty: groups.isEmpty)
  }
}
