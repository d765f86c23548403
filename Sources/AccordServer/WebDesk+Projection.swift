import AccordKit
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension WebDesk {
  /// The summaries of the clients `viewer` may see, in the order `clients(for:)` gives them,
  /// from the store's projection (`ClientStore.summaries`) when the server runs on a store
  /// that keeps one: the portfolio, "my work" and the agenda replay no history. Nil on the
  /// folder, whose pages read each client through the server's memory.
  func listedSummaries(for viewer: Viewer) async throws -> [ListedClient]? {
    guard case let .store(store, _) = backing else { return nil }
    return try await store.summaries()
      .filter { viewer.sees($0.id.rawValue) }
      // As the store sorts its ids, whatever the database's collation.
      .sorted { $0.id.rawValue.utf8.lexicographicallyPrecedes($1.id.rawValue.utf8) }
  }

  /// The summaries of the clients `viewer` may see (see `listedSummaries`), each read or
  /// the first failure thrown, as a page's read of a client throws it; nil on the folder.
  func summaries(for viewer: Viewer) async throws -> [ClientSummary]? {
    try await listedSummaries(for: viewer)?.map { try $0.summary.get() }
  }
}
