import Foundation
import ProgrammeEngine

/// A client as a long-running process (the server) last read or wrote it: the file's bytes
/// and stamp, the record they hold and the programme it replays to. A reader whose `lstat`
/// still finds `stamp` may answer from it; a writer hands it back to `change(_:from:_:)`,
/// which checks the bytes under the lock instead of decoding and replaying them again.
public struct LoadedClient: Sendable {
  public let record: ClientRecord
  public let programme: Programme
  /// The stamp of the file that holds `data`.
  public let stamp: FileStamp
  /// The file's bytes (what the API hands a laptop's replica of the client).
  public let data: Data
  /// Where the events lie in `data`, when the store wrote it: the next write copies them.
  var events: WrittenEvents? = nil
}

extension Workspace {
  /// Reads the client whole: its record, the programme it replays to, and the file's bytes
  /// and stamp. `programme(_:)` reads through it, so commands and the server read alike.
  ///
  /// The stamp is taken before the read: should the file be replaced in between, the stamp
  /// kept is the older file's, so the next look at the stamp reads the file again.
  public func loadClient(_ id: ClientID) throws(StoreError) -> LoadedClient {
    let path = fileURL(for: id).path
    guard let stamp = try FileStamp.of(path) else { throw noSuchClient(id) }
    let (data, record) = try load(id)
    let programme = try verifiedProgramme(record, id)
    seen?.note(record, in: directory)
    return LoadedClient(record: record, programme: programme, stamp: stamp, data: data)
  }

  /// `change(_:_:)` for a process that keeps clients in `memory`: under the lock, the
  /// client `memory` recalls is used as it is (no decoding, no replay) when the file, read
  /// again, still holds exactly its bytes; otherwise the file is read as `change(_:_:)`
  /// reads it. What is written is kept in `memory` before the lock is released, so the next
  /// writer starts from it. `upgradedTo` is the playbook text a change puts in force (an
  /// upgrade), kept in the file as `upgrade(_:to:_:)` keeps it. Returns `body`'s result and
  /// the client as written, or nil when nothing was written.
  public func change<T>(
    _ id: ClientID, memory: some ClientMemory, upgradedTo playbook: StoredPlaybook? = nil,
    _ body: (inout Programme) throws -> T
  ) throws -> (result: T, written: LoadedClient?) {
    let path = fileURL(for: id).path
    var after: Programme?
    var kept: LoadedClient?
    var ready: LoadedClient?
    var recalled: LoadedClient?
    let recall = {
      recalled = memory.recall(id)
      return recalled.map { ($0.data, $0.record, $0.events) }
    }
    let result = try update(id, recall: recall) { record, isKnown in
      var programme: Programme
      if isKnown, let known = recalled {
        // Its chain was verified when it was read, and the bytes are the same.
        programme = known.programme
      } else {
        programme = try verifiedProgramme(record, id)
      }
      let before = SealPoint(record)
      let result = try body(&programme)
      if let playbook { record.adopt(programme, upgradedTo: playbook) } else { record.adopt(programme) }
      after = try seal(&record, since: before, path: path) ?? programme
      return result
    } written: { data, record, stamp, events, inPlace in
      // Made once, the moment before the rename, and kept the moment after.
      if ready == nil, var programme = after {
        // The store linked the new events into the chain as it wrote them.
        programme.takeLinks(from: record.events)
        ready = LoadedClient(record: record, programme: programme, stamp: stamp, data: data, events: events)
      }
      guard let client = ready else { return }
      guard inPlace else {
        // Readers that find the new file before `keep` below recognise it by its stamp.
        memory.expect(id, client)
        return
      }
      memory.keep(id, client)
      kept = client
    }
    return (result, kept)
  }
}

/// Where a long-running process keeps the clients it has read and written (the server's
/// cache), for `Workspace.change(_:memory:_:)`.
public protocol ClientMemory: Sendable {
  /// The client as last kept, if it is.
  func recall(_ id: ClientID) -> LoadedClient?
  /// Keeps `client`, just read or written.
  func keep(_ id: ClientID, _ client: LoadedClient)
  /// `client` is about to take the place of the file kept: a reader that finds its stamp
  /// before `keep(_:_:)` is called may answer from it rather than read the file again.
  func expect(_ id: ClientID, _ client: LoadedClient)
}
