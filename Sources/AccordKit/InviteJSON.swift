import Foundation

/// `accord invite --json`, and the server's answer to an invitation a laptop asks for
/// (`POST /api/v1/clients/CLIENT/invite`), which the laptop prints as the command does.
package struct InviteJSON: Codable, Sendable {
  package var person: String
  package var client: String?
  /// With --print only.
  package var link: String?
  /// When mailed: the address.
  package var mailedTo: String?
  package var expiresAt: String
  /// True when this was the workspace's first firm grant, which anyone may give.
  package var firstFirmGrant: Bool?
  /// When mailed: what became of the link's message, and (on the command line) of any other
  /// the outbox held.
  package var mail: [ReminderPost.Outcome]?

  package init(
    person: String, client: String?, link: String? = nil, mailedTo: String? = nil, expiresAt: String,
    firstFirmGrant: Bool? = nil, mail: [ReminderPost.Outcome]? = nil
  ) {
    self.person = person
    self.client = client
    self.link = link
    self.mailedTo = mailedTo
    self.expiresAt = expiresAt
    self.firstFirmGrant = firstFirmGrant
    self.mail = mail
  }
}
