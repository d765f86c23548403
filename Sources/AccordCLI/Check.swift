import AccordKit
import ArgumentParser
import Foundation
import PostgresStore
import WorkspaceStore

extension Accord {
  /// `accord check`: verifies client files and reports every problem found.
  struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Verify one client or the whole workspace and report every problem found.",
      discussion: """
        Each client file must read, its history's hash chain must hold from the first \
        event to the last, every playbook text stored with it must be the one the chain \
        records, and its history must replay through the rules of that playbook, read from \
        the client file (never from the cache of compiled playbooks). A client started \
        before Accord recorded its text gets a note: its next change seals the text into \
        the chain. It must also not be older than, or different from, what \
        this machine has seen of it: every command remembers the newest revision of each \
        client it reads or writes, in $XDG_STATE_HOME/accord/seen (by default \
        ~/.local/state/accord/seen), outside the workspace, so that a file replaced by an \
        older copy (a restored backup, a sync conflict, an old git checkout) is caught. \
        A temporary file left by a command killed mid-write (SIGKILL, a crash) is a \
        problem too: the client file is whole without it, but something went wrong, and \
        it should be deleted when no command is running. On a database (--database) each \
        client must read, its chain hold and its history replay, and the summary the \
        database keeps of it for listings must be the one its history gives. Exits 0 when \
        every client is sound, 65 when any has a problem.
        """)

    @Argument(
      help: ArgumentHelp("The client to check (default: every client).", valueName: "client"),
      completion: .custom(Completions.clients), transform: ClientID.parse)
    var client: ClientID?
    @Flag(
      help: ArgumentHelp(
        "Take the client's file as it is now as the newest this machine has seen.",
        discussion: "For an older copy restored on purpose. Needs a client."))
    var accept = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      if accept && client == nil {
        throw ValidationError("--accept needs a client: accept one client at a time")
      }
      if accept && workspace.onDatabase {
        throw ValidationError("--accept is for a workspace folder's copy on this machine, not a database")
      }
    }

    func run() async throws {
      if let address = try workspace.databaseAddress() {
        let results = try await withDatabase(address) { store in try await Self.check(store, client: client) }
        if output.json {
          try JSONOutput.print(results.map(CheckJSON.init))
        } else {
          emit(Self.render(results, folder: address.description))
        }
        if results.contains(where: { !$0.isSound }) { throw CommandExit(status: .dataError) }
        return
      }
      try runOnFolder()
    }

    /// Every client of the database (or `client`), and the listing's projection held to a
    /// full replay of each history.
    static func check(_ store: PostgresStore, client: ClientID?) async throws -> [ClientCheck] {
      var ids = client.map { [$0] } ?? []
      if client == nil { ids = try await store.clientIDs() }
      let projection = Dictionary(
        try await store.projectionProblems().map { ($0.client, $0.problem) }, uniquingKeysWith: { a, _ in a })
      var results: [ClientCheck] = []
      for id in ids {
        var result = await store.check(id)
        if result.isSound, let problem = projection[id] { result.problems.append(problem) }
        results.append(result)
      }
      return results
    }

    func runOnFolder() throws {
      var unsound = false
      var store = workspace.open(holder: Environment.holder(Environment.loginName, "check"))
      store.interrupted = { Interruption.wasRequested }
      if accept, let id = client {
        let record = try store.accept(id)
        emit([
          store.seen == nil
            ? "\(id) is sound, but this machine keeps no record of what it has seen "
              + "(neither XDG_STATE_HOME nor HOME is set)."
            : "\(id): revision \(record.revision) (\(record.events.count) events) is now the "
              + "newest this machine has seen; check compares against it from now on."
        ])
        return
      }
      let results = try client.map { [try store.check($0)] } ?? store.checkAll()
      unsound = results.contains { !$0.isSound }
      if output.json {
        try JSONOutput.print(results.map(CheckJSON.init))
      } else {
        emit(Self.render(results, folder: store.directory.path))
      }
      if unsound { throw CommandExit(status: .dataError) }
    }

    /// One line per client, its problems and notes indented below it, then a summary.
    static func render(_ results: [ClientCheck], folder: String) -> [String] {
      guard !results.isEmpty else { return ["No clients in \(folder)."] }
      var table = Table()
      for result in results {
        let detail = result.revision.map { "revision \($0), \(result.events ?? 0) events" } ?? ""
        table.append(result.client, result.isSound ? "ok" : "PROBLEM", detail)
      }
      var lines: [String] = []
      for (line, result) in zip(table.render(indent: ""), results) {
        lines.append(line)
        lines += result.problems.map { "  " + $0 }
        lines += result.notes.map { "  note: " + $0 }
      }
      let unsound = results.count { !$0.isSound }
      let clients = results.count == 1 ? "1 client" : "\(results.count) clients"
      lines.append("")
      lines.append(
        unsound == 0
          ? "\(clients) checked: all sound."
          : "\(clients) checked: \(unsound) with problems. Nothing was changed.")
      return lines
    }
  }
}

/// One client of `check --json`.
struct CheckJSON: Encodable {
  var client: String
  var path: String
  var sound: Bool
  var revision: Int?
  var events: Int?
  var problems: [String]
  var notes: [String]
  var leftovers: [String]

  init(_ result: ClientCheck) {
    client = result.client
    path = result.path
    sound = result.isSound
    revision = result.revision
    events = result.events
    problems = result.problems
    notes = result.notes
    leftovers = result.leftovers
  }

  private enum Key: String, CodingKey { case client, path, sound, revision, events, problems, notes, leftovers }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(client, forKey: .client)
    try container.encode(path, forKey: .path)
    try container.encode(sound, forKey: .sound)
    // null rather than missing when the file could not be read, so the keys are always there.
    try container.encode(revision, forKey: .revision)
    try container.encode(events, forKey: .events)
    try container.encode(problems, forKey: .problems)
    try container.encode(notes, forKey: .notes)
    try container.encode(leftovers, forKey: .leftovers)
  }
}
