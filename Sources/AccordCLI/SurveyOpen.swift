import AccordKit
import AccordRemote
import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine

extension Accord.SurveyCommand {
  /// `accord survey open`: opens a round for answers on the web, with its links.
  struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "open",
      abstract: "Open a survey round for answers on the web, and print its links.",
      discussion: """
        With --codes N, prints N single-use links, one a line: hand them out one per \
        person (the czar can), with no name attached; each answers once. Without it, \
        prints one shared link, which anyone holding it can use, and which cannot stop \
        someone answering twice. The links are shown once: Accord keeps only a hash of \
        each code. --out FILE writes the links as CSV, with a printable page beside it \
        (FILE with .html), instead of printing them.

        The survey page asks nobody's name, sets no cookie and logs no address; an \
        answer is kept with no time, no code and in no order of arrival. While the \
        round is open only the number of answers is shown (accord survey status). \
        accord survey close records the answers as the round's responses; --closes \
        DATE closes it by itself after that day (UTC). The consultant or the czar \
        opens and closes a round.

        With a remote (--remote), the server opens the round, online only, and takes \
        its answers: the links lead to the remote's address unless --url or \
        $ACCORD_URL says otherwise.
        """)

    @OptionGroup var client: ClientArgument
    @Option(help: ArgumentHelp("The round's name (an id); round-N, the next, if not given.", valueName: "name"))
    var round: String?
    @Option(help: ArgumentHelp("Make this many single-use links, instead of one shared link.", valueName: "n"))
    var codes: Int?
    @Option(help: ArgumentHelp("The last day answers are taken (YYYY-MM-DD, UTC).", valueName: "date"))
    var closes: String?
    @Option(
      help: ArgumentHelp("Write the links as CSV to this file, and a printable page beside it (.html).", valueName: "file"),
      completion: .file(extensions: ["csv"]))
    var out: String?
    @Flag(help: "Replace the --out files if they exist.")
    var force = false
    @Option(help: ArgumentHelp("A note kept with the event.", valueName: "text"))
    var note: String?
    @OptionGroup var site: SiteOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      if let (option, problem) = SurveyWeb.problem(round: round, codes: codes, closes: closes) {
        throw ValidationError("--\(option)\(problem)")
      }
    }

    func run() throws {
      // The files are checked before the round opens: its links are shown once.
      if let out, !force {
        for path in [out, SurveyLinks.htmlPath(out)] where FileManager.default.fileExists(atPath: path) {
          throw FileProblem(
            path: path, problem: "already exists; use --force to replace it", status: .cannotCreate, code: "file-exists")
        }
      }
      let opened: (round: String, shared: Bool, codes: [String])
      var base = site.base
      if let session = RemoteSession.current {
        opened = try openOnServer(session)
        base = site.base(remote: session.url)
      } else {
        let desk = try Desk(workspace, person: actor.person, command: "survey open")
        let made = try SurveyWeb.open(
          client.id, round: round, codes: codes, closes: closes, by: actor.person, note: note, on: desk)
        opened = (made.round, made.shared, made.codes)
      }
      let links = opened.codes.map { base + "/survey/" + $0 }
      if let out {
        let title = "Collaboration survey: \(client.id.rawValue), \(opened.round)"
        try SurveyLinks.write(links, csv: out, title: title, closes: closes, force: force)
      }
      if output.json {
        try JSONOutput.print(
          OpenedJSON(
            client: client.id.rawValue, round: opened.round, shared: opened.shared, closes: closes,
            links: out == nil ? links : nil, csv: out, html: out.map(SurveyLinks.htmlPath)))
        return
      }
      var lines = [
        opened.shared
          ? "Opened round '\(opened.round)' for answers with one shared link. Anyone holding it can answer, "
            + "and nothing stops someone answering twice."
          : "Opened round '\(opened.round)' for answers with \(links.count) single-use links: hand out one per person."
      ]
      if let out {
        lines.append("The links are in \(out), and a printable page in \(SurveyLinks.htmlPath(out)).")
      }
      lines.append(
        closes.map { "It closes by itself after \($0) (UTC), or with `accord survey close \(client.id) --round \(opened.round)`." }
          ?? "Close it with `accord survey close \(client.id) --round \(opened.round)`.")
      AccordKit.emit(lines)
      // The links last, one a line, for a script or a mail merge to take.
      if out == nil { AccordKit.emit(links) }
    }

    /// On a remote, the server opens the round: answers are taken in its survey box, at its
    /// address. Online only; the copy is brought up to date after, so that it shows the round
    /// open. The server answers the codes, and the links are made here, as on a folder.
    private func openOnServer(_ session: RemoteSession.Session) throws -> (round: String, shared: Bool, codes: [String]) {
      try RemoteSession.check(person: actor.person, on: session)
      let opening = RemoteSurveyOpening(round: round, codes: codes, closes: closes, note: note)
      let opened = try RemoteSession.onServer(session) {
        "a survey round is opened on \(session.name)'s server, which takes its answers, and it cannot be reached "
          + "(\($0)): run accord survey open again once it can"
      } _: { [client] in
        try await $0.openSurvey(client.id.rawValue, opening)
      }
      RemoteSession.catchUp(for: "survey open", person: actor.person, json: output.json)
      return (opened.round, opened.shared, opened.codes)
    }

    struct OpenedJSON: Encodable {
      var client: String
      var round: String
      var shared: Bool
      var closes: String?
      var links: [String]?
      var csv: String?
      var html: String?
    }
  }
}
