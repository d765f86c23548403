import Foundation
import ProgrammeEngine
import WorkspaceStore

/// `access list`, as JSON and text. Never shows a hash: they are of no use to anyone reading.
package struct AccessListing: Codable, Sendable {
  package struct GrantRow: Codable, Sendable {
    package var person: String
    package var client: String?
    package var grantedBy: String
    package var grantedAt: String
    package var sessions: Int
  }
  package struct LinkRow: Codable, Sendable {
    package var person: String
    package var client: String?
    package var createdBy: String
    package var expiresAt: String
  }
  package struct TokenRow: Codable, Sendable {
    package var id: String
    package var person: String
    package var client: String?
    package var createdBy: String
    package var expiresAt: String
  }
  package var grants: [GrantRow]
  package var pendingLinks: [LinkRow]
  package var tokens: [TokenRow]

  /// What `book` holds that reaches `client` (nil: everything), firm-wide rows too unless
  /// `firmRows` is false (a client's consultant or czar asking from a laptop sees the rows of
  /// their client only).
  package init(_ book: AccessBook, client: String?, now: Date, firmRows: Bool = true) {
    func reaches(_ other: String?) -> Bool { client == nil || (other == nil && firmRows) || other == client }
    let live = book.sessions.filter { $0.isLive(at: now) }
    grants = book.grants.filter { reaches($0.client) }.map { grant in
      GrantRow(
        person: grant.person, client: grant.client, grantedBy: grant.grantedBy,
        grantedAt: Timestamp.format(grant.grantedAt), sessions: live.filter { $0.person == grant.person }.count)
    }
    pendingLinks = book.links.filter { $0.isUsable(at: now) && reaches($0.client) }.map {
      LinkRow(person: $0.person, client: $0.client, createdBy: $0.createdBy, expiresAt: Timestamp.format($0.expiresAt))
    }
    tokens = book.tokens.filter { $0.isLive(at: now) && reaches($0.client) }.map {
      TokenRow(id: $0.id, person: $0.person, client: $0.client, createdBy: $0.createdBy, expiresAt: Timestamp.format($0.expiresAt))
    }
  }

  package var lines: [String] {
    if grants.isEmpty && tokens.isEmpty && pendingLinks.isEmpty {
      return ["Nobody has access on the web yet (accord invite CLIENT PERSON gives it)."]
    }
    var lines = ["Access:"]
    for row in grants {
      let sessions = row.sessions == 1 ? ", 1 session" : row.sessions > 1 ? ", \(row.sessions) sessions" : ""
      lines.append("  \(row.person): \(row.client ?? "firm (every client)"), given by \(row.grantedBy) \(row.grantedAt)\(sessions)")
    }
    if !pendingLinks.isEmpty {
      lines.append("Unused sign-in links:")
      for row in pendingLinks {
        lines.append("  \(row.person): \(row.client ?? "firm"), expires \(row.expiresAt)")
      }
    }
    if !tokens.isEmpty {
      lines.append("API tokens:")
      for row in tokens {
        lines.append("  \(row.id)  \(row.person): \(row.client ?? "every client"), expires \(row.expiresAt)")
      }
    }
    return lines
  }
}

package struct RevocationJSON: Codable, Sendable {
  package var person: String
  package var client: String?
  package var grants: Int
  package var links: Int
  package var sessions: Int
  package var tokens: Int

  package init(person: String, client: String?, _ done: AccessBook.Revocation) {
    self.person = person
    self.client = client
    grants = done.grants
    links = done.links
    sessions = done.sessions
    tokens = done.tokens
  }
}
