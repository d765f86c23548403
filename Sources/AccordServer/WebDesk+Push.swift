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
  /// kept, and nothing is written.
  /// Answers whether it was appended now, and where it stands in the history.
  func push(_ pushed: Event, to client: String, as viewer: Viewer) async throws -> (appended: Bool, position: Int) {
    let id = try id(client, for: viewer)
    let person = viewer.person
    // Thrown out of the change when the event is found kept: nothing is written.
    struct AlreadyKept: Error { var position: Int }
    let decide: @Sendable (inout Programme) throws -> Int = { programme in
      switch try SyncPush.decide(pushed, as: person, in: &programme, now: Date()) {
      case .appended: return programme.history.count - 1
      case let .kept(position): throw AlreadyKept(position: position)
      }
    }
    do {
      switch backing {
      case let .folder(workspace):
        do {
          let position = try await writing { [workspace, cache, writers] in
            Interruption.deferStop()
            return try writers.turn(id) { try workspace.change(id, memory: cache, decide).result }
          }
          ServerMetrics.appends.increment()
          return (true, position)
        } catch StoreError.noSuchClient {
          throw NoSuchClient(client: client)
        } catch let error as StoreError {
          switch error {
          case .locked, .changedOnDisk: ServerMetrics.lostRaces.increment()
          default: break
          }
          throw error
        }
      case let .store(store, compiled):
        do {
          // Already kept (the usual retry): answered from memory, without a write.
          let held = try await memory!.current(id)
          if let position = try SyncPush.check(pushed, as: person, in: held.programme) {
            return (false, position)
          }
          let kept = try await StoreChange.run(
            id, in: store, compiled: compiled,
            read: { [memory] id in
              let held = try await memory!.current(id)
              return (held.record, held.programme)
            },
            lostRace: { ServerMetrics.lostRaces.increment() }, decide)
          ServerMetrics.appends.increment()
          var after = kept.after
          if kept.record.events.count == after.history.count {
            after.takeLinks(from: kept.record.events)
            memory!.keep(id, StoreMemory.Kept(record: kept.record, programme: after))
          }
          return (true, kept.result)
        } catch StoreFailure.noSuchClient {
          throw NoSuchClient(client: client)
        } catch StoreFailure.duplicateEvent {
          // Another push of the same event was appended between the read and this append
          // (on another server): what the history holds now says whether it is this one.
          let (_, programme) = try await load(id, named: client)
          guard let position = try SyncPush.check(pushed, as: person, in: programme) else {
            throw Refusal.duplicateEvent(id: pushed.id ?? "")
          }
          return (false, position)
        }
      }
    } catch let kept as AlreadyKept {
      return (false, kept.position)
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
