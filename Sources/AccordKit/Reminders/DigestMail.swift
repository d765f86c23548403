import Crypto
import Foundation
import ProgrammeEngine

/// A digest as an RFC 5322 message, the `.eml` file and what is handed to the relay: CRLF
/// line ends, a UTF-8 plain-text body in quoted-printable, and every header fixed by the
/// person and the day (`Date` at 07:00 in the workspace's zone, `Message-ID` from the person
/// and the day), so that the same day gives the same bytes.
package struct DigestMail {
  /// The sender when `--from` gives none. Mail from it reaches a relay on this machine; a
  /// relay that sends it further out will want a real address.
  package static let defaultFrom = "accord@localhost"

  package var digest: ReminderDigest
  package var from: MailAddress
  package var zone: TimeZone

  package init(digest: ReminderDigest, from: MailAddress, zone: TimeZone) {
    self.digest = digest
    self.from = from
    self.zone = zone
  }

  package var subject: String {
    let who = digest.person.map { "Accord reminders for \($0)" } ?? "Accord: roles nobody holds"
    return "\(who), \(digest.today): \(digest.summary)"
  }

  /// `<accord.<hash>.<day>@<from's domain>>`: the same for a person and a day.
  package var messageID: String {
    let key = (digest.person.map { "person:" + $0 } ?? "nobody") + "\n" + digest.today.description
    let hash = SHA256.hash(data: Data(key.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    return "<accord.\(hash).\(digest.today.description.replacingOccurrences(of: "-", with: ""))@\(from.domain)>"
  }

  /// The message, every line ending in CRLF.
  package var message: String {
    var headers = [
      "Date: \(Self.dateHeader(digest.today, zone: zone))",
      "From: \"Accord\" <\(from)>",
    ]
    if let address = digest.address, let person = digest.person {
      headers.append("To: \(MailText.displayName(person)) <\(address)>")
    }
    return MailText.message(opening: headers, subject: subject, messageID: messageID, body: digest.markdown)
  }

  /// `Mon, 30 Nov 2026 07:00:00 +0000`: seven in the morning of `day` in `zone`.
  static func dateHeader(_ day: CalendarDate, zone: TimeZone) -> String {
    let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    let parts = day.description.split(separator: "-").compactMap { Int($0) }
    let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(day.day) * 86_400 + 7 * 3600)) / 60
    let sign = offset < 0 ? "-" : "+"
    let zoneText = sign + String(format: "%02d%02d", abs(offset) / 60, abs(offset) % 60)
    return "\(weekdays[day.weekday - 1]), \(parts[2]) \(months[parts[1] - 1]) \(String(format: "%04d", parts[0])) "
      + "07:00:00 \(zoneText)"
  }
}
