import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// Why an access command refused.
package enum AccessRefusal: Error, CustomStringConvertible {
  /// `person` may not give or take access to `client`: only its consultant and czar may.
  case notPermitted(person: String, client: String)
  /// `person` holds no access to take away (to `client`, or at all).
  case noAccess(person: String, client: String?)
  /// No live token has the id.
  case noSuchToken(id: String)
  /// A token for someone without access to what it names would open nothing.
  case tokenWithoutAccess(person: String, client: String?)
  /// `person` may not do `operation` (`invite --firm`, `token create`, `token revoke`,
  /// `access revoke`): it gives or takes access beyond one client, which only a person with
  /// firm access may.
  case needsFirmAccess(person: String, operation: String)
  /// A link is mailed to its person, who has no address recorded.
  case noAddress(person: String, client: String?)
  /// A link is mailed through a relay, and none was named.
  case noRelay(person: String)

  package var code: String {
    switch self {
    case .notPermitted, .needsFirmAccess: "not-permitted"
    case .noAddress: "no-address"
    case .noRelay: "no-relay"
    case .noAccess: "no-such-access"
    case .noSuchToken: "no-such-token"
    case .tokenWithoutAccess: "no-such-access"
    }
  }

  package var status: ExitStatus {
    switch self {
    case .notPermitted, .needsFirmAccess: .refused
    case .noAccess, .noSuchToken, .tokenWithoutAccess: .noInput
    case .noAddress, .noRelay: .usage
    }
  }

  package var details: [String: Detail] {
    switch self {
    case let .notPermitted(person, client): ["person": .text(person), "client": .text(client)]
    case let .noAccess(person, client), let .tokenWithoutAccess(person, client):
      ["person": .text(person)].merging(client.map { ["client": .text($0)] } ?? [:]) { a, _ in a }
    case let .noSuchToken(id): ["token": .text(id)]
    case let .needsFirmAccess(person, operation): ["person": .text(person), "operation": .text(operation)]
    case let .noAddress(person, client):
      ["person": .text(person)].merging(client.map { ["client": .text($0)] } ?? [:]) { a, _ in a }
    case let .noRelay(person): ["person": .text(person)]
    }
  }

  package var description: String {
    switch self {
    case let .notPermitted(person, client):
      "\(person) may not give or take access to \(client): only its consultant and its czar may"
    case let .noAccess(person, client?): "\(person) has no access to \(client)"
    case let .noAccess(person, nil): "\(person) has no access to any client"
    case let .noSuchToken(id): "no live token has the id '\(id)' (accord access list shows them)"
    case let .tokenWithoutAccess(person, client?):
      "\(person) has no access to \(client): invite them first (accord invite \(client) \(person.debugDescription))"
    case let .tokenWithoutAccess(person, nil):
      "\(person) has no access to any client: invite them first (accord invite CLIENT \(person.debugDescription))"
    case let .needsFirmAccess(person, operation):
      "\(person) may not \(operation): only a person with firm access may (accord access list shows who has it; "
        + "--by names who is acting)"
    case let .noAddress(person, _):
      "\(person) has no e-mail address to mail the link to: record one with accord address "
        + "\(person.debugDescription) EMAIL, or give --print to show the link here and hand it over in person"
    case let .noRelay(person):
      "no mail relay to send \(person)'s link through: give --smtp URL (or set ACCORD_SMTP), "
        + "or --print to show the link here and hand it over in person"
    }
  }
}

extension AccessRefusal {
  /// Refuses `person` unless they may give or take access to the client `programme` runs:
  /// its consultant or its czar.
  package static func requireKeeper(_ person: String, of programme: Programme) throws {
    let keepers = [consultantRole, czarRole].compactMap { programme.assignments[$0] }
    guard keepers.contains(person) else { throw notPermitted(person: person, client: programme.client) }
  }
}
