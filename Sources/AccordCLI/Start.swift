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
        valueName: "file"))
    var playbook: String?
    @Option(help: ArgumentHelp("The client's display name (default: the client id).", valueName: "name"))
    var name: String?
    @Option(help: ArgumentHelp("A note kept with the event.", valueName: "text"))
    var note: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      _ = try client.id()
      if let name, name.trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError("--name must not be empty")
      }
    }

    func run() throws {
      try reporting {
        let id = try client.id()
        let person = actor.person
        let source = try PlaybookSource.load(playbook)
        let parsed = source.playbook
        let start = Event(
          .started(client: id.rawValue, name: name ?? id.rawValue), by: person, at: Date(), note: note)
        let programme = try Programme(playbook: parsed, start: start)
        let record = try ClientRecord(starting: programme, source: source.text, origin: source.origin)
        try Desk(workspace, person: person, command: "start").workspace.create(record)
        emit([
          "Started \(id.rawValue) on \(parsed.id) v\(parsed.version) "
            + "(sha256 \(record.playbook.sha256.prefix(12))); \(person) holds the consultant role.",
          "",
        ])
        emit(TextOutput().next(programme, programme.nextActions()))
      }
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
        throw FileProblem(path: name, problem: "no bundled playbook of that name", exitCode: 66)
      }
      let origin = "bundled:\(name)"
      return PlaybookSource(text: text, origin: origin, playbook: try Playbook.parse(text, file: origin))
    }
    let data = try readFile(path, what: "playbook")
    // Parsing the bytes lets the parser report text that is not UTF-8, with a location.
    let playbook = try Playbook.parse(data, file: path)
    return PlaybookSource(text: String(decoding: data, as: UTF8.self), origin: path, playbook: playbook)
  }
}

/// The bytes of a file named on the command line, or a `FileProblem` that says why not.
///
/// Never more than a playbook may hold: a regular file over the limit is refused before it
/// is read, and a stream (a pipe, `/dev/zero`) is read only up to the limit, so a wrong
/// file can neither fill the memory nor keep the command reading for ever.
func readFile(_ path: String, what: String) throws -> Data {
  var isFolder: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
    throw FileProblem(path: path, problem: "no such file", exitCode: 66)
  }
  guard !isFolder.boolValue else {
    throw FileProblem(path: path, problem: "is a folder, not a \(what) file", exitCode: 66)
  }
  guard let handle = FileHandle(forReadingAtPath: path) else {
    throw FileProblem(path: path, problem: "cannot read the \(what) file", exitCode: 66)
  }
  defer { try? handle.close() }
  let limit = Playbook.maximumSize
  let attributes = try? FileManager.default.attributesOfItem(atPath: path)
  if attributes?[.type] as? FileAttributeType == .typeRegular,
    let size = attributes?[.size] as? Int, size > limit
  {
    try Playbook.checkSize(size, file: path)
  }
  let data: Data
  do {
    data = try handle.read(upToCount: limit + 1) ?? Data()
  } catch {
    throw FileProblem(path: path, problem: "cannot read the \(what) file: \(error)", exitCode: 66)
  }
  guard data.count <= limit else {
    let message = "the playbook is longer than the limit of \(limit) bytes (16 MiB)"
    throw PlaybookError([Diagnostic(message, at: SourceLocation(file: path, line: 1, column: 1))])
  }
  return data
}
