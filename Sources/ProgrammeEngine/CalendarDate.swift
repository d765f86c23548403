import Foundation
import PlaybookSpec

/// A calendar date such as 2026-12-04, with no time of day: what a due date is.
///
/// Dates are counted in whole days since 1970-01-01, so arithmetic and comparison are on an
/// integer. An event's time (a UTC instant) becomes a date only through a time zone, the
/// one the workspace records (UTC unless it says otherwise), never the machine's own.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Days since 1970-01-01.
  public let day: Int

  public init(day: Int) { self.day = day }

  /// Reads exactly `YYYY-MM-DD` naming a real date from year 1 to 9999; nil otherwise.
  public init?(parsing text: String) {
    guard text.utf8.count == 10, !text.hasPrefix("0000"), let start = Timestamp.parse(text + "T00:00:00Z") else {
      return nil
    }
    day = Int((start.timeIntervalSince1970 / 86_400).rounded(.down))
  }

  /// The date `instant` falls on in `zone`.
  public init(_ instant: Date, in zone: TimeZone) {
    let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
    day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
  }

  /// `YYYY-MM-DD`.
  public var description: String {
    String(Timestamp.format(Date(timeIntervalSince1970: Double(day) * 86_400)).prefix(10))
  }

  /// 1 for Monday through 7 for Sunday (1970-01-01 was a Thursday).
  public var weekday: Int {
    let offset = (day + 3) % 7
    return (offset < 0 ? offset + 7 : offset) + 1
  }

  public var isWeekend: Bool { weekday >= 6 }

  public func adding(days: Int) -> CalendarDate { CalendarDate(day: day + days) }

  /// The date `interval` after this one; `times` such intervals (for the later occurrences
  /// of recurring work). Business days skip Saturdays and Sundays: five business days
  /// after a Wednesday is the next Wednesday, and after a Saturday, the next Friday.
  public func adding(_ interval: Interval, times: Int = 1) -> CalendarDate {
    let count = interval.count * times
    switch interval.unit {
    case .days: return adding(days: count)
    case .weeks: return adding(days: count * 7)
    case .businessDays:
      guard count > 0 else { return self }
      var date = self
      // Whole weeks first: five business days are seven calendar days from any weekday.
      let weeks = (count - 1) / 5
      var left = count - weeks * 5
      date = date.adding(days: weeks * 7)
      while left > 0 {
        date = date.adding(days: 1)
        if !date.isWeekend { left -= 1 }
      }
      return date
    }
  }

  /// Days from this date to `other`: positive when `other` is later.
  public func days(until other: CalendarDate) -> Int { other.day - day }

  public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.day < rhs.day }
}
