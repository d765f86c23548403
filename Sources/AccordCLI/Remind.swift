import AccordKit
import ArgumentParser
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension Accord {
  /// `accord remind`: each person's digest of what is overdue or due soon, as files and mail.
  struct Remind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remind",
      abstract: "Write (and mail) each person a digest of their work overdue or due soon.",
      discussion: """
        For every person with work overdue or due within --days, writes to --out \
        PERSON.md (Markdown), PERSON.eml (the digest as an e-mail, To their address from \
        accord address) and PERSON.ics (a calendar with every dated item waiting on them, \
        which re-imports as updates). Work for a role nobody holds goes into nobody.md, \
        .eml and .ics. File names are made safe from people's names. Running it again on \
        the same day writes the same bytes.

        With --smtp, each digest with an address is also handed to that relay (over \
        TLS, its certificate verified; plain SMTP only to a relay on this machine), \
        through an outbox in the \
        workspace: a digest is sent once per person and day, and one that could not be \
        sent is kept and tried again on the next run; the exit code is then 75. \
        docs/reminders.md describes the files and the outbox.
        """)

    @OptionGroup var asOf: AsOfOption
    @Option(
      parsing: .unconditional,  // so that "--days -3" is read and refused as a number, not as a missing value
      help: ArgumentHelp("What is due within this many days counts as due soon.", valueName: "days"))
    var days = 7
    @Option(
      help: ArgumentHelp("The folder to write the digests to (made if missing).", valueName: "dir"),
      completion: .directory)
    var out: String?
    @Option(help: ArgumentHelp("Only this person's digest ('nobody': work for roles nobody holds).", valueName: "name"))
    var person: String?
    @OptionGroup var mail: MailOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      guard (0...Self.maximumDays).contains(days) else {
        throw ValidationError("--days must be 0 to \(Self.maximumDays), got \(days)")
      }
      if out == nil && mail.smtp == nil { throw ValidationError("give --out DIR, --smtp URL, or both") }
      if out?.isEmpty == true { throw ValidationError("--out is empty") }
    }

    static let maximumDays = 3650

    func run() async throws {
      let (relay, from) = try mail.parsed()
      // On a remote's copy the digests are read and written here; mailing is the server's,
      // which mails them itself (accord serve --smtp).
      let desk = try Desk(workspace, command: relay == nil ? "remind" : "remind --smtp")
      let clock = try desk.clock(asOf: asOf.asOf)
      var unreadable = false
      let digests = try ReminderJob.digests(
        desk: desk, clock: clock, days: days, person: person,
        failed: { id, error in
          unreadable = true
          printError("accord: error: \(id): \(error)")
        },
        badAddress: { name, problem in
          printError("accord: warning: the address recorded for \(MailText.oneLine(name)) is not used: \(problem)")
        })
      var written: [[String]] = []
      if let out {
        let folder = try Self.folder(out)
        for digest in digests {
          let files = [
            (digest.slug + ".md", digest.markdown),
            (digest.slug + ".eml", DigestMail(digest: digest, from: from, zone: clock.zone).message),
            (digest.slug + ".ics", digest.calendar),
          ]
          var paths: [String] = []
          for (name, text) in files {
            try OutputFile(path: folder.appendingPathComponent(name).path, force: true).write(text)
            paths.append((out as NSString).appendingPathComponent(name))
          }
          written.append(paths)
        }
      }
      var outcomes: [ReminderPost.Outcome] = []
      if let relay {
        let post = ReminderPost(
          outbox: try desk.mailOutbox(), client: SMTPClient(relay: relay), from: from, zone: clock.zone)
        outcomes = try await post.post(digests)
      }
      if output.json {
        try JSONOutput.print(
          RemindJSON(
            asOf: clock.today.description, days: days,
            digests: zip(digests, written.isEmpty ? digests.map { _ in [] } : written).map(RemindJSON.Digest.init),
            mail: relay.map { _ in outcomes }))
      } else {
        emit(Self.text(digests, written: written, outcomes: outcomes, relay: relay, clock: clock, days: days))
      }
      for outcome in outcomes where outcome.status == .failed {
        var details: [String: Detail] = ["day": .text(outcome.day), "to": .text(outcome.to ?? "")]
        if let person = outcome.person { details["person"] = .text(person) }
        Report(
          status: .tryAgain, code: "not-sent", message: outcome.sentence, details: details,
          text: "accord: error: " + outcome.sentence
        ).print(json: output.json)
      }
      if outcomes.contains(where: { $0.status == .failed }) { throw CommandExit(status: .tryAgain) }
      if unreadable { throw CommandExit(status: .dataError) }
    }

    /// `--out`, made if missing.
    static func folder(_ path: String) throws -> URL {
      let url = URL(fileURLWithPath: path, isDirectory: true)
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
        guard isFolder.boolValue else {
          throw FileProblem(path: path, problem: "is a file, not a folder", status: .cannotCreate, code: "not-a-folder")
        }
        return url
      }
      do {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      } catch {
        throw FileProblem(
          path: path, problem: "cannot be made: \(error.localizedDescription)", status: .ioError, code: "write-failed")
      }
      return url
    }

    static func text(
      _ digests: [ReminderDigest], written: [[String]], outcomes: [ReminderPost.Outcome], relay: SMTPRelay?,
      clock: WorkspaceClock, days: Int
    ) -> [String] {
      var lines: [String] = []
      let within = days == 1 ? "1 day" : "\(days) days"
      if digests.isEmpty {
        lines.append("Nothing overdue or due within \(within) on \(clock.today).")
      } else {
        lines.append("Reminders on \(clock.today), due within \(within) (by \(clock.today.adding(days: days))):")
        for (position, digest) in digests.enumerated() {
          lines.append("  \(MailText.oneLine(digest.addressee)): \(digest.summary)")
          if position < written.count { lines += written[position].map { "    " + $0 } }
        }
      }
      if let relay {
        lines.append("Mail through \(relay):")
        if outcomes.isEmpty { lines.append("  Nothing to mail.") }
        lines += outcomes.filter { $0.status != .failed }.map { "  " + $0.sentence }
        let failed = outcomes.filter { $0.status == .failed }.count
        if failed > 0 { lines.append("  \(failed) not sent: see the errors; tried again on the next run.") }
      }
      return lines
    }
  }
}

/// `--smtp`, its password and CA files, and `--from`, for `remind`, `serve` and `invite`.
struct MailOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The mail relay: smtps://[USER@]HOST[:PORT] (TLS, port 465) or smtp://[USER@]HOST[:PORT] (STARTTLS, port 25; "
        + "plain SMTP only to a relay on this machine).",
      valueName: "url"))
  var smtp: String?
  @Option(
    name: .customLong("smtp-password-file"),
    help: ArgumentHelp(
      "A file holding the password of the USER --smtp names (else $ACCORD_SMTP_PASSWORD).", valueName: "path"),
    completion: .file())
  var passwordFile: String?
  @Option(
    name: .customLong("smtp-ca-file"),
    help: ArgumentHelp("CA certificates (PEM) to trust for the relay, besides the system's.", valueName: "path"),
    completion: .file())
  var caFile: String?
  @Option(help: ArgumentHelp("The sender of the mail (default: \(DigestMail.defaultFrom)).", valueName: "address"))
  var from: String?

  func validate() throws {
    do {
      _ = try parsed()
    } catch {
      throw ValidationError("\(error)")
    }
  }

  /// The relay's password: the file's first line, else `$ACCORD_SMTP_PASSWORD`; nil for none.
  func password() throws(SMTPURLProblem) -> String? {
    guard let passwordFile else {
      return Environment.value("ACCORD_SMTP_PASSWORD").flatMap { $0.isEmpty ? nil : $0 }
    }
    guard let data = FileManager.default.contents(atPath: passwordFile), let text = String(data: data, encoding: .utf8)
    else { throw SMTPURLProblem("--smtp-password-file \(passwordFile) cannot be read as UTF-8 text") }
    let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first
      .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) } ?? ""
    guard !line.isEmpty else { throw SMTPURLProblem("--smtp-password-file \(passwordFile) is empty") }
    return line
  }

  /// The relay and the sender; with `environment`, `$ACCORD_SMTP` when `--smtp` names no relay.
  func parsed(environment: Bool = false) throws -> (SMTPRelay?, MailAddress) {
    let text = smtp ?? (environment ? Environment.value("ACCORD_SMTP") : nil)
    let relay = try text.map { text throws(SMTPURLProblem) in
      // Checked for every relay, with a user or without, before anything is sent.
      if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
        throw SMTPURLProblem("--smtp-ca-file \(caFile) cannot be read")
      }
      // The variable is ambient and counts only for a relay that names a user; a file given
      // for a relay that names none is a mistake, refused as one.
      let names = URLComponents(string: text)?.user != nil
      return try SMTPRelay(url: text, password: names || passwordFile != nil ? try password() : nil, caFile: caFile)
    }
    let from = try MailAddress(from ?? DigestMail.defaultFrom)
    return (relay, from)
  }
}

/// `remind --json`.
struct RemindJSON: Encodable {
  struct Digest: Encodable {
    var person: String?
    var slug: String
    var address: String?
    var overdue: Int
    var dueSoon: Int
    var dated: Int
    var files: [String]

    init(_ digest: ReminderDigest, files: [String]) {
      person = digest.person
      slug = digest.slug
      address = digest.address
      overdue = digest.overdue.count
      dueSoon = digest.dueSoon.count
      dated = digest.dated.count
      self.files = files
    }
  }

  var asOf: String
  var days: Int
  var digests: [Digest]
  var mail: [ReminderPost.Outcome]?
}
