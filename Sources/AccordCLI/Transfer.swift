import AccordKit
import ArgumentParser
import Foundation
import PostgresStore
import WorkspaceStore

extension Accord {
  /// `accord migrate`: a workspace folder's clients into PostgreSQL.
  struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "migrate",
      abstract: "Move a workspace folder's clients, access and settings into a PostgreSQL database.",
      discussion: """
        Each client is read and checked whole (its history's chain, its replay) and kept in \
        the database exactly as it was kept in its file: `accord export` gives the same file \
        back, byte for byte. A client the database already has is refused for that client \
        and said so; the others are still moved (exit 1 when any was refused, 65 when any \
        could not be read). The access book (people's access, sessions and tokens) and the \
        settings move too when the database has none of its own yet. The folder is left as \
        it is. Run `accord db migrate` first.
        """)

    @Option(
      help: ArgumentHelp("The workspace folder to move the clients from.", valueName: "dir"), completion: .directory)
    var from: String
    @Option(help: ArgumentHelp("The database to move them into: postgresql://user@host/database.", valueName: "url"))
    var to: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
      let folder = try TransferEnds.folder(from, existing: true)
      try await withDatabase(try DatabaseOptions.address(to)) { database in
        try await TransferEnds.move(from: folder, to: database, json: output.json, verb: "Moved")
      }
    }
  }

  /// `accord export`: a database's clients into a workspace folder.
  struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Copy a PostgreSQL database's clients, access and settings into a workspace folder.",
      discussion: """
        Each client is read and checked whole and written as the file it was when it was \
        moved in (or as a folder would have written it): a folder moved in with `accord \
        migrate` and exported again gives each client's file back byte for byte, and \
        `accord check` passes on it. A client the folder already has is refused for that \
        client and said so; the others are still copied. The database is left as it is.
        """)

    @Option(help: ArgumentHelp("The database to copy the clients from.", valueName: "url"))
    var from: String
    @Option(help: ArgumentHelp("The workspace folder to copy them into (made if missing).", valueName: "dir"), completion: .directory)
    var to: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
      let folder = try TransferEnds.folder(to, existing: false)
      try await withDatabase(try DatabaseOptions.address(from)) { database in
        try await TransferEnds.move(from: database, to: folder, json: output.json, verb: "Copied")
      }
    }
  }
}

/// What `migrate` and `export` share: the folder end, the move, and its report.
enum TransferEnds {
  static func folder(_ path: String, existing: Bool) throws -> FolderStore {
    let url = URL(fileURLWithPath: path, isDirectory: true)
    var isFolder: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
    if exists && !isFolder.boolValue {
      throw FileProblem(path: url.path, problem: "is a file, not a workspace folder", status: .usage, code: "usage")
    }
    if existing && !exists {
      throw FileProblem(path: url.path, problem: "does not exist", status: .noInput, code: "no-such-file")
    }
    var workspace = Workspace(directory: url, lockTimeout: Environment.lockTimeout, holder: Workspace.defaultHolder)
    workspace.compiled = CompiledPlaybooks.standard()
    return FolderStore(workspace)
  }

  static func move(from source: any ClientStore, to destination: any ClientStore, json: Bool, verb: String)
    async throws
  {
    let progress = TerminalProgress("\(verb == "Moved" ? "Moving" : "Copying") clients", json: json)
    let result = try await StoreTransfer.move(
      from: source, to: destination, compiled: CompiledPlaybooks.standard(), progress: progress.update)
    progress.finish()
    if json {
      try JSONOutput.print(TransferJSON(result, from: source.place, to: destination.place))
    } else {
      emit(lines(result, verb: verb, from: source.place, to: destination.place))
    }
    if result.clients.contains(where: { if case .failed = $0.outcome { true } else { false } }) {
      throw CommandExit(status: .dataError)
    }
    if result.refused > 0 { throw CommandExit(status: .refused) }
  }

  static func lines(_ result: StoreTransfer.Result, verb: String, from: String, to: String) -> [String] {
    let events = result.clients.reduce(0) { sum, client in
      if case let .moved(count) = client.outcome { sum + count } else { sum }
    }
    var lines = [
      "\(verb) \(result.moved == 1 ? "1 client" : "\(result.moved) clients") (\(events) events) from \(from) to \(to)."
    ]
    for (id, outcome) in result.clients {
      switch outcome {
      case .moved: continue
      case .exists: lines.append("\(id): refused: \(to) already has a client '\(id)'; it was left as it is.")
      case let .failed(failure): lines.append("\(id): not \(verb.lowercased()): \(failure)")
      }
    }
    switch result.access {
    case true?: lines.append("The access book (people's access, sessions and tokens) was \(verb.lowercased()) too.")
    case false?: lines.append("\(to) has an access book of its own: it was left as it is, and this one not \(verb.lowercased()).")
    case nil: break
    }
    switch result.settings {
    case true?: lines.append("The settings (time zone, addresses) were \(verb.lowercased()) too.")
    case false?: lines.append("\(to) has settings of its own: they were left as they are, and these not \(verb.lowercased()).")
    case nil: break
    }
    return lines
  }
}

/// What `migrate --json` and `export --json` print.
struct TransferJSON: Encodable {
  struct Client: Encodable {
    var client: String
    /// `moved`, `exists` or `failed`.
    var outcome: String
    var events: Int?
    var code: String?
    var message: String?
  }

  var from: String
  var to: String
  var moved: Int
  var refused: Int
  var clients: [Client]
  /// `moved`, `kept` (the destination had its own) or `none` (the source had none).
  var access: String
  var settings: String

  init(_ result: StoreTransfer.Result, from: String, to: String) {
    self.from = from
    self.to = to
    moved = result.moved
    refused = result.refused
    clients = result.clients.map { id, outcome in
      switch outcome {
      case let .moved(events): Client(client: id.rawValue, outcome: "moved", events: events)
      case .exists: Client(client: id.rawValue, outcome: "exists", code: "client-exists")
      case let .failed(failure):
        Client(client: id.rawValue, outcome: "failed", code: failure.code, message: failure.description)
      }
    }
    let word = { (moved: Bool?) in moved.map { $0 ? "moved" : "kept" } ?? "none" }
    access = word(result.access)
    settings = word(result.settings)
  }
}
