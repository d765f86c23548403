import Foundation

/// What is late and what is due soon across many clients, grouped by the person it waits on.
///
/// A pure value: built from each client's next actions and due dates, and the day it is
/// asked for. Only actions with a date are on it; work without one is in `accord next`.
public struct Agenda: Sendable, Hashable {
  /// One client as the agenda reads it.
  public struct Client: Sendable {
    public var id: String
    public var name: String
    public var next: NextActions
    public var dates: [String: DueDate]

    public init(id: String, name: String, next: NextActions, dates: [String: DueDate]) {
      self.id = id
      self.name = name
      self.next = next
      self.dates = dates
    }

    /// `programme` as the agenda reads it: its next actions at `time` (naming delegates
    /// then) and its dates in `zone`.
    public init(_ programme: Programme, at time: Date, in zone: TimeZone) {
      self.init(
        id: programme.client, name: programme.name, next: programme.nextActions(at: time),
        dates: programme.dueDates(in: zone))
    }
  }

  /// One action with its date.
  public struct Item: Sendable, Hashable {
    public var client: String
    public var clientName: String
    public var action: Action
    public var due: DueDate
    /// Days from the agenda's day to the due date: negative when overdue.
    public var daysLeft: Int

    public var isOverdue: Bool { daysLeft < 0 }
  }

  /// The items waiting on one person, or on nobody (`person` nil: the role is not held).
  public struct Group: Sendable, Hashable {
    public var person: String?
    /// Overdue first (the longest overdue first), then by date, client and the order
    /// `next` gives the client's actions.
    public var items: [Item]
  }

  /// The day the agenda is for.
  public var today: CalendarDate
  /// The last day counted as due soon.
  public var horizon: CalendarDate
  /// People in the order of their most pressing item; nobody's items last.
  public var groups: [Group]

  /// The agenda of `clients` on `today`: overdue items, and items due within `days`.
  /// `person` keeps what waits on them (as a role's holder or its delegate); `role` keeps
  /// what waits on that role; `client` keeps one client.
  public init(
    clients: [Client], today: CalendarDate, days: Int, person: String? = nil, role: String? = nil
  ) {
    self.today = today
    horizon = today.adding(days: days)
    var items: [(item: Item, position: Int)] = []
    for client in clients {
      for (position, action) in client.next.actions.enumerated() {
        guard action.kind != .assign, let due = client.dates[action.dateKey] else { continue }
        if let person, action.person != person, action.delegate != person { continue }
        if let role, action.role != role { continue }
        guard due.date <= horizon else { continue }
        let item = Item(
          client: client.id, clientName: client.name, action: action, due: due, daysLeft: due.daysLeft(from: today))
        items.append((item, position))
      }
    }
    // By date, then client, then as `next` lists the client's actions (playbook order).
    items.sort { a, b in
      (a.item.due.date, a.item.client, a.position) < (b.item.due.date, b.item.client, b.position)
    }
    var byPerson: [String?: [Item]] = [:]
    var order: [String?] = []
    for (item, _) in items {
      if byPerson[item.action.person] == nil { order.append(item.action.person) }
      byPerson[item.action.person, default: []].append(item)
    }
    // Nobody's items last: they wait on whoever assigns the role.
    order = order.filter { $0 != nil } + order.filter { $0 == nil }
    groups = order.map { Group(person: $0, items: byPerson[$0]!) }
  }

  public var isEmpty: Bool { groups.isEmpty }

  /// Every item, group by group.
  public var items: [Item] { groups.flatMap(\.items) }
}

extension Programme {
  /// What the people on the roster owe on `today`: for each person, an item for each
  /// agreement that asks them to acknowledge it now and has a date (`dueDates(in:)`), due
  /// then. The action names the person and, as its role, their team. For reminders, which
  /// go to each person alone: nobody else learns who has not acknowledged.
  public func acknowledgementsOwed(today: CalendarDate, in zone: TimeZone) -> [Agenda.Item] {
    let open = openForAcknowledging()
    guard !open.isEmpty else { return [] }
    let dates = dueDates(in: zone)
    var items: [Agenda.Item] = []
    for member in people {
      for (agreement, teams, terms) in open
      where teams.contains(member.team) && acknowledgements[agreement.id]?[member.name]?.terms != terms {
        guard let due = dates[agreement.id] else { continue }
        let action = Action(kind: .acknowledge, target: agreement.id, stage: due.stage, role: member.team, person: member.name)
        items.append(
          Agenda.Item(client: client, clientName: name, action: action, due: due, daysLeft: due.daysLeft(from: today)))
      }
    }
    return items
  }
}
