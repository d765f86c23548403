import AccordKit
import AccordRemote
import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// A lifetime typed as `7d`, `12h`, `2w` or `90m`.
struct Lifetime: ExpressibleByArgument, CustomStringConvertible {
  var seconds: TimeInterval
  var description: String

  init?(argument: String) {
    guard let unit = argument.last, let count = Int(argument.dropLast()), count > 0, count <= 3650 else {
      return nil
    }
    let scale: TimeInterval
    switch unit {
    case "m": scale = 60
    case "h": scale = 3600
    case "d": scale = 86_400
    case "w": scale = 7 * 86_400
    default: return nil
    }
    // At most ten years: anything longer is a typo, and a secret should not outlive its use.
    guard Double(count) * scale <= 3650 * 86_400 else { return nil }
    seconds = Double(count) * scale
    description = argument
  }

  static var defaultCompletionKind: CompletionKind { .default }
}

/// Where the sign-in links point: the address people reach `accord serve` at.
struct SiteOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The web address people reach accord serve at, for the link.",
      discussion: "Defaults to $ACCORD_URL, else the remote's address for a command sent to one, else http://127.0.0.1:8080.",
      valueName: "url"))
  var url: String?

  var base: String {
    let text = url ?? Environment.value("ACCORD_URL") ?? "http://127.0.0.1:8080"
    return text.hasSuffix("/") ? String(text.dropLast()) : text
  }

  /// The base for a command sent to a remote: the server's own address (`remote`) unless
  /// --url or $ACCORD_URL says otherwise, since the links lead to the server that keeps
  /// what they open.
  func base(remote: URL) -> String {
    let text = url ?? Environment.value("ACCORD_URL") ?? remote.absoluteString
    return text.hasSuffix("/") ? String(text.dropLast()) : text
  }

  func validate() throws {
    if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
      throw ValidationError("--url '\(url)' must start with http:// or https://")
    }
  }
}

extension Accord {
  /// Checks that `person` may give or take access to `client`: its consultant or its czar.
  static func requireAccessKeeper(_ person: String, of client: ClientID, in desk: Desk) throws {
    try AccessRefusal.requireKeeper(person, of: try desk.programme(client))
  }

  /// Checks that `person` holds firm access in `book`, for `operation`, which gives or takes
  /// access beyond one client. Runs inside the access file's update, under its lock.
  static func requireFirmAccess(_ person: String, for operation: String, in book: AccessBook) throws {
    guard book.scope(of: person) == .firm else {
      throw AccessRefusal.needsFirmAccess(person: person, operation: operation)
    }
  }

  /// `accord invite`: gives a person access to a client (or the firm) with a one-time link,
  /// mailed to them, or printed for the inviter to hand over (`--print`); or, with
  /// `--roster`, everyone on a client's roster (InviteRoster.swift).
  struct Invite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "invite",
      abstract: "Give a person access on the web, and mail them a one-time sign-in link.",
      usage: """
        accord invite <client> <person> [--smtp <url>] [--expires <lifetime>] [--url <url>]
        accord invite <client> <person> --print [--expires <lifetime>] [--url <url>]
        accord invite --firm <person> [--smtp <url> | --print] [--expires <lifetime>] [--url <url>]
        accord invite <client> --roster [--smtp <url> | --print-to <file.csv>] [--expires <lifetime>] [--url <url>]
        """,
      discussion: """
        Makes a link that signs PERSON in to accord serve once, and expires (--expires, \
        default 7d), and mails it to the address accord address recorded for PERSON, \
        through the outbox (the workspace's or the database's) and the relay --smtp (or $ACCORD_SMTP) names, as \
        reminders are; only where it went is printed. A link that could not be sent is \
        kept in the outbox and tried again (exit 75). The link is stored only as a hash.

        --print shows the link here instead, for handing over in person. Every change \
        made in a session that began from a link printed for someone else records who \
        printed it, and the history says so.

        The client's consultant or czar may invite to a client. --firm gives a \
        consultant of the firm access to every client and the portfolio: only a person \
        with firm access may give it, except the workspace's first firm grant. Run it \
        again for a new link; access stays until accord access revoke.

        PERSON is the name the client's history uses for them (as in accord assign): \
        on the web they act as that person, and only as that person.

        --roster gives everyone on the client's roster (accord people) access at once, each \
        their own link to the address the roster holds for them, mailed through the outbox \
        (progress on a terminal). --print-to FILE.csv writes the links instead (name, email, \
        team, link, expires; readable by you alone) for the czar's own mail merge: changes \
        made from those links record that you printed them.

        With --remote, the server gives the access and makes the link (online only): it \
        mails it through its own relay to the address it recorded (with --roster, the \
        roster's; the server sends them after it answers), or, with --print (--print-to), \
        answers it to be shown (written) here. --firm runs on the server.
        """)

    @Argument(
      help: ArgumentHelp(
        "The client, then the person, as the client's history names them (with --firm, the person alone).",
        valueName: "client> <person"),
      completion: .custom(Completions.clients))
    var words: [String] = []
    @Flag(help: "Access to every client of the workspace, for a consultant of the firm.")
    var firm = false
    @Flag(name: .customLong("print"), help: "Show the link here, for handing over in person, instead of mailing it.")
    var printLink = false
    @Flag(help: "Give everyone on the client's roster access, each with a link of their own.")
    var roster = false
    @Option(
      name: .customLong("print-to"),
      help: ArgumentHelp("With --roster: write the links to this CSV file instead of mailing them.", valueName: "file"),
      completion: .file(extensions: ["csv"]))
    var printTo: String?
    @Option(help: ArgumentHelp("How long the link works: 30m, 12h, 7d, 2w.", valueName: "lifetime"))
    var expires = Lifetime(argument: "7d")!
    @OptionGroup var site: SiteOptions
    @OptionGroup var mail: MailOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    /// The client (nil with --firm) and the person.
    func target() throws -> (client: ClientID?, person: String) {
      if roster {
        guard !firm, words.count == 1 else { throw ValidationError("--roster invites a client's roster: name the client alone") }
        return (try ClientID(words[0]), "")
      }
      switch (firm, words.count) {
      case (true, 1): return (nil, words[0])
      case (true, _): throw ValidationError("--firm gives access to every client: name the person alone")
      case (false, 2): return (try ClientID(words[0]), words[1])
      case (false, _): throw ValidationError("name the client and the person, or --firm PERSON")
      }
    }

    func validate() throws {
      if printTo != nil && !roster { throw ValidationError("--print-to writes a roster's links: give --roster too") }
      if roster && printLink { throw ValidationError("--roster writes its links with --print-to FILE.csv, not --print") }
      if printTo != nil && mail.smtp != nil { throw ValidationError("give --smtp to mail the links or --print-to to write them, not both") }
      let (_, person) = try target()
      if !roster { try requirePerson(person) }
      if printLink && mail.smtp != nil { throw ValidationError("give --smtp to mail the link or --print to show it, not both") }
    }

    func run() async throws {
      let (client, person) = try target()
      if let session = RemoteSession.current {
        return try await inviteOnServer(session, client: client, person: person)
      }
      if roster, let client { return try await inviteRoster(of: client) }
      let author = actor.person
      let desk = try Desk(workspace, person: author, command: "invite")
      if let client { try Accord.requireAccessKeeper(author, of: client, in: desk) }
      // Where the link goes is settled before anything is written, so that a refusal leaves
      // every file as it was.
      var delivery: (address: MailAddress, relay: SMTPRelay, from: MailAddress)?
      if !printLink {
        let recorded = try desk.settings().addresses?[person]
        guard let recorded, let address = try? MailAddress(recorded) else {
          throw AccessRefusal.noAddress(person: person, client: client?.rawValue)
        }
        let (relay, from) = try mail.parsed(environment: true)
        guard let relay else { throw AccessRefusal.noRelay(person: person) }
        delivery = (address, relay, from)
      }
      let now = Date()
      let expiresAt = now.addingTimeInterval(expires.seconds)
      Interruption.deferStop()
      let (secret, first) = try desk.updateAccessBook { book in
        let first = client == nil && !book.hasFirmGrant
        if client == nil && !first { try Accord.requireFirmAccess(author, for: "give firm access", in: book) }
        let secret = book.invite(
          person, to: client?.rawValue, by: author, printed: printLink, now: now, expiresAt: expiresAt)
        return (secret, first)
      }
      let link = site.base + "/sign-in/" + secret.text
      guard let delivery else {
        return try show(
          InviteJSON(
            person: person, client: client?.rawValue, link: link, expiresAt: Timestamp.format(expiresAt),
            firstFirmGrant: first ? true : nil))
      }
      let message = InviteMail(
        person: person, address: delivery.address, client: client?.rawValue, invitedBy: author, link: link,
        expiresAt: expiresAt, from: delivery.from, now: now)
      let post = ReminderPost(
        outbox: try desk.mailOutbox(), client: SMTPClient(relay: delivery.relay), from: delivery.from,
        zone: TimeZone(identifier: "UTC")!)
      let key = message.outboxKey
      let outcomes = try await post.post(message.outboxMessage, as: key)
      try show(
        InviteJSON(
          person: person, client: client?.rawValue, mailedTo: delivery.address.value,
          expiresAt: Timestamp.format(expiresAt), firstFirmGrant: first ? true : nil, mail: outcomes.map(\.outcome)),
        mine: outcomes.first { $0.key == key }?.outcome, others: outcomes.filter { $0.key != key }.map(\.outcome))
    }

    /// What invite prints, on a folder or from a remote's server: the JSON, or the access
    /// given and where the link went (and what else the outbox sent meanwhile); then each
    /// message the relay did not take. `mine` is what became of the link's own message.
    private func show(
      _ answer: InviteJSON, mine: ReminderPost.Outcome? = nil, others: [ReminderPost.Outcome] = []
    ) throws {
      if output.json {
        try JSONOutput.print(answer)
      } else {
        let what = answer.client.map { "access to \($0)" } ?? "firm access (every client)"
        var lines = ["Gave \(answer.person) \(what)."]
        if let link = answer.link {
          lines += ["Their one-time sign-in link, shown only now (it expires \(answer.expiresAt)):", "  " + link]
        } else if let to = answer.mailedTo, mine?.status == .sent {
          lines.append("Mailed their one-time sign-in link to \(to) (it expires \(answer.expiresAt)).")
        }
        lines += others.filter { $0.status == .sent }.map(\.sentence)
        if answer.firstFirmGrant == true {
          lines.append(
            "This is the workspace's first firm access, which anyone at this terminal may give; "
              + "from now on only a person with firm access may give it, or take access away beyond one client.")
        }
        print(lines.joined(separator: "\n"))
      }
      try Self.reportUnsent(answer.mail ?? [], json: output.json)
    }

    /// On a remote, the server gives the access and makes the link: its access book, its
    /// addresses, its relay. Online only; one person of one client (`--firm` and `--roster`
    /// run on the server). Printed as on a folder.
    private func inviteOnServer(_ session: RemoteSession.Session, client: ClientID?, person: String) async throws {
      guard let client else {
        throw UsageError(
          "'accord invite --firm' runs on the server, not on this laptop's copy of \(session.name)",
          hint: "Run it where the server's workspace or database is, or invite one person of one client here.")
      }
      if mail.smtp != nil {
        throw ValidationError("on a remote the server mails the link through its own relay: leave out --smtp")
      }
      if site.url != nil {
        throw ValidationError("on a remote the server makes the link with its own address (accord serve --url): leave out --url")
      }
      try RemoteSession.check(person: actor.person, on: session)
      if roster { return try await inviteRosterOnServer(session, client: client) }
      let answer = try await RemoteSession.awaitingServer(session) {
        "access is given on \(session.name)'s server, which keeps who may sign in, and it cannot be reached "
          + "(\($0)): run accord invite again once it can"
      } _: { [printLink, expires] in
        try await $0.invite(client.rawValue, person: person, print: printLink, expires: Int(expires.seconds))
      }
      try show(answer, mine: answer.mail?.first)
    }

    /// Reports each message the relay did not take (kept in the outbox, tried again later) as
    /// `not-sent`, and stops with exit 75 when there was one.
    static func reportUnsent(_ outcomes: [ReminderPost.Outcome], json: Bool) throws {
      let failed = outcomes.filter { $0.status == .failed }
      for outcome in failed {
        var details: [String: Detail] = ["to": .text(outcome.to ?? "")]
        if let person = outcome.person { details["person"] = .text(person) }
        Report(
          status: .tryAgain, code: "not-sent", message: outcome.sentence, details: details,
          text: "accord: error: " + outcome.sentence
        ).print(json: json)
      }
      if !failed.isEmpty { throw CommandExit(status: .tryAgain) }
    }
  }

  /// `accord access`: who has access on the web, and taking it away.
  struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "access",
      abstract: "List or revoke people's access to the web application.",
      discussion: """
        Access lives beside the client files, in the workspace's .accord-access.json \
        (see docs/state-format.md). With --remote, it is the server's: the client's \
        consultant or czar lists and revokes access to the client there, online only \
        (everything beyond one client runs on the server).
        """,
      subcommands: [List.self, Revoke.self])

    /// Access beyond one client, on a remote: the server's to give and take.
    static func beyondOneClient(_ command: String, _ session: RemoteSession.Session) -> UsageError {
      UsageError(
        "'accord \(command)' without a client runs on the server, not on this laptop's copy of \(session.name)",
        hint: "Name the client, or run it where the server's workspace or database is.")
    }

    /// The refusal when the server, which keeps the access book, cannot be reached.
    static func unreachable(_ session: RemoteSession.Session) -> (String) -> String {
      { "who may sign in is kept on \(session.name)'s server, and it cannot be reached (\($0)): run it again once it can" }
    }

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List who has access, their unused links, sessions and API tokens.")

      @Argument(
        help: ArgumentHelp("Only the access that reaches this client.", valueName: "client"),
        completion: .custom(Completions.clients), transform: ClientID.parse)
      var client: ClientID?
      @OptionGroup var output: OutputOptions
      @OptionGroup var workspace: WorkspaceOptions

      func run() throws {
        let listing: AccessListing
        if let session = RemoteSession.current {
          guard let client else { throw Accord.AccessCommand.beyondOneClient("access list", session) }
          listing = try RemoteSession.onServer(session, unreachable: Accord.AccessCommand.unreachable(session)) {
            try await $0.access(of: client.rawValue)
          }
        } else {
          let desk = try Desk(workspace, command: "access list")
          // A client that is not there is an error, not an empty list.
          if let client { _ = try desk.read(client) }
          listing = AccessListing(try desk.accessBook(), client: client?.rawValue, now: Date())
        }
        if output.json {
          try JSONOutput.print(listing)
          return
        }
        Swift.print(listing.lines.joined(separator: "\n"))
      }
    }

    struct Revoke: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Take a person's access away: to one client, or to everything.",
        discussion: """
          Without CLIENT, every grant PERSON holds goes (firm access too), their sessions \
          end and their API tokens are revoked. With CLIENT, their access to it goes, with \
          their tokens limited to it. Either way they are out at their next request. \
          The client's consultant or czar may revoke access to it; without CLIENT, only a \
          person with firm access.
          """)

      @Argument(help: ArgumentHelp("Whose access to take away.", valueName: "person"))
      var person: String
      @Argument(
        help: ArgumentHelp("Only their access to this client.", valueName: "client"),
        completion: .custom(Completions.clients), transform: ClientID.parse)
      var client: ClientID?
      @OptionGroup var output: OutputOptions
      @OptionGroup var actor: ActorOptions
      @OptionGroup var workspace: WorkspaceOptions

      func run() throws {
        if let session = RemoteSession.current {
          guard let client else { throw Accord.AccessCommand.beyondOneClient("access revoke", session) }
          try RemoteSession.check(person: actor.person, on: session)
          let done = try RemoteSession.onServer(session, unreachable: Accord.AccessCommand.unreachable(session)) {
            [person] in try await $0.revokeAccess(of: person, to: client.rawValue)
          }
          return try show(done)
        }
        let desk = try Desk(workspace, person: actor.person, command: "access revoke")
        if let client { try Accord.requireAccessKeeper(actor.person, of: client, in: desk) }
        Interruption.deferStop()
        let now = Date()
        let done = try desk.updateAccessBook { book in
          if client == nil {
            try Accord.requireFirmAccess(actor.person, for: "take away access to every client", in: book)
          }
          let done = book.revoke(person, from: client?.rawValue, now: now)
          if done.isEmpty { throw AccessRefusal.noAccess(person: person, client: client?.rawValue) }
          return done
        }
        try show(RevocationJSON(person: person, client: client?.rawValue, done))
      }

      /// What was taken away, as JSON or a sentence.
      private func show(_ done: RevocationJSON) throws {
        if output.json { return try JSONOutput.print(done) }
        let from = done.client.map { "from \($0)" } ?? "from every client"
        Swift.print(
          "Took \(person)'s access away \(from): \(done.grants) grant(s), \(done.links) unused link(s), "
            + "\(done.sessions) session(s) ended, \(done.tokens) token(s) revoked.")
      }
    }
  }

  /// `accord token`: bearer tokens for the JSON API.
  struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "token",
      abstract: "Make or revoke a bearer token for the JSON API (/api/v1).",
      discussion: """
        A token acts as its person, on the clients they have access to (accord invite), \
        or on one of them with --client. It is shown only when made and stored only as a \
        hash. Send it as 'Authorization: Bearer TOKEN'. A token limited to a client may be \
        made by its consultant or czar; any other, and revoking one, need firm access \
        (a person may always revoke their own).
        """,
      subcommands: [Create.self, Revoke.self])

    struct Create: ParsableCommand {
      static let configuration = CommandConfiguration(commandName: "create", abstract: "Make a token for a person; it is shown once.")

      @Argument(help: ArgumentHelp("Who the token acts as.", valueName: "person"))
      var person: String
      @Option(
        help: ArgumentHelp("Limit the token to this client.", valueName: "client"),
        completion: .custom(Completions.clients), transform: ClientID.parse)
      var client: ClientID?
      @Option(help: ArgumentHelp("How long the token works: 12h, 30d, 90d.", valueName: "lifetime"))
      var expires = Lifetime(argument: "90d")!
      @OptionGroup var output: OutputOptions
      @OptionGroup var actor: ActorOptions
      @OptionGroup var workspace: WorkspaceOptions

      func validate() throws { try requirePerson(person) }

      func run() throws {
        let desk = try Desk(workspace, person: actor.person, command: "token create")
        if let client { try Accord.requireAccessKeeper(actor.person, of: client, in: desk) }
        Interruption.deferStop()
        let now = Date()
        let expiresAt = now.addingTimeInterval(expires.seconds)
        let (token, id) = try desk.updateAccessBook { book in
          if client == nil {
            try Accord.requireFirmAccess(actor.person, for: "make a token for every client (without --client)", in: book)
          }
          let scope = book.scope(of: person)
          if scope.isEmpty || client.map({ !scope.includes($0.rawValue) }) == true {
            throw AccessRefusal.tokenWithoutAccess(person: person, client: client?.rawValue)
          }
          return book.createToken(for: person, client: client?.rawValue, by: actor.person, now: now, expiresAt: expiresAt)
        }
        if output.json {
          try JSONOutput.print(TokenJSON(
            id: id, token: token, person: person, client: client?.rawValue, expiresAt: Timestamp.format(expiresAt)))
          return
        }
        let scope = client.map { "\($0.rawValue) only" } ?? "every client \(person) may see"
        Swift.print("""
          Token \(id) for \(person) (\(scope)), expires \(Timestamp.format(expiresAt)).
          Shown only now; keep it secret:
          \(token)
          """)
      }
    }

    struct Revoke: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a token by its id (accord access list shows the ids).")

      @Argument(help: ArgumentHelp("The token's id, the 8 characters after accord_.", valueName: "id"))
      var id: String
      @OptionGroup var output: OutputOptions
      @OptionGroup var actor: ActorOptions
      @OptionGroup var workspace: WorkspaceOptions

      func run() throws {
        let desk = try Desk(workspace, person: actor.person, command: "token revoke")
        Interruption.deferStop()
        let now = Date()
        let token = try desk.updateAccessBook { book in
          let mine = book.tokens.contains { $0.id == id && $0.person == actor.person }
          if !mine { try Accord.requireFirmAccess(actor.person, for: "revoke another person's token", in: book) }
          guard let token = book.revokeToken(id: id, now: now) else { throw AccessRefusal.noSuchToken(id: id) }
          return token
        }
        if output.json {
          try JSONOutput.print(["revoked": id, "person": token.person])
          return
        }
        Swift.print("Revoked token \(id) of \(token.person).")
      }
    }
  }
}

/// Refuses a person's name that could not be anyone's, by the engine's own rule, so that
/// nobody is given access under a name no event could record.
func requirePerson(_ person: String) throws {
  // Checked while the command line is validated, so a usage error (64) with the engine's words.
  // The rule every event's names are held to (`TextRules`), naming the character and where.
  if TextRules.nameProblem(person) != nil { throw ValidationError(Refusal.invalidPerson(person).description) }
}

struct TokenJSON: Encodable {
  var id: String
  var token: String
  var person: String
  var client: String?
  var expiresAt: String
}

