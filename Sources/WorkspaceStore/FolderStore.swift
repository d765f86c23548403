import Foundation
import ProgrammeEngine

/// The workspace folder as a `ClientStore`: one `<client>.json` a client, the access book
/// and the settings beside them, each written under its lock and replaced atomically (see
/// `Workspace`). The default store: one person, no server, nothing to install.
public struct FolderStore: ClientStore {
  public let workspace: Workspace

  public init(_ workspace: Workspace) { self.workspace = workspace }

  public var place: String { workspace.directory.path }

  public func clientIDs() async throws(StoreFailure) -> [ClientID] {
    do { return try workspace.clientIDs() } catch { throw StoreFailure(error, client: nil) }
  }

  public func create(_ record: ClientRecord) async throws(StoreFailure) -> ClientRecord {
    let id = try Self.id(record.client)
    do {
      try workspace.create(record)
      return try workspace.read(id)
    } catch {
      throw Self.failure(error, client: record.client)
    }
  }

  public func adopt(_ record: ClientRecord) async throws(StoreFailure) {
    do { try workspace.adopt(record) } catch { throw Self.failure(error, client: record.client) }
  }

  public func load(_ id: ClientID) async throws(StoreFailure) -> ClientRecord {
    do { return try workspace.read(id) } catch { throw StoreFailure(error, client: id.rawValue) }
  }

  /// The file is read and written whole under its lock, as every change to it is:
  /// `programme` (which the folder keeps no projection of) is not needed.
  public func append(_ record: ClientRecord, after length: Int, programme: Programme?) async throws(StoreFailure)
    -> ClientRecord
  {
    let id = try Self.id(record.client)
    var kept: ClientRecord?
    do {
      try workspace.update(id, recall: { nil }) { current, _ in
        guard current.events.count == length else {
          throw StoreFailure.lengthTaken(client: id.rawValue, length: length, found: current.events.count)
        }
        guard record.uid == current.uid, record.events.count >= length,
          length == 0 || record.events[length - 1] == current.events[length - 1]
        else {
          throw StoreFailure.damaged(
            client: id.rawValue, problem: "the record to append does not continue the client's history")
        }
        kept = current
        current = record
      } written: { _, written, _, _, inPlace in
        if inPlace { kept = written }
      }
    } catch {
      throw Self.failure(error, client: id.rawValue)
    }
    // Nothing new to keep: the client as it is.
    return kept!
  }

  public func summaries() async throws(StoreFailure) -> [ListedClient] {
    let ids = try await clientIDs()
    // The zone is read once, and only when a client has dates.
    var zone: Result<TimeZone, StoreFailure>?
    return ids.map { id in
      do throws(StoreFailure) {
        let programme: Programme
        do throws(StoreError) { programme = try workspace.programme(id).programme } catch { throw StoreFailure(error, client: id.rawValue) }
        let summary = try ClientSummary(programme) { () throws(StoreFailure) -> TimeZone in
          if zone == nil {
            zone = Result { () throws(StoreFailure) -> TimeZone in
              do throws(StoreError) { return try SettingsStore(workspace).timeZone() } catch { throw StoreFailure(error, client: nil) }
            }
          }
          return try zone!.get()
        }
        return ListedClient(id: id, summary: .success(summary))
      } catch {
        return ListedClient(id: id, summary: .failure(error))
      }
    }
  }

  public func accessBook() async throws(StoreFailure) -> AccessBook {
    do { return try AccessStore(workspace).read() } catch { throw StoreFailure(error, client: nil) }
  }

  public func updateAccessBook<T: Sendable>(_ body: (inout AccessBook) throws -> T) async throws -> T {
    do { return try AccessStore(workspace).update(body) } catch let error as StoreError {
      throw StoreFailure(error, client: nil)
    }
  }

  public func settings() async throws(StoreFailure) -> WorkspaceSettings {
    do { return try SettingsStore(workspace).read() } catch { throw StoreFailure(error, client: nil) }
  }

  public func updateSettings<T: Sendable>(_ body: (inout WorkspaceSettings) throws -> T) async throws -> T {
    do { return try SettingsStore(workspace).update(body) } catch let error as StoreError {
      throw StoreFailure(error, client: nil)
    }
  }

  private static func id(_ text: String) throws(StoreFailure) -> ClientID {
    do { return try ClientID(text) } catch { throw StoreFailure(error, client: nil) }
  }

  /// A failure from a change: the store's own, the folder's said the store's way, or a
  /// repeated event id.
  private static func failure(_ error: any Error, client: String) -> StoreFailure {
    switch error {
    case let failure as StoreFailure: failure
    case let error as StoreError: StoreFailure(error, client: client)
    case let refusal as Refusal:
      if case let .duplicateEvent(id) = refusal { .duplicateEvent(client: client, id: id) } else {
        .damaged(client: client, problem: refusal.description)
      }
    default: .unavailable(problem: "\(error)")
    }
  }
}

extension FolderStore {
  /// The file read whole, and its stamp (a file is written whole: any write changes it): a
  /// folder's memory (`ProgrammeCache` in the server) asks the stamp alone, which is cheaper.
  public func stamp(of id: ClientID, over length: Int?) async throws(StoreFailure) -> ClientStamp {
    let record = try await load(id)
    let stamp: FileStamp?
    do { stamp = try workspace.stamp(of: id) } catch { throw StoreFailure(error, client: id.rawValue) }
    return ClientStamp(length: record.events.count, stamp: stamp.map { "\($0)" } ?? "")
  }

  public func tail(of id: ClientID, after length: Int) async throws(StoreFailure) -> ClientTail {
    ClientTail(try await load(id), after: length)
  }

  /// Read to the end of the feed's log, page by page.
  public func feedEnd() async throws(StoreFailure) -> FeedCursor {
    var cursor = FeedCursor.start
    while true {
      let page = try await changes(after: cursor, limit: 10_000, clients: [])
      if page.cursor == cursor { return cursor }
      cursor = page.cursor
    }
  }

  /// The folder's change feed (see `FeedLog` and `FeedReader`, and docs/change-feed.md).
  /// Events written before the feed's log existed (by an Accord without it) are not in it.
  public func changes(after cursor: FeedCursor?, limit: Int, clients: Set<String>?) async throws(StoreFailure)
    -> FeedPage
  {
    try FeedReader(workspace: workspace, clients: clients).page(after: cursor ?? .start, limit: max(limit, 0))
  }
}
