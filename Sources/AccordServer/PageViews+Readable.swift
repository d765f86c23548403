import AccordKit
import Foundation
import ProgrammeEngine

/// Dates, times, hashes and slugs as people read them on the pages: "Mon 7 Dec",
/// "in 6 days", "3 days late", "d220a3c1". The CLI and the API keep their exact forms
/// (ISO dates, full hashes); a page gives the exact value in a tooltip where it matters.
enum Readable {
  private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
  private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  /// "Mon 7 Dec", and the year too when it is not `today`'s ("Tue 5 Jan 2027"), or always
  /// without a `today` (a history read in years to come).
  static func day(_ date: CalendarDate, today: CalendarDate?) -> String {
    let parts = date.description.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3 else { return date.description }
    let sameYear = today.map { date.description.prefix(4) == $0.description.prefix(4) } ?? false
    return "\(weekdays[date.weekday - 1]) \(parts[2]) \(months[parts[1] - 1])" + (sameYear ? "" : " \(parts[0])")
  }

  /// "Mon 7 Dec, 14:05": an instant on its day and at its time in `zone`.
  static func moment(_ instant: Date, zone: TimeZone, today: CalendarDate?) -> String {
    let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
    let minutes = ((seconds % 86_400) + 86_400) % 86_400 / 60
    let time = String(format: "%02d:%02d", minutes / 60, minutes % 60)
    return day(CalendarDate(instant, in: zone), today: today) + ", " + time
  }

  /// A due date: "due Mon 7 Dec (in 6 days)", "due today", "due Mon 30 Nov: 3 days late",
  /// with the occurrence first for recurring work ("2 of 6, due ...").
  static func due(_ due: DueDate, today: CalendarDate) -> String {
    let left = due.daysLeft(from: today)
    let date = day(due.date, today: today)
    let when: String
    switch left {
    case ..<(-1): when = "due \(date): \(-left) days late"
    case -1: when = "due \(date): 1 day late"
    case 0: when = "due today (\(date))"
    case 1: when = "due tomorrow (\(date))"
    default: when = "due \(date) (in \(left) days)"
    }
    guard let occurrence = due.occurrence else { return when }
    return "\(occurrence)" + (due.occurrences.map { " of \($0)" } ?? "") + ", " + when
  }

  /// A terms hash as the pages show it: its first eight digits (the full value goes in a
  /// tooltip and on the agreement's page).
  static func hash(_ hash: String) -> String { String(hash.prefix(8)) }

  /// A slug in words, for a role a summary knows only by its id: "head-of-marketing" reads
  /// "head of marketing".
  static func words(_ slug: String) -> String { slug.replacingOccurrences(of: "-", with: " ") }
}
