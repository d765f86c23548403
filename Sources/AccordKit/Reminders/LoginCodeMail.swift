import Foundation
import ProgrammeEngine

/// A one-time link and code for `accord login` as an RFC 5322 message to the person it is
/// for, sent by the server (`POST /api/v1/login`): the link approves the laptop that asked,
/// in a browser; the code is typed at its prompt. Both are in the body only, never in a
/// header, so that a relay's log of headers does not hold them.
package struct LoginCodeMail: SignInMail {
  package static let kind = "login"
  package static let what = "sign-in link and code"

  package var person: String
  package var address: MailAddress
  package var code: String
  /// `BASE/sign-in/laptop/SECRET`; nil for a code alone.
  package var link: String?
  package var expiresAt: Date
  /// The server's address, as the person gave it to `accord remote add`.
  package var from: MailAddress
  package var now: Date
  package var messageID: String

  package init(
    person: String, address: MailAddress, code: String, link: String? = nil, expiresAt: Date, from: MailAddress,
    now: Date
  ) {
    self.person = person
    self.address = address
    self.code = code
    self.link = link
    self.expiresAt = expiresAt
    self.from = from
    self.now = now
    messageID = Self.newMessageID(from: from)
  }

  package var subject: String { link == nil ? "Your Accord sign-in code" : "Your Accord sign-in code and link" }

  package var body: String {
    if let link {
      return """
        Someone, probably you, asked to sign in a laptop to Accord as \(person) (accord login).

        To sign it in, open this link and confirm on the page it opens:

        \(link)

        Or type this code where accord login asks for it:

        \(code)

        Either works once, until \(Timestamp.format(expiresAt)). Confirm only if you asked just now, and only if the check the page shows is the one accord login printed: whoever asked gets the sign-in.

        If you did not ask for it, ignore this message: without the link or the code nobody signs in.

        """
    }
    return """
    Someone, probably you, asked to sign in to Accord at the command line as \(person).

    Type this code where accord login asks for it. It works once, and until \(Timestamp.format(expiresAt)):

    \(code)

    If you did not ask for it, ignore this message: without the code nobody signs in.

    """
  }

  /// The message, every line ending in CRLF.
  package var message: String {
    MailText.message(
      opening: [
        "Date: \(InviteMail.dateHeader(now))",
        "From: \"Accord\" <\(from)>",
        "To: \(MailText.displayName(person)) <\(address)>",
      ],
      subject: subject, messageID: messageID, body: body)
  }
}
