import Crypto
import Foundation
import ProgrammeEngine
import WorkspaceStore

/// A sign-in link as an RFC 5322 message to the person it is for (`accord invite`): CRLF line
/// ends, a UTF-8 plain-text body in quoted-printable. The link is in the body only, never in a
/// header, so that a relay's log of headers does not hold it.
package struct InviteMail: SignInMail {
  package static let kind = "invite"
  package static let what = "sign-in link"

  package var person: String
  package var address: MailAddress
  /// The client the link gives access to, or nil for firm access.
  package var client: String?
  package var invitedBy: String
  package var link: String
  package var expiresAt: Date
  package var from: MailAddress
  package var now: Date
  /// Random, so that two invitations of the same person on the same day are two messages.
  package var messageID: String

  package init(
    person: String, address: MailAddress, client: String?, invitedBy: String, link: String, expiresAt: Date,
    from: MailAddress, now: Date
  ) {
    self.person = person
    self.address = address
    self.client = client
    self.invitedBy = invitedBy
    self.link = link
    self.expiresAt = expiresAt
    self.from = from
    self.now = now
    messageID = Self.newMessageID(from: from)
  }

  package var subject: String {
    "Your Accord sign-in link" + (client.map { " for \($0)" } ?? "")
  }

  package var body: String {
    let what = client.map { "the client \($0)" } ?? "every client of the firm"
    return """
      \(invitedBy) has given you, \(person), access to \(what) in Accord.

      Sign in with this link. It works once, and until \(Timestamp.format(expiresAt)):

      \(link)

      After you sign in, your browser stays signed in until you sign out or the session ends.
      If you did not expect this message, do not use the link: tell \(invitedBy).

      """
  }

  /// The message, every line ending in CRLF.
  package var message: String {
    MailText.message(
      opening: [
        "Date: \(Self.dateHeader(now))",
        "From: \"Accord\" <\(from)>",
        "To: \(MailText.displayName(person)) <\(address)>",
      ],
      subject: subject, messageID: messageID, body: body)
  }

  /// `Mon, 30 Nov 2026 07:12:13 +0000`, in UTC.
  static func dateHeader(_ date: Date) -> String {
    let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    let seconds = Int(date.timeIntervalSince1970.rounded(.down))
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let stamp = Timestamp.format(date)  // 2026-11-30T07:12:13Z
    let parts = stamp.prefix(10).split(separator: "-").compactMap { Int($0) }
    let time = stamp.dropFirst(11).prefix(8)
    let weekday = weekdays[((days % 7) + 7) % 7]
    return "\(weekday), \(parts[2]) \(months[parts[1] - 1]) \(String(format: "%04d", parts[0])) \(time) +0000"
  }
}
