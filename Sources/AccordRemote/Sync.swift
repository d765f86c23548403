import AccordKit
import Foundation
import ProgrammeEngine
import WorkspaceStore

/// One sync of a replica with its server: the changes made here are sent, in the order they
/// were made, for the server to decide again; then the replica is brought up to the server's
/// history. The laptop proposes, the server decides (docs/sync.md).
///
/// Nothing typed is lost: each change sent is kept by the server (once, whatever the retries:
/// its id decides) or refused, and a refused one is kept in the replica's record of rejected
/// changes until it is redone or dropped. A client file is replaced by the server's only when
/// it still holds what was sent from it, so a change made here during a sync waits for the next.
package enum Sync {
  /// The feed is read in pages of this many events.
  package static let feedPage = 1_000

  /// Syncs `replica` through `transport`; `now` stamps refusals and the sync. `progress` is
  /// told of each client brought up to date (done, of how many), for a terminal.
  /// Throws when the server will not have the person (401), when the replica is another
  /// person's and holds their changes, and when a file of the replica cannot be read or written.
  package static func run(
    _ replica: Replica, through transport: any RemoteTransport, now: @escaping @Sendable () -> Date = Date.init,
    progress: (Int, Int) -> Void = { _, _ in }
  ) async throws -> SyncReport {
    try await replica.whileSyncing {
      var state = try replica.state()
      let workspace = replica.workspace()
      var report = SyncReport(person: state.person, syncedAt: state.syncedAt)
      /// The sync stops where the server could not be reached or could not take a change
      /// now: what was kept stays kept, and the rest waits for the next sync.
      func stopped(_ reason: String) throws -> SyncReport {
        report.offline = reason
        report.waiting = try waiting(in: workspace, state: state)
        return report
      }
      let me: RemotePerson
      do {
        me = try await transport.me()
      } catch let RemoteFailure.unreachable(reason) {
        return try stopped(reason)
      } catch let RemoteFailure.answered(401, _, message, _) {
        throw SyncRefusal.signInRefused(message: message)
      }
      report.person = me.person
      if let person = state.person, person != me.person {
        // A copy holds one person's changes: another's sign-in must not send them as theirs.
        let waiting = try waiting(in: workspace, state: state)
        guard waiting == 0, state.rejected.isEmpty else {
          throw SyncRefusal.anotherPersonsCopy(copy: person, signedIn: me.person, waiting: waiting)
        }
        for id in try workspace.clientIDs() {
          if let bytes = try workspace.bytes(of: id) { try workspace.removeReplica(id, expected: bytes) }
        }
        state = SyncState()
      }
      state.person = me.person

      // 1. Send what was made here, client by client, each in the order it was made.
      var sent: [ClientID: Data] = [:]
      var lengths: [String: Int] = [:]
      for id in try workspace.clientIDs() {
        guard let bytes = try workspace.bytes(of: id) else { continue }
        sent[id] = bytes
        let record = try ClientRecord.decode(bytes, client: id, place: workspace.fileURL(for: id).path)
        lengths[id.rawValue] = record.events.count
        let confirmed = state.clients[id.rawValue] ?? 0
        for var event in Replica.pending(in: record, confirmed: confirmed) {
          // Its link in this copy's chain is this copy's: the server links it into its own.
          event.previous = nil
          let upgrade = Replica.upgrade(of: event, in: record, state: state)
          do {
            let answer = try await transport.push(event, upgrade: upgrade, to: id.rawValue)
            state.forced.remove(event.id ?? "")
            report.sent.append(SentChange(client: id.rawValue, event: event, outcome: answer.outcome))
          } catch let RemoteFailure.unreachable(reason) {
            // Cut off: what was kept stays kept, and the rest is sent again next time (the
            // server answers `kept` for what it has). Nothing of the server's is read.
            try replica.save(state)
            return try stopped(reason)
          } catch let RemoteFailure.answered(status, code, message, _) where Self.isTransient(status, code) {
            try replica.save(state)
            return try stopped("the server could not take the change now (\(code)): \(message)")
          } catch let RemoteFailure.answered(_, code, message, _) {
            let refused = RejectedChange(
              client: id.rawValue, event: event, code: code, message: message, refusedAt: Timestamp.format(now()),
              upgrade: upgrade)
            state.forced.remove(event.id ?? "")
            if !state.rejected.contains(where: { $0.client == refused.client && $0.id == refused.id }) {
              state.rejected.append(refused)
            }
            report.sent.append(SentChange(client: id.rawValue, event: event, outcome: "refused", code: code, message: message))
          }
        }
      }
      // The refusals are kept before anything of the server's is read.
      try replica.save(state)

      // 2. Bring the replica up to the server: the clients the person may see, those the feed
      // says changed, and those just sent to.
      let listed: Set<String>
      var changed: Set<String> = []
      var cursor = state.cursor
      do {
        listed = Set(try await transport.clients())
        while true {
          let page = try await transport.changes(after: cursor, limit: feedPage)
          changed.formUnion(page.clients)
          cursor = page.cursor ?? cursor
          if page.count < feedPage { break }
        }
      } catch let RemoteFailure.unreachable(reason) {
        return try stopped(reason)
      }
      let held = Set(sent.keys.map(\.rawValue))
      for client in held.union(state.clients.keys).subtracting(listed).sorted() {
        // No longer the person's to see (or archived): what they changed was sent and
        // answered above, and the copy goes.
        let id = try ClientID(client)
        if let bytes = sent[id] {
          do {
            try workspace.removeReplica(id, expected: bytes)
          } catch StoreError.changedOnDisk {
            report.changedDuringSync.append(client)
            continue
          }
        }
        state.clients[client] = nil
        report.removed.append(client)
      }
      // A client not held here, one the feed names, and one holding more than the server had.
      let fetch = listed.filter { client in
        changed.contains(client)
          || (state.clients[client] == nil && !state.uncopied.contains(client))
          || lengths[client] != state.clients[client]
      }.sorted()
      state.uncopied.formIntersection(listed)
      for (done, client) in fetch.enumerated() {
        progress(done, fetch.count)
        let id = try ClientID(client)
        let data: Data
        do {
          data = try await transport.record(of: client)
        } catch let RemoteFailure.unreachable(reason) {
          report.offline = reason
          break
        } catch let RemoteFailure.answered(status, code, message, _) where status == 403 || status == 404 {
          // Seen as counts only (403), or gone since it was listed (404): not kept here.
          if let bytes = sent[id] { try? workspace.removeReplica(id, expected: bytes) }
          state.clients[client] = nil
          if status == 403 { state.uncopied.insert(client) }
          report.notKept.append(NotKept(client: client, code: code, message: message))
          continue
        }
        let record: ClientRecord
        do {
          record = try ClientRecord.decode(data, client: id, place: "the server's copy of \(client)")
          _ = try record.verifiedProgramme(compiled: workspace.compiled)
        } catch {
          report.notKept.append(
            NotKept(client: client, code: "bad-copy", message: "the server's copy does not check: \(error)"))
          continue
        }
        do {
          try workspace.replace(with: record, expected: sent[id])
        } catch StoreError.changedOnDisk, StoreError.clientExists {
          // Changed here while this sync ran: sent next time, then brought up to date.
          report.changedDuringSync.append(client)
          continue
        }
        state.clients[client] = record.events.count
        state.uncopied.remove(client)
        report.updated.append(client)
      }
      progress(fetch.count, fetch.count)
      if report.offline == nil {
        // What the copy needs of the server besides its clients: its zone, for dates, and
        // the firm's public key, for verify.
        do {
          try replica.keep(zone: me.zone)
          try replica.keep(firmKey: try await transport.firmKey())
        } catch let RemoteFailure.unreachable(reason) {
          report.offline = reason
        }
      }
      if report.offline == nil {
        state.cursor = cursor
        state.syncedAt = Timestamp.format(now())
        report.syncedAt = state.syncedAt
      }
      try replica.save(state)
      report.waiting = try waiting(in: workspace, state: state)
      report.rejected = state.rejected.count
      return report
    }
  }

  /// How many changes made here wait to be sent.
  package static func waiting(in workspace: Workspace, state: SyncState) throws -> Int {
    var count = 0
    for id in try workspace.clientIDs() {
      let record = try workspace.read(id)
      count += Replica.pending(in: record, confirmed: state.clients[id.rawValue] ?? 0).count
    }
    return count
  }

  /// An answer that says "not now" rather than "no": the server's own trouble, a client
  /// being changed by someone else, a race lost after its retries.
  static func isTransient(_ status: Int, _ code: String) -> Bool {
    status >= 500 || status == 429 || code == "lost-race" || code == "store-unavailable"
  }
}

/// What one sync did.
package struct SyncReport: Encodable, Sendable {
  /// The person the server has the sign-in as (nil before the first sync, offline).
  package var person: String?
  /// Why the server could not be reached, when it could not (the sync stopped there).
  package var offline: String?
  /// Each change sent, in order, with what became of it.
  package var sent: [SentChange] = []
  /// Clients brought up to the server's history.
  package var updated: [String] = []
  /// Clients taken out of the replica: the person may no longer see them.
  package var removed: [String] = []
  /// Clients listed that the replica does not keep, and why.
  package var notKept: [NotKept] = []
  /// Clients changed here while the sync ran: left for the next sync.
  package var changedDuringSync: [String] = []
  /// Changes made here still waiting to be sent.
  package var waiting = 0
  /// Changes in the record of rejected changes.
  package var rejected = 0
  /// When the replica last matched the server.
  package var syncedAt: String?

  package init(person: String?, syncedAt: String?) {
    self.person = person
    self.syncedAt = syncedAt
  }

  /// The changes the server refused in this sync.
  package var refused: [SentChange] { sent.filter { $0.outcome == "refused" } }
}

/// A change sent, and what the server made of it: `appended`, `kept` (by an earlier sync) or
/// `refused`, with the refusal's code and sentence.
package struct SentChange: Encodable, Sendable {
  package var client: String
  package var event: Event
  package var outcome: String
  package var code: String?
  package var message: String?

  package init(client: String, event: Event, outcome: String, code: String? = nil, message: String? = nil) {
    self.client = client
    self.event = event
    self.outcome = outcome
    self.code = code
    self.message = message
  }
}

/// A client the server lists but the replica does not keep, and why.
package struct NotKept: Encodable, Sendable {
  package var client: String
  package var code: String
  package var message: String
}

/// Why sync would not run.
package enum SyncRefusal: ReportableError, CustomStringConvertible {
  /// The replica holds `copy`'s changes, and the sign-in is `signedIn`'s.
  case anotherPersonsCopy(copy: String, signedIn: String, waiting: Int)
  /// The server no longer takes the sign-in (expired, revoked): the changes wait.
  case signInRefused(message: String)

  package var description: String {
    switch self {
    case let .anotherPersonsCopy(copy, signedIn, waiting):
      "this copy is \(copy)'s, with \(waiting) change\(waiting == 1 ? "" : "s") of theirs waiting or refused, "
        + "and the sign-in is \(signedIn)'s: log in as \(copy) to send them, or drop them first"
    case let .signInRefused(message):
      "the server no longer takes this sign-in (\(message)): sign in again with accord login; "
        + "the changes made here wait"
    }
  }

  package var report: Report {
    switch self {
    case let .anotherPersonsCopy(copy, signedIn, waiting):
      .of(
        .refused, "another-persons-copy", description,
        details: ["copy": .text(copy), "signedIn": .text(signedIn), "waiting": .text(String(waiting))])
    case .signInRefused:
      .of(.refused, "unauthenticated", description)
    }
  }
}
