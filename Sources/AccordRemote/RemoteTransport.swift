import AccordKit
import Foundation
import ProgrammeEngine

/// What `accord sync` needs of a firm's server, as calls: the JSON API over HTTP
/// (`HTTPRemote`), or a stand-in in the tests that decides by the same rules (`SyncPush`).
/// Every call acts as the person the token belongs to. A server that cannot be reached
/// throws `RemoteFailure.unreachable`; one that answers with an error, `.answered`.
package protocol RemoteTransport: Sendable {
  /// The person the token acts as, and the clients it opens (nil: every client).
  func me() async throws -> RemotePerson
  /// The clients the token opens (archived ones left out), sorted.
  func clients() async throws -> [String]
  /// One page of the change feed after `cursor` (nil: from the beginning): the clients
  /// whose events it holds, and the cursor to read on from (nil when the page was empty
  /// and no cursor was given).
  func changes(after cursor: String?, limit: Int) async throws -> RemoteChanges
  /// The client's file, exactly as a folder keeps it (`GET /api/v1/clients/CLIENT/record`).
  func record(of client: String) async throws -> Data
  /// Sends one event made on a copy to be decided again by the server
  /// (`POST /api/v1/clients/CLIENT/events`); an upgrade with the playbook text it moves to.
  func push(_ event: Event, upgrade: SyncPush.Upgrade?, to client: String) async throws -> PushAnswer
  /// The firm's public key, which seals the certificates the server issues; nil when the
  /// server keeps no firm key (`GET /api/v1/firm-key`).
  func firmKey() async throws -> String?
  /// A certificate of `agreement`, issued and sealed by the server with the firm's key, as
  /// `accord certificate --format FORMAT` writes it (`md`, `html` or `json`).
  func certificate(of agreement: String, client: String, format: String) async throws -> String
  /// Asks the server to start `client` on the playbook `start` carries, as the token's person
  /// (`POST /api/v1/clients/CLIENT/start`).
  func start(_ client: String, _ start: RemoteStart) async throws
  /// Asks the server to open a survey round of `client` on the web, as the token's person;
  /// answers its codes, shown this once (`POST /api/v1/clients/CLIENT/survey/open`).
  func openSurvey(_ client: String, _ opening: RemoteSurveyOpening) async throws -> RemoteSurveyOpened
  /// Asks the server to close a round open on the web, its answers recorded as the round's
  /// responses; answers the id of the event that did (`POST /api/v1/clients/CLIENT/survey/close`).
  func closeSurvey(_ client: String, round: String, note: String?) async throws -> String
  /// The client's survey rounds with the answers each open one holds so far, which only the
  /// server's survey box knows; rounds past their last day are closed first
  /// (`GET /api/v1/clients/CLIENT/survey/status`).
  func surveyStatus(_ client: String) async throws -> SurveyStatusJSON
  /// Asks the server to give `person` access to `client` with a one-time sign-in link, as
  /// the token's person: mailed through its relay, or (`print`) answered, to be shown once
  /// (`POST /api/v1/clients/CLIENT/invite`).
  func invite(_ client: String, person: String, print: Bool, expires: Int) async throws -> InviteJSON
  /// Asks the server to give everyone on `client`'s roster access, each with a link of their
  /// own: answered (`print`), or queued there to be mailed
  /// (`POST /api/v1/clients/CLIENT/invite/roster`).
  func inviteRoster(_ client: String, print: Bool, expires: Int) async throws -> RosterInvitedJSON
  /// Where the server mails each person's reminders and links (`GET /api/v1/addresses`).
  func addresses() async throws -> [AddressJSON]
  /// Records `person`'s address (nil: forgets it) on the server (`POST /api/v1/address`).
  func record(address: String?, of person: String) async throws -> AddressChangeJSON
  /// Who may sign in to `client` (`GET /api/v1/clients/CLIENT/access`).
  func access(of client: String) async throws -> AccessListing
  /// Takes `person`'s access to `client` away (`POST /api/v1/clients/CLIENT/access/revoke`).
  func revokeAccess(of person: String, to client: String) async throws -> RevocationJSON
}

extension RemoteTransport {
  /// Sends an event that is not an upgrade.
  package func push(_ event: Event, to client: String) async throws -> PushAnswer {
    try await push(event, upgrade: nil, to: client)
  }
}

/// What `accord start` sends the server for a client it starts on a laptop's behalf.
package struct RemoteStart: Codable, Sendable, Equatable {
  package var name: String?
  /// The playbook's YAML text, which the server parses and validates again.
  package var playbook: String
  /// Where the text came from (`bundled:alignment.yaml`, a path on the laptop).
  package var origin: String
  package var note: String?

  package init(name: String?, playbook: String, origin: String, note: String?) {
    self.name = name
    self.playbook = playbook
    self.origin = origin
    self.note = note
  }
}

/// Who a token acts as.
package struct RemotePerson: Codable, Sendable, Equatable {
  package var person: String
  /// The clients the token opens; nil for every client of the firm.
  package var clients: [String]?
  package var expires: String?
  /// The server's time zone (`accord zone`): a copy reckons dates in it, as the server does.
  package var zone: String?

  package init(person: String, clients: [String]?, expires: String? = nil, zone: String? = nil) {
    self.person = person
    self.clients = clients
    self.expires = expires
    self.zone = zone
  }
}

/// A page of the change feed, as sync reads it: which clients changed.
package struct RemoteChanges: Sendable, Equatable {
  package var clients: Set<String>
  package var cursor: String?
  /// How many events the page held (a full page means there may be more).
  package var count: Int

  package init(clients: Set<String>, cursor: String?, count: Int) {
    self.clients = clients
    self.cursor = cursor
    self.count = count
  }
}

/// The server's answer to a pushed event that it kept.
package struct PushAnswer: Codable, Sendable, Equatable {
  /// `appended` (kept now) or `kept` (kept by an earlier push of the same event).
  package var outcome: String
  /// Where it stands in the client's history.
  package var position: Int

  package init(outcome: String, position: Int) {
    self.outcome = outcome
    self.position = position
  }
}

/// Why a call to the server did not get an answer it could use.
package enum RemoteFailure: Error, Sendable, Equatable {
  /// No answer: the server is down, the network is away, the call timed out.
  case unreachable(reason: String)
  /// The server answered with an error: its HTTP status and the `{"error": {...}}` it sent.
  case answered(status: Int, code: String, message: String, body: Data)

  /// Whether the server, not the network, said no.
  package var isAnswer: Bool {
    if case .answered = self { true } else { false }
  }
}
