import AccordKit
import Foundation
import Hummingbird
import ProgrammeEngine
import WorkspaceStore

/// `accord invite CLIENT PERSON` from a laptop (`--remote`): the access book, the addresses
/// and the mail relay are the server's, so the server gives the access and makes the link,
/// as the token's person, who must be the client's consultant or czar, as on a folder. By
/// mail, the link goes through the server's outbox and relay to the address recorded for the
/// person, and the answer says only where; with `print`, the answer carries the link, for
/// the laptop to show once. The link is never logged, and kept here only as a hash.
extension APIRoutes {
  func addInvite(to group: RouterGroup<WebContext>) {
    let server = server
    let desk = server.desk
    // POST /api/v1/clients/CLIENT/invite: {person, print?, expires? (seconds)}.
    route(group, "clients/:client/invite", .post) { request, context, viewer in
      // A client the token does not open is 404 before the body is even read.
      let (record, programme) = try await desk.load(try context.parameters.require("client"), for: viewer)
      let client = record.client
      let fields = try await APIMessage.Fields.read(request, context: context)
      let person = try fields.person("person")
      let printed = try fields.flag("print")
      let seconds = try Self.inviteSeconds(fields)
      let author = viewer.person
      try AccessRefusal.requireKeeper(author, of: programme)
      // Where the link goes is settled before anything is written: a refusal changes nothing.
      var delivery: (address: MailAddress, mail: WebServer.CodeMail)?
      if !printed {
        guard let recorded = try await desk.store.settings().addresses?[person],
          let address = try? MailAddress(recorded)
        else { throw AccessRefusal.noAddress(person: person, client: client) }
        guard let mail = server.mail else { throw AccessRefusal.noRelay(person: person) }
        delivery = (address, mail)
      }
      let now = Date()
      let expiresAt = now.addingTimeInterval(TimeInterval(seconds))
      let secret = try await server.keeper.update {
        $0.invite(person, to: client, by: author, printed: printed, now: now, expiresAt: expiresAt)
      }
      let link = server.siteBase + "/sign-in/" + secret.text
      server.logger.info("accord invite: \(author) gave \(person) access to \(client) from a laptop")
      let expires = Timestamp.format(expiresAt)
      guard let (address, mail) = delivery else {
        return try APIMessage.ok(InviteJSON(person: person, client: client, link: link, expiresAt: expires))
      }
      let message = InviteMail(
        person: person, address: address, client: client, invitedBy: author, link: link, expiresAt: expiresAt,
        from: mail.from, now: now)
      let post = ReminderPost(
        outbox: mail.outbox, client: SMTPClient(relay: mail.relay), from: mail.from, zone: TimeZone(identifier: "UTC")!)
      let outcomes = try await post.post(message.outboxMessage, as: message.outboxKey)
      // What became of this link's message: the outbox's others are other people's.
      let mine = outcomes.filter { $0.key == message.outboxKey }.map(\.outcome)
      for outcome in mine where outcome.status == .failed { server.logger.warning("accord invite: \(outcome.sentence)") }
      return try APIMessage.ok(
        InviteJSON(person: person, client: client, mailedTo: address.value, expiresAt: expires, mail: mine))
    }
  }

  /// POST /api/v1/clients/CLIENT/invite/roster: {print?, expires?}; `accord invite CLIENT
  /// --roster` from a laptop. Everyone on the client's roster is given access, each with a
  /// link of their own: answered (`print`), for the laptop's CSV file, or mailed to the
  /// address the roster holds for them. The mail is queued in the server's outbox and sent
  /// after the answer, as a roster may be hundreds of people.
  func addRosterInvite(to group: RouterGroup<WebContext>) {
    let server = server
    let desk = server.desk
    route(group, "clients/:client/invite/roster", .post) { request, context, viewer in
      let (record, programme) = try await desk.load(try context.parameters.require("client"), for: viewer)
      let client = record.client
      let fields = try await APIMessage.Fields.read(request, context: context)
      let printed = try fields.flag("print")
      let seconds = try Self.inviteSeconds(fields)
      let author = viewer.person
      try AccessRefusal.requireKeeper(author, of: programme)
      let people = programme.people
      guard !people.isEmpty else {
        throw WebFailure(
          status: .conflict, code: "empty-roster",
          message: "\(client) has nobody on its roster: accord people import \(client) FILE.csv")
      }
      var mail: WebServer.CodeMail?
      var addresses: [MailAddress] = []
      if !printed {
        guard let relay = server.mail else { throw AccessRefusal.noRelay(person: people[0].name) }
        mail = relay
        for member in people {
          guard let address = try? MailAddress(member.email) else {
            throw WebFailure(
              status: .badRequest, code: "no-address",
              message: "\(member.name)'s address on the roster, \(member.email), cannot be mailed",
              details: ["person": .text(member.name)])
          }
          addresses.append(address)
        }
      }
      let now = Date()
      let expiresAt = now.addingTimeInterval(TimeInterval(seconds))
      let secrets = try await server.keeper.update { book in
        people.map { book.invite($0.name, to: client, by: author, printed: printed, now: now, expiresAt: expiresAt) }
      }
      let links = secrets.map { server.siteBase + "/sign-in/" + $0.text }
      server.logger.info("accord invite: \(author) gave the \(people.count) people on \(client)'s roster access from a laptop")
      let expires = Timestamp.format(expiresAt)
      guard let mail else {
        let rows = zip(people, links).map {
          RosterInvitedJSON.Link(name: $0.name, email: $0.email, team: $0.team, link: $1)
        }
        return try APIMessage.ok(RosterInvitedJSON(client: client, people: people.count, expiresAt: expires, links: rows))
      }
      let post = ReminderPost(
        outbox: mail.outbox, client: SMTPClient(relay: mail.relay), from: mail.from, zone: TimeZone(identifier: "UTC")!)
      for ((member, link), address) in zip(zip(people, links), addresses) {
        let message = InviteMail(
          person: member.name, address: address, client: client, invitedBy: author, link: link, expiresAt: expiresAt,
          from: mail.from, now: now)
        try await post.queue(message.outboxMessage, as: message.outboxKey)
      }
      // Sent after the answer; what the relay does not take stays queued for the next send.
      let logger = server.logger
      Task {
        do {
          for (_, outcome) in try await post.sendQueued() where outcome.status == .failed {
            logger.warning("accord invite: \(outcome.sentence)")
          }
        } catch {
          logger.error("accord invite: the roster's links wait in the outbox: \(error)")
        }
      }
      return try APIMessage.ok(RosterInvitedJSON(client: client, people: people.count, expiresAt: expires, queued: people.count))
    }
  }

  /// The `expires` of an invitation: seconds, within what `--expires` allows.
  static func inviteSeconds(_ fields: APIMessage.Fields) throws -> Int {
    let seconds = try fields.optionalCount("expires") ?? inviteLifetime
    guard (60...longestInvite).contains(seconds) else {
      throw WebFailure(
        status: .badRequest, code: "bad-request",
        message: "'expires' is the link's lifetime in seconds, from 60 to \(longestInvite)",
        details: ["field": .text("expires")])
    }
    return seconds
  }

  /// A link's lifetime unless the laptop says otherwise (`accord invite --expires`, 7d).
  static let inviteLifetime = 7 * 86_400
  /// The longest a link may work: ten years, as `--expires` allows.
  static let longestInvite = 3_650 * 86_400
}
