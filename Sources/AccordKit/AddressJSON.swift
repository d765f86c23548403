import Foundation

/// `accord address --json`: one person's address, nil once removed; and the server's listing
/// of them (`GET /api/v1/addresses`).
package struct AddressJSON: Codable, Sendable, Equatable {
  package var person: String
  package var address: String?

  package init(person: String, address: String?) {
    self.person = person
    self.address = address
  }
}

/// The server's answer to an address recorded or forgotten from a laptop (`POST
/// /api/v1/address`): the address now (nil: forgotten), and the one before, for the command
/// to say what it replaced.
package struct AddressChangeJSON: Codable, Sendable, Equatable {
  package var person: String
  package var address: String?
  package var before: String?

  package init(person: String, address: String?, before: String?) {
    self.person = person
    self.address = address
    self.before = before
  }
}
