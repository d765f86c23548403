import Foundation
import ProgrammeEngine

// Dates and times as people read them on the pages, in the workspace's time zone.
extension PageViews {
  /// The zone of a page that was given none.
  static let utc = TimeZone(identifier: "UTC")!

  private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
  private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  /// `Mon 7 Dec 2026, 14:05`: the instant in `zone`, in words and figures that need no
  /// locale of the machine's.
  static func shownTime(_ instant: Date, zone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parts = calendar.dateComponents([.hour, .minute], from: instant)
    let time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    return shownDay(CalendarDate(instant, in: zone)) + ", " + time
  }

  /// `Mon 7 Dec 2026`.
  static func shownDay(_ date: CalendarDate) -> String {
    let text = date.description
    let year = text.prefix(4)
    let month = Int(text.dropFirst(5).prefix(2)) ?? 1
    let day = Int(text.suffix(2)) ?? 1
    return "\(weekdays[date.weekday - 1]) \(day) \(months[month - 1]) \(year)"
  }

  /// A stored `YYYY-MM-DD` as `shownDay` writes it; the text itself if it is no such date.
  static func shownDay(_ text: String) -> String {
    CalendarDate(parsing: text).map(shownDay) ?? text
  }
}
