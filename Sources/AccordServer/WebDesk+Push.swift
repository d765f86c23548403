import AccordKit
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension WebDesk {
  /// Decides `pushed`, an event a laptop made on its copy of `client` (`accord sync`), by the
  /// engine's rules on the history as it is now, as the viewer (`SyncPush.decide`), and
  /// appends it, on the folder under the client's turn and lock, on a store through
  /// `StoreChange.run` with its lost-race retry. An event the history holds already (an
  /// earlier push of it, perhaps still being written when this one came) is answered as
  /// kept, and nothing is written. An upgrade carries the playbook text it moves to
  /// (`upgrade`), checked before anything is read and kept in the client's file with it.
  /// Answers whether it was appended now, and where it stands in the history.
  func push(
    _ pushed: Event, upgrade: SyncPush.Upgrade? = nil, to client: String, as viewer: Viewer
  ) async throws -> (appended: Bool, position: Int) {
    let id = try id(client, for: viewer)
    let person = viewer.person
    // Already kept (the usual retry): answered from what the server holds, without a write.
    let held = try await load(id, named: client)
    if let position = try SyncPush.check(pushed, as: person, in: held.programme) { return (false, position) }
    // Thrown out of the change when the event is found kept by then: nothing is written.
    struct AlreadyKept: Error { var position: Int }
    let playbook = try SyncPush.playbook(for: pushed, upgrade)
    do {
      let (_, _, position) = try await change(id, named: client, upgradedTo: playbook?.stored) { programme in
        switch try SyncPush.decide(pushed, upgrade: playbook, as: person, in: &programme, now: Date()) {
        case .appended: return programme.history.count - 1
        case let .kept(position): throw AlreadyKept(position: position)
        }
      }
      return (true, position)
    } catch let kept as AlreadyKept {
      return (false, kept.position)
    } catch let refusal as Refusal where refusal == .duplicateEvent(id: pushed.id ?? "") {
      // Another push of the same event was appended between the read and this append (on
      // another server): what the history holds now says whether it is this one.
      let (_, programme) = try await load(id, named: client)
      guard let position = try SyncPush.check(pushed, as: person, in: programme) else { throw refusal }
      return (false, position)
    }
  }
}

extension WebDesk {
  /// The client's file as a workspace folder keeps it, and its programme, for a viewer who
  /// may see it: on the folder the file's own bytes (as last read or written), on a store
  /// the text a folder would hold for the record (`ClientRecord.fileText`, what `accord
  /// export` writes).
  func fileText(_ client: String, for viewer: Viewer) async throws -> (text: Data, programme: Programme) {
    let id = try id(client, for: viewer)
    switch backing {
    case let .folder(workspace):
      do {
        let loaded = try await blocking { [workspace, cache] in try cache.current(id, in: workspace) }
        return (loaded.data, loaded.programme)
      } catch StoreError.noSuchClient {
        throw NoSuchClient(client: client)
      }
    case .store:
      let (record, programme) = try await load(id, named: client)
      return (record.fileText, programme)
    }
  }
}

extension WebDesk {
  /// Keeps a new client (`accord start` from a laptop); refused when the id is taken.
  func create(_ record: ClientRecord) async throws {
    switch backing {
    case let .folder(workspace): try await writing { [workspace] in try workspace.create(record) }
    case let .store(store, _): _ = try await store.create(record)
    }
    ServerMetrics.appends.increment()
  }
}
