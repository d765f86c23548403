import Foundation
import ProgrammeEngine
import WorkspaceStore

extension TextOutput {
  /// The agenda, a block per person.
  package func agenda(_ agenda: Agenda) -> [String] {
    var lines = [style.heading("Agenda on \(agenda.today)") + ": overdue, and due by \(agenda.horizon)"]
    if agenda.isEmpty {
      return lines + ["", "  Nothing overdue or due by \(agenda.horizon)."]
    }
    for group in agenda.groups {
      lines.append("")
      lines.append(style.heading(group.person ?? "nobody (the role is not assigned)"))
      var table = Table()
      for item in group.items {
        var what = "\(item.action.kind.rawValue) \(item.action.target)"
        if [.sign, .affirm].contains(item.action.kind) || group.person == nil { what += " as \(item.action.role)" }
        if let progress = item.action.progress { what += ": " + TeamProgress.summary(progress) }
        if let delegate = item.action.delegate { what += " (\(delegate) may act, delegated)" }
        let when = ItemDates.phrase(item.due, today: agenda.today)
        table.append(item.client, what, item.isOverdue ? style.warning(when) : when, style.dim(item.clientName))
      }
      lines += table.render()
    }
    return lines
  }
}
