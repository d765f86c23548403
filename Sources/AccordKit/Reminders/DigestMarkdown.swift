import ProgrammeEngine

/// A digest as Markdown: the `.md` file, and the body of the `.eml` (Markdown reads as plain
/// text). Lines end in `\n`; names from clients' files are escaped and kept on one line.
extension ReminderDigest {
  package var markdown: String {
    var lines: [String] = []
    if let person {
      lines.append("# Accord reminders for \(Self.escaped(person)), \(today)")
    } else {
      lines.append("# Accord: work waiting on roles nobody holds, \(today)")
    }
    lines.append("")
    lines.append(summary + ".")
    if !overdue.isEmpty {
      lines += ["", "## Overdue", ""] + overdue.map(line)
    }
    if !dueSoon.isEmpty {
      lines += ["", "## Due within \(days == 1 ? "1 day" : "\(days) days") (by \(horizon))", ""] + dueSoon.map(line)
    }
    lines.append("")
    if person == nil {
      lines.append("Assign each role (accord assign CLIENT ROLE PERSON) so that its work reaches someone.")
    }
    let later = dated.count - soon.count
    lines.append(
      "The calendar \(slug).ics holds every dated item listed here"
        + (later > 0 ? " and \(later) due later" : "") + ".")
    return lines.joined(separator: "\n") + "\n"
  }

  /// `1 overdue, 2 due within 7 days`.
  package var summary: String {
    var parts: [String] = []
    if !overdue.isEmpty { parts.append("\(overdue.count) overdue") }
    if !dueSoon.isEmpty { parts.append("\(dueSoon.count) due within \(days == 1 ? "1 day" : "\(days) days")") }
    return parts.isEmpty ? "nothing due" : parts.joined(separator: ", ")
  }

  package func line(_ item: Agenda.Item) -> String {
    "- **\(Self.escaped(item.clientName))** (\(item.client)): \(Self.task(item, for: person)). "
      + "Due \(item.due.date), \(Self.when(item.daysLeft))."
  }

  /// What to do, in words: `sign charter as head-of-sales`.
  static func task(_ item: Agenda.Item, for person: String?) -> String {
    let action = item.action
    var text: String
    switch action.kind {
    case .sign: text = "sign \(action.target) as \(action.role)"
    case .survey: text = "import a survey round for \(action.target) (\(action.role))"
    case .record: text = "record a reading of \(action.target) (\(action.role))"
    case .review: text = "review \(action.target) with both teams, off track two readings in a row (\(action.role))"
    case .acknowledge:
      text = action.progress.map { "have the staff acknowledge \(action.target): \(TeamProgress.summary($0)) (\(action.role))" }
        ?? "read and acknowledge \(action.target), as one of \(action.role) (on the web, or accord acknowledge)"
    case .affirm: text = "affirm \(action.target) as \(action.role), which a predecessor signed"
    default: text = "complete \(action.target) (\(action.role))"
    }
    if let occurrence = item.due.occurrence {
      text += ", occurrence \(occurrence)" + (item.due.occurrences.map { " of \($0)" } ?? "")
    }
    if action.person == nil {
      text = "nobody holds \(action.role): assign it, then \(text)"
    } else if let delegate = action.delegate, delegate != action.person {
      let holder = escaped(action.person ?? "")
      text += person == delegate ? " for \(holder), as delegate" : " (\(escaped(delegate)) may act as delegate)"
    }
    return text
  }

  package static func when(_ daysLeft: Int) -> String {
    switch daysLeft {
    case ..<(-1): "\(-daysLeft) days overdue"
    case -1: "1 day overdue"
    case 0: "today"
    case 1: "tomorrow"
    default: "in \(daysLeft) days"
    }
  }

  /// A name as Markdown text: on one line, with Markdown's own characters taken literally.
  package static func escaped(_ name: String) -> String {
    var text = ""
    for character in Shown.name(MailText.oneLine(name)) {
      if "\\`*_[]<>#|!".contains(character) { text.append("\\") }
      text.append(character)
    }
    return text
  }
}
