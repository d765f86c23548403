import Foundation
import NIOConcurrencyHelpers
import ProgrammeEngine
import WorkspaceStore

/// A `ClientStore` whose reads and appends answer within `limit`, else fail with
/// `.unavailable`: the server's view of a database that has stopped answering, whose pool
/// would otherwise hold each request for as long as it keeps trying to connect. So
/// `GET /healthz` says 503 at once, and a request fails cleanly rather than hanging.
///
/// An append that runs out of time may still commit after the answer: its event id is the
/// request's, so the change sent again is answered as applied once, never kept twice.
/// The access book's and settings' updates take a closure the store runs in its transaction
/// and are not limited (a read just before them has been).
struct TimeLimitedStore: ClientStore {
  let store: any ClientStore
  let limit: Duration

  var place: String { store.place }

  func clientIDs() async throws(StoreFailure) -> [ClientID] { try await limited { try await store.clientIDs() } }

  func create(_ record: ClientRecord) async throws(StoreFailure) -> ClientRecord {
    try await limited { try await store.create(record) }
  }

  func adopt(_ record: ClientRecord) async throws(StoreFailure) { try await limited { try await store.adopt(record) } }

  func load(_ id: ClientID) async throws(StoreFailure) -> ClientRecord { try await limited { try await store.load(id) } }

  func append(_ record: ClientRecord, after length: Int, programme: Programme?) async throws(StoreFailure)
    -> ClientRecord
  {
    try await limited { try await store.append(record, after: length, programme: programme) }
  }

  func stamp(of id: ClientID, over length: Int?) async throws(StoreFailure) -> ClientStamp {
    try await limited { try await store.stamp(of: id, over: length) }
  }

  func tail(of id: ClientID, after length: Int) async throws(StoreFailure) -> ClientTail {
    try await limited { try await store.tail(of: id, after: length) }
  }

  func feedEnd() async throws(StoreFailure) -> FeedCursor { try await limited { try await store.feedEnd() } }

  func summaries() async throws(StoreFailure) -> [ListedClient] { try await limited { try await store.summaries() } }
  func listings() async throws(StoreFailure) -> [ListedRow] { try await limited { try await store.listings() } }

  func changes(after cursor: FeedCursor?, limit: Int, clients: Set<String>?) async throws(StoreFailure) -> FeedPage {
    try await limited { try await store.changes(after: cursor, limit: limit, clients: clients) }
  }

  func accessBook() async throws(StoreFailure) -> AccessBook { try await limited { try await store.accessBook() } }

  func updateAccessBook<T: Sendable>(_ body: (inout AccessBook) throws -> T) async throws -> T {
    try await store.updateAccessBook(body)
  }

  func settings() async throws(StoreFailure) -> WorkspaceSettings { try await limited { try await store.settings() } }

  func updateSettings<T: Sendable>(_ body: (inout WorkspaceSettings) throws -> T) async throws -> T {
    try await store.updateSettings(body)
  }

  /// `body`'s answer, or `.unavailable` when `limit` passes first (`body` is then cancelled,
  /// and its answer, if it comes, dropped).
  private func limited<T: Sendable>(_ body: @escaping @Sendable () async throws -> T)
    async throws(StoreFailure) -> T
  {
    let limit = limit
    let answer: Result<T, StoreFailure> = await withCheckedContinuation { continuation in
      let waiting = NIOLockedValueBox<CheckedContinuation<Result<T, StoreFailure>, Never>?>(continuation)
      let finish: @Sendable (Result<T, StoreFailure>) -> Bool = { answer in
        guard let continuation = waiting.withLockedValue({ held in defer { held = nil }; return held }) else {
          return false
        }
        continuation.resume(returning: answer)
        return true
      }
      let work = Task {
        do {
          _ = finish(.success(try await body()))
        } catch let failure as StoreFailure {
          _ = finish(.failure(failure))
        } catch {
          _ = finish(.failure(.unavailable(problem: "\(error)")))
        }
      }
      Task {
        try? await Task.sleep(for: limit)
        if finish(.failure(.unavailable(problem: "the database gave no answer within \(limit)"))) { work.cancel() }
      }
    }
    return try answer.get()
  }
}

/// The survey box of the store within, each call limited as a read is: the survey page on a
/// database that stopped answering fails cleanly too.
extension TimeLimitedStore: SurveyBoxStore {
  private var box: any SurveyBoxStore {
    get throws(StoreFailure) {
      guard let box = store as? any SurveyBoxStore else {
        throw .unavailable(problem: "\(store.place) keeps no survey box")
      }
      return box
    }
  }

  func openBox(_ key: SurveyBoxKey, codes: [String], shared: Bool) async throws(StoreFailure) -> Bool {
    let box = try box
    return try await limited { try await box.openBox(key, codes: codes, shared: shared) }
  }

  func box(forCode code: String) async throws(StoreFailure) -> SurveyBoxKey? {
    let box = try box
    return try await limited { try await box.box(forCode: code) }
  }

  func submit(_ answer: SurveyAnswer, code: String) async throws(StoreFailure) -> SurveyBoxKey? {
    let box = try box
    return try await limited { try await box.submit(answer, code: code) }
  }

  func answerCount(_ key: SurveyBoxKey) async throws(StoreFailure) -> Int {
    let box = try box
    return try await limited { try await box.answerCount(key) }
  }

  func seal(_ key: SurveyBoxKey) async throws(StoreFailure) -> [SurveyAnswer] {
    let box = try box
    return try await limited { try await box.seal(key) }
  }

  func remove(_ key: SurveyBoxKey) async throws(StoreFailure) {
    let box = try box
    try await limited { try await box.remove(key) }
  }
}
