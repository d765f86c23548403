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
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for byte in bytes[range] {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), year >= 1,
      (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year)
    else { return nil }
    self.day = Self.days(year: year, month: month, day: day)
  }

  /// The date `instant` falls on in `zone`.
  public init(_ instant: Date, in zone: TimeZone) {
    let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
    day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
  }

  /// `YYYY-MM-DD`.
  public var description: String {
    let (year, month, day) = parts
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
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

  // Howard Hinnant's days-from-civil and civil-from-days.
  private static func days(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  private var parts: (year: Int, month: Int, day: Int) {
    let z = day + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let d = dayOfYear - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }
}
