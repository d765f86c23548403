import AccordKit
import AccordRemote
import ArgumentParser
import Foundation
import ProgrammeEngine

extension Accord {
  /// `accord sync`: this laptop's copy of a remote's clients and the server, made one.
  struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Send the changes made on this laptop to the firm's server and bring its copy up to date.",
      discussion: """
        A command sent to a remote (--remote NAME, $ACCORD_REMOTE, accord remote use) runs \
        on this laptop's copy of the clients you may see, kept in \
        $XDG_DATA_HOME/accord/remotes/NAME. When the server cannot be reached, changes are \
        decided here by the same rules and wait in the copy. sync sends them in the order \
        they were made; the server decides each again, as you, on its history now: it keeps \
        it (once, however often it is sent) or refuses it with the programme's refusal, and \
        then the copy is brought up to the server's history. A refused change is kept in \
        the record of rejected changes: --rejected lists them, --retry ID sends one again \
        (when what stopped it has changed), --drop ID forgets it. See docs/sync.md. \
        Exits 1 when the server refused a change, 75 when it cannot be reached.
        """)

    @Option(help: ArgumentHelp("The remote to sync (default: $ACCORD_REMOTE, else the one accord remote use chose).", valueName: "name"))
    var remote: String?
    @Flag(help: "List the changes the server refused, kept on this laptop, instead of syncing.")
    var rejected = false
    @Option(help: ArgumentHelp("Send a refused change again, by its id (see --rejected).", valueName: "id"))
    var retry: String?
    @Option(help: ArgumentHelp("Forget a refused change, by its id (see --rejected).", valueName: "id"))
    var drop: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
      let asked = [rejected ? "--rejected" : nil, retry.map { _ in "--retry" }, drop.map { _ in "--drop" }].compactMap { $0 }
      if asked.count > 1 { throw ValidationError("\(asked.joined(separator: " and ")) ask for different things: give one") }
    }

    func run() async throws {
      guard let name = try RemoteConfig.selected(flag: remote) else {
        throw UsageError(
          "no remote to sync: give --remote NAME, set $ACCORD_REMOTE, or choose one with accord remote use NAME",
          hint: "accord remote add NAME URL, then accord login NAME, adds one.")
      }
      try RemoteSession.select(name)
      let session = RemoteSession.current!
      if rejected { return try list(session) }
      if let drop { return try forget(drop, session) }
      if let retry { try await send(retry, session) }
      let progress = TerminalProgress("Bringing clients up to date", json: output.json)
      let report = try await Sync.run(session.replica, through: session.transport, progress: { done, total in
        progress.update(done, of: total)
      })
      progress.finish()
      if output.json {
        try JSONOutput.print(SyncJSON(remote: name, url: session.url.absoluteString, copy: session.replica.directory.path, report: report))
      } else {
        emit(Self.lines(report, session: session))
      }
      if report.offline != nil { throw CommandExit(status: .tryAgain) }
      if !report.refused.isEmpty { throw CommandExit(status: .refused) }
    }

    /// The record of rejected changes.
    private func list(_ session: RemoteSession.Session) throws {
      let rejected = try session.replica.state().rejected
      if output.json { return try JSONOutput.print(rejected) }
      guard !rejected.isEmpty else { return emit(["No rejected changes on this laptop's copy of \(session.name)."]) }
      var lines = ["\(rejected.count) change\(rejected.count == 1 ? "" : "s") \(session.name) refused:"]
      for change in rejected {
        lines.append("  \(change.id)  \(SyncText.describe(change.event, client: change.client))")
        lines.append("      refused \(change.refusedAt): \(change.message) (\(change.code))")
      }
      lines.append("Do each again as the programme now allows, then accord sync --drop ID; or --retry ID to send it again.")
      emit(lines)
    }

    private func forget(_ id: String, _ session: RemoteSession.Session) throws {
      var state = try session.replica.state()
      guard let index = state.rejected.firstIndex(where: { $0.id == id }) else { throw Self.noSuchRejected(id, state) }
      let change = state.rejected.remove(at: index)
      try session.replica.save(state)
      if output.json { return try JSONOutput.print(change) }
      emit(["Dropped \(SyncText.describe(change.event, client: change.client))."])
    }

    /// Sends a rejected change again, as it was made; kept or refused again, the record says so.
    private func send(_ id: String, _ session: RemoteSession.Session) async throws {
      var state = try session.replica.state()
      guard let index = state.rejected.firstIndex(where: { $0.id == id }) else { throw Self.noSuchRejected(id, state) }
      let change = state.rejected[index]
      do {
        _ = try await session.transport.push(change.event, upgrade: change.upgrade, to: change.client)
        state.rejected.remove(at: index)
        try session.replica.save(state)
      } catch let RemoteFailure.answered(_, code, message, _) {
        state.rejected[index].code = code
        state.rejected[index].message = message
        state.rejected[index].refusedAt = Timestamp.format(Date())
        try session.replica.save(state)
        throw CommandRefusal(
          code: code, description: "\(session.name) refused it again: \(message)", details: ["id": .text(id)])
      }
    }

    private static func noSuchRejected(_ id: String, _ state: SyncState) -> UsageError {
      UsageError(
        "no rejected change has the id \(id)",
        hint: state.rejected.isEmpty ? "There are none." : "accord sync --rejected lists them with their ids.")
    }

    static func lines(_ report: SyncReport, session: RemoteSession.Session) -> [String] {
      var text = ""
      if let reason = report.offline {
        let age = report.syncedAt.map { "synced \(SyncText.age(since: $0))" } ?? "never synced"
        text += "\(session.name) (\(session.url.absoluteString)) cannot be reached: \(reason).\n"
        text += "This laptop's copy was \(age); \(report.waiting) change\(report.waiting == 1 ? "" : "s") wait to be sent.\n"
      } else {
        text += "Synced \(session.name) (\(session.url.absoluteString)) as \(report.person ?? session.person).\n"
      }
      let sent = report.sent
      if !sent.isEmpty {
        let kept = sent.filter { $0.outcome != "refused" }.count
        text += "Sent \(sent.count) change\(sent.count == 1 ? "" : "s"): \(kept) kept, \(sent.count - kept) refused.\n"
        for change in report.refused {
          text += "  refused: \(SyncText.describe(change.event, client: change.client)): \(change.message ?? "")\n"
        }
      }
      if !report.updated.isEmpty {
        text += "Brought up to date: \(report.updated.joined(separator: ", ")).\n"
      }
      if !report.removed.isEmpty {
        text += "Taken out of this copy (no longer yours to see): \(report.removed.joined(separator: ", ")).\n"
      }
      for client in report.notKept {
        text += "Not kept on this laptop: \(client.client): \(client.message)\n"
      }
      if !report.changedDuringSync.isEmpty {
        text += "Changed here during the sync, sent next time: \(report.changedDuringSync.joined(separator: ", ")).\n"
      }
      if report.rejected > 0 {
        text += "\(report.rejected) rejected change\(report.rejected == 1 ? "" : "s") kept: accord sync --rejected.\n"
      }
      return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
  }
}

/// `accord sync --json`.
struct SyncJSON: Encodable {
  var remote: String
  var url: String
  var copy: String
  var report: SyncReport
}
