import ProgrammeEngine

/// A change the command line will not make without being told twice: one the programme's
/// rules allow but that is more likely a slip than a plan (a date years in the past, a
/// month's check-in completed a month early). The flag that says "yes, I mean it" is named
/// in the message; on a terminal the command asks instead.
package struct CommandRefusal: Error, CustomStringConvertible {
  /// A stable name for programs, such as `date-in-past`.
  package var code: String
  package var description: String
  /// The ids involved, for `--json`.
  package var details: [String: Detail] = [:]

  package init(code: String, description: String, details: [String: Detail] = [:]) {
    self.code = code
    self.description = description
    self.details = details
  }

  /// `schedule` to a date before today, without `--force`.
  package static func dateInPast(item: String, date: CalendarDate, today: CalendarDate) -> CommandRefusal {
    let days = date.days(until: today)
    return CommandRefusal(
      code: "date-in-past",
      description: "\(date) is \(days) day\(days == 1 ? "" : "s") before today (\(today)): '\(item)' would be "
        + "overdue at once; check the year, or give --force to set a date in the past",
      details: ["item": .text(item), "date": .text(date.description), "today": .text(today.description)])
  }

  /// `complete` of an occurrence of recurring work due more than a few days from now,
  /// without `--early`.
  package static func occurrenceEarly(milestone: String, occurrence: String, due: CalendarDate, days: Int) -> CommandRefusal {
    CommandRefusal(
      code: "occurrence-early",
      description: "\(occurrence) of '\(milestone)' is not due until \(due), in \(days) days: "
        + "give --early to complete it now",
      details: ["milestone": .text(milestone), "due": .text(due.description)])
  }
}
