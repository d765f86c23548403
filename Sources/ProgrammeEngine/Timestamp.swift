import Foundation

/// UTC timestamps in the one form Accord writes: `2026-11-26T16:40:05Z` (ISO 8601, to the second).
///
/// Hand-rolled rather than a general ISO 8601 parser because a long history holds tens of
/// thousands of them and every read of a client parses them all.
public enum Timestamp {
  /// Formats `date` as `YYYY-MM-DDTHH:MM:SSZ` in UTC, dropping any fraction of a second.
  public static func format(_ date: Date) -> String {
    let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = Int(seconds - days * 86_400)
    let (year, month, day) = civil(fromDays: days)
    guard (0...9999).contains(year) else {
      return padded(year: year, month: month, day: day, secondOfDay: secondOfDay)
    }
    // A four-digit year, as every date Accord meets has: the twenty ASCII bytes written
    // straight into the string. Building it from padded pieces cost about seven thousand
    // instructions a timestamp, and a large client's status formats thousands.
    return String(unsafeUninitializedCapacity: 20) { text in
      func digits(_ value: Int, _ count: Int, at end: Int) {
        var value = value
        for index in stride(from: end, to: end - count, by: -1) {
          text[index] = UInt8(ascii: "0") + UInt8(value % 10)
          value /= 10
        }
      }
      digits(Int(year), 4, at: 3)
      text[4] = UInt8(ascii: "-")
      digits(month, 2, at: 6)
      text[7] = UInt8(ascii: "-")
      digits(day, 2, at: 9)
      text[10] = UInt8(ascii: "T")
      digits(secondOfDay / 3600, 2, at: 12)
      text[13] = UInt8(ascii: ":")
      digits(secondOfDay / 60 % 60, 2, at: 15)
      text[16] = UInt8(ascii: ":")
      digits(secondOfDay % 60, 2, at: 18)
      text[19] = UInt8(ascii: "Z")
      return 20
    }
  }

  /// The same text for a year outside 0...9999, from padded pieces as it always was.
  private static func padded(year: Int64, month: Int, day: Int, secondOfDay: Int) -> String {
    var text = ""
    text.reserveCapacity(20)
    text += pad(Int(year), 4)
    text += "-" + pad(month, 2) + "-" + pad(day, 2)
    text += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2)
    text += ":" + pad(secondOfDay % 60, 2) + "Z"
    return text
  }

  /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ`; anything else is `nil`.
  public static func parse(_ text: String) -> Date? {
    var text = text
    return text.withUTF8 { parse(utf8: $0) }
  }

  /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ` from UTF-8 bytes; anything else is `nil`.
  public static func parse<Bytes: RandomAccessCollection<UInt8>>(utf8 bytes: Bytes) -> Date?
  where Bytes.Index == Int {
    parseSpecialized(bytes)
  }

  /// The same for raw bytes, as the quick client-file reader has them: a concrete
  /// overload, since a generic call from another module runs unspecialised, at about
  /// five thousand instructions a timestamp.
  public static func parse(utf8 bytes: UnsafeRawBufferPointer) -> Date? {
    parseSpecialized(bytes)
  }

  private static func parseSpecialized<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Date?
  where Bytes.Index == Int {
    let base = bytes.startIndex
    guard bytes.count == 20, bytes[base + 4] == UInt8(ascii: "-"),
      bytes[base + 7] == UInt8(ascii: "-"), bytes[base + 10] == UInt8(ascii: "T"),
      bytes[base + 13] == UInt8(ascii: ":"), bytes[base + 16] == UInt8(ascii: ":"),
      bytes[base + 19] == UInt8(ascii: "Z")
    else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for index in range {
        let digit = Int(bytes[bytes.startIndex + index]) - 48
        guard (0...9).contains(digit) else { return nil }
        value = value * 10 + digit
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
      (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
      hour < 24, minute < 60, second < 60
    else { return nil }
    let days = Self.days(fromCivil: Int64(year), month, day)
    let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  // Howard Hinnant's days_from_civil and civil_from_days (public domain algorithms).
  private static func days(fromCivil year: Int64, _ month: Int, _ day: Int) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  private static func civil(fromDays days: Int64) -> (Int64, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = Int(doy - (153 * mp + 2) / 5 + 1)
    let month = Int(mp < 10 ? mp + 3 : mp - 9)
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
