import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import WorkspaceStore

/// Keeps a server's memory of a shared store (`StoreMemory`) current as other processes
/// change clients: it follows the store's change feed (`ClientStore.changes(after:)`) from
/// where it stood when the server started, and brings each client the feed names, when
/// the memory holds it at fewer events, forward by the events since.
///
/// It reads the feed when `listen` wakes it (on PostgreSQL, the NOTIFY each append's
/// transaction sends, and each time the LISTEN connection is made again after the
/// database restarted), and every `poll` besides, in case a wake was lost or the feed held
/// an event back behind a transaction still running. A wake that names a client (the
/// NOTIFY's payload) brings that client forward at once, by asking the store its length,
/// so that a transaction still running elsewhere in the cluster, which holds the feed
/// back, does not hold the client back until the next poll. Reads never wait for it: each asks
/// the store the client's length first (see `StoreMemory`), so the follower makes memory
/// current sooner and off the request's path, and correctness never rests on it.
struct MemoryFollower: Service {
  let memory: StoreMemory
  /// Runs until cancelled, calling its argument each time the store has news: with the
  /// client changed, when the news names one.
  let listen: @Sendable (@escaping @Sendable (String?) -> Void) async -> Void
  var poll: Duration = .seconds(30)
  let logger: Logger

  /// The clients the wakes named since the follower last looked.
  private let named = NIOLockedValueBox<Set<String>>([])

  /// How many events one read of the feed takes.
  static let page = 1_000

  func run() async throws {
    let (wakes, waker) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    let named = named
    await cancelWhenGracefulShutdown {
      await withTaskGroup(of: Void.self) { group in
        group.addTask {
          await listen { client in
            if let client { named.withLockedValue { _ = $0.insert(client) } }
            waker.yield()
          }
        }
        group.addTask {
          while !Task.isCancelled {
            try? await Task.sleep(for: poll)
            waker.yield()
          }
        }
        group.addTask { await follow(wakes) }
        await group.waitForAll()
      }
    }
    waker.finish()
  }

  /// Reads the feed on each wake, from the end it had when it began.
  private func follow(_ wakes: AsyncStream<Void>) async {
    var cursor = try? await memory.store.feedEnd()
    for await _ in wakes {
      for client in named.withLockedValue({ names in defer { names = [] }; return names }) {
        guard let id = try? ClientID(client) else { continue }
        do { try await memory.refresh(id) } catch {
          logger.warning("accord: bringing client '\(client)' forward: \(error)")
        }
      }
      do {
        guard let from = cursor else {
          cursor = try await memory.store.feedEnd()
          continue
        }
        cursor = try await read(from: from)
      } catch {
        // The store is down, or a client is refused: the next wake tries again.
        logger.warning("accord: following the change feed: \(error)")
      }
    }
  }

  /// Reads the feed to its end from `cursor`, bringing forward each client it names, and
  /// returns where it ended.
  private func read(from cursor: FeedCursor) async throws -> FeedCursor {
    var cursor = cursor
    while true {
      let page = try await memory.store.changes(after: cursor, limit: Self.page, clients: nil)
      var lengths: [String: Int] = [:]
      for change in page.changes { lengths[change.client] = max(lengths[change.client] ?? 0, change.position + 1) }
      for (client, length) in lengths {
        guard let id = try? ClientID(client) else { continue }
        do { try await memory.follow(id, to: length) } catch {
          logger.warning("accord: bringing client '\(client)' forward: \(error)")
        }
      }
      if page.changes.count < Self.page || page.cursor == cursor { return page.cursor }
      cursor = page.cursor
    }
  }
}
