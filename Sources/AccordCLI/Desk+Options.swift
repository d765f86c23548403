import AccordKit
import Foundation
import PostgresStore
import WorkspaceStore

extension Desk {
  /// A desk on the store `options` name, for `command` run by `person`: the workspace
  /// folder, whose change a Ctrl-C stops at the store's safe points, or the database, opened
  /// once for the process and closed when the command ends (`OpenDatabases`).
  /// `person` is who makes the change; nil for a command that only reads.
  init(_ options: WorkspaceOptions, person: String? = nil, command: String) throws {
    if RemoteSession.current != nil {
      self.init(workspace: try RemoteSession.open(for: command, person: person))
      return
    }
    let person = person ?? Environment.loginName
    if let address = try options.databaseAddress() {
      self.init(store: try OpenDatabases.store(address), compiled: CompiledPlaybooks.standard())
      return
    }
    var workspace = options.open(holder: Environment.holder(person, command))
    workspace.interrupted = { Interruption.wasRequested }
    self.init(workspace: workspace)
  }

  /// The outbox mail goes through: the folder's, or the database's.
  func mailOutbox() throws -> any OutboxStore {
    guard let outbox else { throw UsageError("this store keeps no outbox to mail through") }
    return outbox
  }
}

/// The databases a synchronous command opened (through `Desk`), each once, closed by
/// `Accord.commandLine` when the command ends, whatever became of it.
enum OpenDatabases {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var opened: [String: PostgresStore] = [:]

  /// The database at `address`, opened now or earlier in this process.
  static func store(_ address: PostgresAddress) throws -> PostgresStore {
    let key = address.description
    if let store = lock.withLock({ opened[key] }) { return store }
    let store = try BlockingBridge.wait { try await PostgresStore.open(address) }
    lock.withLock { opened[key] = store }
    return store
  }

  /// Closes every database opened.
  static func closeAll() async {
    let stores = lock.withLock {
      defer { opened = [:] }
      return Array(opened.values)
    }
    for store in stores { await store.shutdown() }
  }
}
