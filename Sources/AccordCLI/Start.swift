import AccordKit
import AccordRemote
import ArgumentParser
import BundledPlaybooks
import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

extension Accord {
  /// `accord start`: puts a new client on a playbook.
  struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "start",
      abstract: "Start a client on a playbook and print its first actions.",
      discussion: """
        The playbook is validated first and copied into the client's record with its \
        SHA-256, so later edits to the YAML never change a running client. You (--by) \
        hold the client's consultant role. Starting a client that exists is refused.
        """)

    @OptionGroup var client: ClientArgument
    @Option(
      help: ArgumentHelp(
        "The playbook YAML to use.",
        discussion: "Defaults to the bundled standard programme (\(BundledPlaybooks.defaultName)).",
        valueName: "file"),
      completion: .file(extensions: ["yaml", "yml"]))
    var playbook: String?
    @Option(help: ArgumentHelp("The client's display name (default: the client id).", valueName: "name"))
    var name: String?
    @Option(help: ArgumentHelp("A note kept with the event.", valueName: "text"))
    var note: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      if let name, name.trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError("--name must not be empty")
      }
    }

    func run() throws {
      let id = client.id
      let person = actor.person
      let source = try PlaybookSource.load(playbook)
      let parsed = source.playbook
      if let session = RemoteSession.current { return try startOnServer(session, source: source, person: person) }
      let (record, programme) = try ClientStart.record(
        id, name: name, playbook: parsed, source: source.text, origin: source.origin, by: person, at: Date(), note: note)
      let desk = try Desk(workspace, person: person, command: "start")
      // A folder is made by the first client; a database is made by accord db migrate.
      let isNew = desk.workspace.map { !FileManager.default.fileExists(atPath: $0.directory.path) } ?? false
      try desk.create(record)
      let created = isNew ? ["Created the workspace \(desk.place) (\(workspace.location.source.description)).", ""] : []
      try ChangeJSON.show(
        created + [
          "Started \(id.rawValue) on \(parsed.id) v\(parsed.version) "
            + "(sha256 \(record.playbook.sha256.prefix(12))); \(person) holds the consultant role.",
          "",
        ] + TextOutput().next(programme, programme.nextActions(), dates: try desk.dates(of: programme)),
        before: nil, after: programme, json: output.json, workspace: workspace)
    }

    /// On a remote, the server starts the client (it alone knows which ids are taken, and
    /// gives the client to the firm): online only. The laptop sends the playbook's text,
    /// checked here first; the copy then holds the client as the server started it.
    private func startOnServer(_ session: RemoteSession.Session, source: PlaybookSource, person: String) throws {
      try RemoteSession.check(person: person, on: session)
      let start = RemoteStart(name: name, playbook: source.text, origin: source.origin, note: note)
      try RemoteSession.onServer(session) {
        "a client is started on \(session.name)'s server, which cannot be reached (\($0)): run accord start again once it can"
      } _: { [client] in
        try await $0.start(client.id.rawValue, start)
      }
      let desk = try Desk(workspace, person: person, command: "start")
      let (record, programme) = try desk.read(client.id)
      let parsed = programme.playbook
      try ChangeJSON.show(
        [
          "Started \(client.id.rawValue) on \(parsed.id) v\(parsed.version) "
            + "(sha256 \(record.playbook.sha256.prefix(12))); \(person) holds the consultant role.",
          "",
        ] + TextOutput().next(programme, programme.nextActions(), dates: try desk.dates(of: programme)),
        before: nil, after: programme, json: output.json, workspace: workspace)
    }
  }
}

/// A playbook's text, where it came from (a file, or the copy compiled into `accord`),
/// and the playbook it holds, validated.
struct PlaybookSource {
  var text: String
  var origin: String
  var playbook: Playbook

  static func load(_ path: String?) throws -> PlaybookSource {
    guard let path else {
      let name = BundledPlaybooks.defaultName
      guard let text = BundledPlaybooks.text(named: name) else {
        throw FileProblem(path: name, problem: "no bundled playbook of that name", status: .noInput, code: "no-such-playbook")
      }
      let origin = "bundled:\(name)"
      return PlaybookSource(text: text, origin: origin, playbook: try Playbook.parse(text, file: origin))
    }
    let data = try InputFile.playbook.read(path)
    // Parsing the bytes lets the parser report text that is not UTF-8, with a location.
    let playbook = try Playbook.parse(data, file: path)
    return PlaybookSource(text: String(decoding: data, as: UTF8.self), origin: path, playbook: playbook)
  }
}
