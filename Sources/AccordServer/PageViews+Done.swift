import AccordKit
import Foundation
import PlaybookSpec
import ProgrammeEngine

extension PageViews {
  /// The message a page shows after a change made on it, from the redirect's `done`: the
  /// position of the event just recorded, in titles, and what it opened. Said only for an
  /// event the viewer made on the pages, so a link passed around cannot make a page claim
  /// someone did something.
  static func done(_ position: Substring?, in programme: Programme, viewer: String) -> String? {
    guard let position, let index = Int(position), programme.history.indices.contains(index) else { return nil }
    let event = programme.history[index]
    guard event.by == viewer, event.via == .web else { return nil }
    func title(_ id: String) -> String { "'\(programme.itemTitle(id))'" }
    let what: String
    var item: String?
    switch event.change {
    case let .completed(milestone):
      what = "you completed \(title(milestone))"
      item = milestone
    case let .reopened(milestone): what = "you reopened \(title(milestone))"
    case let .signed(agreement, role, terms):
      what = "you signed \(title(agreement)) as \(programme.roleTitle(role))"
        + (terms.map { " (terms \(Readable.hash($0)))" } ?? "")
      item = agreement
    case let .revoked(agreement, role):
      what = "you withdrew the \(programme.roleTitle(role))'s signature on \(title(agreement))"
    case let .acknowledged(agreement, terms):
      what = "you acknowledged \(title(agreement))" + (terms.map { " (terms \(Readable.hash($0)))" } ?? "")
      item = agreement
    case let .affirmed(agreement, role, _):
      what = "you affirmed \(title(agreement)) as \(programme.roleTitle(role))"
      item = agreement
    case let .assigned(role, person):
      what = "\(Shown.name(person)) now holds the role '\(programme.roleTitle(role))'"
    case let .metricRecorded(metric, value, date, reading):
      let shown = programme.playbook.metrics.first { $0.id == metric }
      let amount = shown.flatMap { metric in Quantity(parsing: value).map { metric.format($0) } } ?? value
      let day = CalendarDate(parsing: date).map { Readable.day($0, today: CalendarDate(event.at, in: utc)) } ?? date
      what = "you recorded \(amount) for '\(shown?.title ?? metric)' on \(day)" + (reading == nil ? "" : ", as the baseline")
    default: what = "recorded (\(event.change.type))"
    }
    let opened = item.map { opening(of: $0, in: programme) } ?? []
    return "Done: " + what + "." + opened.map { " " + $0 + "." }.joined()
  }

  /// What finishing `item` (a milestone done, an agreement signed, acknowledged or affirmed)
  /// has opened, as it stands now: its stage complete, and each stage now open whose gate
  /// names it or whose stage before it was just completed.
  static func opening(of item: String, in programme: Programme) -> [String] {
    let stages = programme.playbook.stages
    let states = programme.stageStates()
    var said: [String] = []
    for (position, stage) in stages.enumerated() {
      let open = states[position] == .active || states[position] == .complete
      let named = stage.gate.map { gate in
        gate.agreements.contains { $0.id == item } || gate.milestones.contains { $0.id == item }
      } ?? false
      let holds = stage.milestones.contains { $0.id == item }
      if holds, states[position] == .complete {
        said.append("'\(stage.title)' is complete")
        if position + 1 < stages.count, states[position + 1] == .active {
          said.append("'\(stages[position + 1].title)' is now open")
        }
      } else if named, open {
        said.append("The gate is open: '\(stage.title)' can begin")
      }
    }
    return said
  }
}
