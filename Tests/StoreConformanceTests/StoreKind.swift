import Foundation
import PostgresStore
import PostgresTestSupport
import WorkspaceStore

/// A kind of store the conformance suite holds to `ClientStore`'s promises. Every test of
/// the suite runs once for each.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
  case folder
  /// A database of its own in the process's throwaway cluster (`PostgresCluster`), migrated.
  case postgres

  var description: String { rawValue }

  /// A new, empty store of this kind, and what removes it after the test.
  func make() async throws -> TestStore {
    switch self {
    case .folder:
      let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("accord-conformance-\(UUID().uuidString)", isDirectory: true)
      let workspace = Workspace(
        directory: root.appendingPathComponent("workspace", isDirectory: true), lockTimeout: .seconds(10),
        holder: "conformance suite")
      return TestStore(FolderStore(workspace)) { try? FileManager.default.removeItem(at: root) }
    case .postgres:
      let address = try await PostgresCluster.database()
      try await PostgresStore.migrate(address)
      let store = try await PostgresStore.open(address)
      return TestStore(store) {
        await store.shutdown()
        await PostgresCluster.drop(address)
      }
    }
  }
}

/// A store made for one test, and what removes it.
struct TestStore: Sendable {
  let store: any ClientStore
  let remove: @Sendable () async -> Void

  init(_ store: any ClientStore, remove: @escaping @Sendable () async -> Void) {
    self.store = store
    self.remove = remove
  }
}

/// Runs `body` on a new store of `kind` and removes the store after, whatever happened.
func withStore<T>(_ kind: StoreKind, _ body: (any ClientStore) async throws -> T) async throws -> T {
  let made = try await kind.make()
  do {
    let result = try await body(made.store)
    await made.remove()
    return result
  } catch {
    await made.remove()
    throw error
  }
}
