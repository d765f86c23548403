import Foundation
import ProgrammeEngine

/// What one person is reminded of on one day: the work overdue or due soon that waits on
/// them, and, for their calendar, every dated item that does.
///
/// An item waits on the person holding its role and, while a delegation is in force, on the
/// delegate too: both are reminded. An item whose role nobody holds goes into the digest of
/// nobody (`person` nil), which names the role to assign and is never mailed.
package struct ReminderDigest: Sendable {
  /// The person, or nil for work waiting on a role nobody holds.
  package var person: String?
  /// The file name stem: safe and unique among the day's digests (see `DigestFileName`).
  package var slug: String
  /// The person's e-mail address, when the workspace records one (`accord address`).
  package var address: String?
  package var today: CalendarDate
  /// How many days ahead count as due soon.
  package var days: Int
  /// Overdue and due within `days`: overdue first (the longest overdue first), then by date.
  var soon: [Agenda.Item]
  /// Every dated item waiting on the person, however far off: the calendar's events.
  package var dated: [Agenda.Item]

  package var overdue: [Agenda.Item] { soon.filter(\.isOverdue) }
  package var dueSoon: [Agenda.Item] { soon.filter { !$0.isOverdue } }
  /// The last day counted as due soon.
  package var horizon: CalendarDate { today.adding(days: days) }

  /// The name the digest is for, in sentences and headers.
  package var addressee: String { person ?? "nobody" }

  /// The digests of `agenda` (built over a horizon long enough to hold every dated item):
  /// one for each person with anything overdue or due within `days`, sorted by name, and
  /// nobody's last. `only` keeps one person's (`"nobody"` matches nobody's when no one is
  /// called that).
  /// `staff` are the roster's own items (acknowledgements each person owes), beside the agenda's.
  package static func all(
    from agenda: Agenda, staff: [Agenda.Item] = [], today: CalendarDate, days: Int, addresses: [String: String],
    only: String? = nil
  ) -> [ReminderDigest] {
    var dated: [String?: [Agenda.Item]] = [:]
    for item in agenda.items + staff {
      var people: [String?] = [item.action.person]
      if item.action.person != nil, let delegate = item.action.delegate, delegate != item.action.person {
        people.append(delegate)
      }
      for person in people { dated[person, default: []].append(item) }
    }
    let horizon = today.adding(days: days)
    var people = dated.keys.filter { person in dated[person]!.contains { $0.due.date <= horizon } }
    people.sort { a, b in
      switch (a, b) {
      case (let a?, let b?): (a.lowercased(), a) < (b.lowercased(), b)
      case (.some, nil): true
      default: false
      }
    }
    if let only {
      let named = people.filter { $0 == only }
      people = !named.isEmpty ? named : (only == "nobody" ? people.filter { $0 == nil } : [])
    }
    let slugs = DigestFileName.slugs(for: people)
    return people.map { person in
      let items = dated[person]!.sorted(by: Self.order)
      return ReminderDigest(
        person: person, slug: slugs[person]!, address: person.flatMap { addresses[$0] }, today: today, days: days,
        soon: items.filter { $0.due.date <= horizon }, dated: items)
    }
  }

  /// By date (so the longest overdue first), then client, item and role.
  static func order(_ a: Agenda.Item, _ b: Agenda.Item) -> Bool {
    (a.due.date, a.client, a.action.target, a.action.role) < (b.due.date, b.client, b.action.target, b.action.role)
  }
}
