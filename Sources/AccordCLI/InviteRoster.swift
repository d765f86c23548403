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
      var text = "name,email,team,link,expires\r\n"
      for (member, link) in links {
        text += [member.name, member.email, member.team, link, Timestamp.format(expiresAt)].map(SpreadsheetCell.text)
          .joined(separator: ",") + "\r\n"
      }
      try output.writeSecret(text)
      if self.output.json {
        try JSONOutput.print(RosterInviteJSON(client: client.rawValue, people: people.count, file: printTo, expiresAt: Timestamp.format(expiresAt)))
      } else {
        print("Gave the \(people.count) people on \(client.rawValue)'s roster access; their one-time links "
          + "(they expire \(Timestamp.format(expiresAt))) are in \(printTo), readable by you alone.")
      }
      return
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

/// `invite --roster --json`.
struct RosterInviteJSON: Encodable {
  var client: String
  var people: Int
  var file: String?
  var mailed: Int?
  var expiresAt: String
  var mail: [ReminderPost.Outcome]?
}
