import Foundation

/// The server's answer to a roster invited from a laptop (`POST
/// /api/v1/clients/CLIENT/invite/roster`): with `print`, each person's link, for the laptop
/// to write to its CSV file; otherwise how many links were queued to be mailed.
package struct RosterInvitedJSON: Codable, Sendable {
  package struct Link: Codable, Sendable {
    package var name: String
    package var email: String
    package var team: String
    package var link: String

    package init(name: String, email: String, team: String, link: String) {
      self.name = name
      self.email = email
      self.team = team
      self.link = link
    }
  }

  package var client: String
  package var people: Int
  package var expiresAt: String
  package var links: [Link]?
  package var queued: Int?

  package init(client: String, people: Int, expiresAt: String, links: [Link]? = nil, queued: Int? = nil) {
    self.client = client
    self.people = people
    self.expiresAt = expiresAt
    self.links = links
    self.queued = queued
  }
}
