import AccordKit
import Foundation

/// What the server keeps of who may sign in and where their links go, asked for from a
/// laptop: `accord invite` and `accord address` with `--remote`.
extension HTTPRemote {
  package func inviteRoster(_ client: String, print: Bool, expires: Int) async throws -> RosterInvitedJSON {
    struct Invitation: Encodable {
      var print: Bool
      var expires: Int
    }
    let call = "POST /api/v1/clients/\(client)/invite/roster"
    let body = try Self.encoded(Invitation(print: print, expires: expires))
    return try Self.decode(RosterInvitedJSON.self, from: try await self.call("POST", "clients/\(client)/invite/roster", body: body), call)
  }

  package func access(of client: String) async throws -> AccessListing {
    let call = "GET /api/v1/clients/\(client)/access"
    return try Self.decode(AccessListing.self, from: try await self.call("GET", "clients/\(client)/access"), call)
  }

  package func revokeAccess(of person: String, to client: String) async throws -> RevocationJSON {
    struct Revoking: Encodable { var person: String }
    let call = "POST /api/v1/clients/\(client)/access/revoke"
    let answer = try await self.call("POST", "clients/\(client)/access/revoke", body: try Self.encoded(Revoking(person: person)))
    return try Self.decode(RevocationJSON.self, from: answer, call)
  }

  package func invite(_ client: String, person: String, print: Bool, expires: Int) async throws -> InviteJSON {
    struct Invitation: Encodable {
      var person: String
      var print: Bool
      var expires: Int
    }
    let call = "POST /api/v1/clients/\(client)/invite"
    let body = try Self.encoded(Invitation(person: person, print: print, expires: expires))
    return try Self.decode(InviteJSON.self, from: try await self.call("POST", "clients/\(client)/invite", body: body), call)
  }

  package func addresses() async throws -> [AddressJSON] {
    try Self.decode([AddressJSON].self, from: try await call("GET", "addresses"), "GET /api/v1/addresses")
  }

  package func record(address: String?, of person: String) async throws -> AddressChangeJSON {
    struct Recording: Encodable {
      var person: String
      var address: String?
      enum Key: String, CodingKey { case person, address }
      // The address is sent as null to forget it, never left out.
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(person, forKey: .person)
        try container.encode(address, forKey: .address)
      }
    }
    let body = try Self.encoded(Recording(person: person, address: address))
    return try Self.decode(AddressChangeJSON.self, from: try await call("POST", "address", body: body), "POST /api/v1/address")
  }
}
