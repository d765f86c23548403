import Foundation
import ProgrammeEngine

// Dates and times as the history reads them: always with the year (`Readable` writes them).
extension PageViews {
  /// The zone of a page that was given none.
  static let utc = TimeZone(identifier: "UTC")!

  /// `Mon 7 Dec 2026, 14:05`: the instant in `zone`, in words and figures that need no
  /// locale of the machine's.
  static func shownTime(_ instant: Date, zone: TimeZone) -> String {
    Readable.moment(instant, zone: zone, today: nil)
  }

  /// `Mon 7 Dec 2026`.
  static func shownDay(_ date: CalendarDate) -> String { Readable.day(date, today: nil) }

  /// A stored `YYYY-MM-DD` as `shownDay` writes it; the text itself if it is no such date.
  static func shownDay(_ text: String) -> String {
    CalendarDate(parsing: text).map(shownDay) ?? text
  }
}
