import AccordKit
import ArgumentParser
import Foundation
import ProgrammeEngine
import SurveyCSV
import WorkspaceStore

extension Accord.Invite {
  /// `accord invite CLIENT --roster`: a link for everyone on the roster, mailed to the address
  /// it holds for them, or written to a CSV file (`--print-to`) for the czar's mail merge.
  /// Everything that can refuse (who may invite, the relay, the file) is settled before any
  /// access is given.
  func inviteRoster(of client: ClientID) async throws {
    let author = actor.person
    let desk = try Desk(workspace, person: author, command: "invite")
    try Accord.requireAccessKeeper(author, of: client, in: desk)
    let people = try desk.programme(client).people
    guard !people.isEmpty else {
      throw ValidationError("\(client.rawValue) has nobody on its roster: accord people import \(client.rawValue) FILE.csv")
    }
    var relay: (relay: SMTPRelay, from: MailAddress)?
    var output: OutputFile?
    if let printTo {
      output = OutputFile(path: printTo, force: false)
      try output?.checkWritable()
    } else {
      let (parsed, from) = try mail.parsed(environment: true)
      guard let parsed else { throw AccessRefusal.noRelay(person: people[0].name) }
      relay = (parsed, from)
    }
    for member in people where (try? MailAddress(member.email)) == nil && relay != nil {
      throw ValidationError("\(member.name)'s address on the roster, \(member.email), cannot be mailed")
    }
    let now = Date()
    let expiresAt = now.addingTimeInterval(expires.seconds)
    Interruption.deferStop()
    let secrets = try desk.updateAccessBook { book in
      people.map { book.invite($0.name, to: client.rawValue, by: author, printed: printTo != nil, now: now, expiresAt: expiresAt) }
    }
    let links = zip(people, secrets).map { ($0, site.base + "/sign-in/" + $1.text) }
    if let output, let printTo {
      let rows = links.map { RosterInvitedJSON.Link(name: $0.name, email: $0.email, team: $0.team, link: $1) }
      return try writeLinks(rows, client: client, expiresAt: Timestamp.format(expiresAt), to: output, at: printTo)
    }
    guard let relay else { return }
    let post = ReminderPost(
      outbox: try desk.mailOutbox(), client: SMTPClient(relay: relay.relay), from: relay.from,
      zone: TimeZone(identifier: "UTC")!)
    var keys: Set<String> = []
    for (member, link) in links {
      let address = try MailAddress(member.email)
      let message = InviteMail(
        person: member.name, address: address, client: client.rawValue, invitedBy: author, link: link,
        expiresAt: expiresAt, from: relay.from, now: now)
      keys.insert(message.outboxKey)
      try await post.queue(message.outboxMessage, as: message.outboxKey)
    }
    let progress = TerminalProgress("Mailing sign-in links", json: self.output.json)
    let outcomes = try await post.sendQueued(progress: { progress.update($0, of: $1) })
    progress.finish()
    let mine = outcomes.filter { keys.contains($0.key) }.map(\.outcome)
    let sent = mine.count { $0.status == .sent }
    if self.output.json {
      try JSONOutput.print(
        RosterInviteJSON(
          client: client.rawValue, people: people.count, mailed: sent, expiresAt: Timestamp.format(expiresAt),
          mail: outcomes.map(\.outcome)))
    } else {
      print("Gave the \(people.count) people on \(client.rawValue)'s roster access, and mailed \(sent) of them "
        + "their one-time sign-in link (it expires \(Timestamp.format(expiresAt))).")
    }
    try Self.reportUnsent(outcomes.map(\.outcome), json: self.output.json)
  }
}

extension Accord.Invite {
  /// The roster's links in the CSV file --print-to names (readable by its owner alone), and
  /// what was done.
  func writeLinks(
    _ rows: [RosterInvitedJSON.Link], client: ClientID, expiresAt: String, to output: OutputFile, at path: String
  ) throws {
    var text = "name,email,team,link,expires\r\n"
    for row in rows {
      text += [row.name, row.email, row.team, row.link, expiresAt].map(SpreadsheetCell.text).joined(separator: ",")
        + "\r\n"
    }
    try output.writeSecret(text)
    if self.output.json {
      try JSONOutput.print(RosterInviteJSON(client: client.rawValue, people: rows.count, file: path, expiresAt: expiresAt))
    } else {
      print("Gave the \(rows.count) people on \(client.rawValue)'s roster access; their one-time links "
        + "(they expire \(expiresAt)) are in \(path), readable by you alone.")
    }
  }

  /// `invite CLIENT --roster` on a remote: the server gives the access and makes the links,
  /// written here with --print-to, or queued there to be mailed to the roster's addresses.
  func inviteRosterOnServer(_ session: RemoteSession.Session, client: ClientID) async throws {
    let output = printTo.map { OutputFile(path: $0, force: false) }
    try output?.checkWritable()
    let answer = try await RemoteSession.awaitingServer(session) {
      "access is given on \(session.name)'s server, which keeps who may sign in, and it cannot be reached "
        + "(\($0)): run accord invite again once it can"
    } _: { [printTo, expires] in
      try await $0.inviteRoster(client.rawValue, print: printTo != nil, expires: Int(expires.seconds))
    }
    if let output, let printTo {
      return try writeLinks(answer.links ?? [], client: client, expiresAt: answer.expiresAt, to: output, at: printTo)
    }
    if self.output.json {
      try JSONOutput.print(
        RosterInviteJSON(client: client.rawValue, people: answer.people, queued: answer.queued, expiresAt: answer.expiresAt))
    } else {
      print("Gave the \(answer.people) people on \(client.rawValue)'s roster access; \(session.name)'s server is "
        + "mailing each their one-time sign-in link (it expires \(answer.expiresAt)).")
    }
  }
}

/// `invite --roster --json`.
struct RosterInviteJSON: Encodable {
  var client: String
  var people: Int
  var file: String?
  var mailed: Int?
  /// On a remote: how many links the server queued to mail.
  var queued: Int? = nil
  var expiresAt: String
  var mail: [ReminderPost.Outcome]?
}
