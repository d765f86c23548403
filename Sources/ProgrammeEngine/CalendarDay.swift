import Foundation

/// A calendar day as a delegation names its last one: `2026-12-04`, in UTC.
///
/// UTC because the record's times are UTC and the engine has no time zone of its own: a
/// delegation "until 2026-12-04" holds up to 2026-12-04T23:59:59Z, wherever its people are.
public enum CalendarDay {
  /// The first moment after the day `text` names (its next midnight, UTC); nil unless
  /// `text` is exactly `YYYY-MM-DD` and a real day.
  public static func end(of text: String) -> Date? {
    guard text.utf8.count == 10, let start = Timestamp.parse(text + "T00:00:00Z") else { return nil }
    return start.addingTimeInterval(86_400)
  }

  /// The UTC day `date` falls on, as `YYYY-MM-DD`.
  public static func day(of date: Date) -> String {
    String(Timestamp.format(date).prefix(10))
  }
}
