import Foundation
import ProgrammeEngine

/// Where a firm's clients are kept: a workspace folder (`FolderStore`, the default) or a
/// PostgreSQL database (`PostgresStore`). The application layer and the server reach the
/// records through this and nothing else, so that each store keeps the same promises, and
/// one conformance suite holds both to them.
///
/// Histories only grow. A client's length is the number of events in its history: an
/// append names the length it was decided against and is refused (`.lengthTaken`) when
/// another append got there first, with nothing written; the caller reads again and decides
/// again. A read checks what it reads as the folder checks a file (its format, the stored
/// playbook texts against their SHA-256), whatever the store; the programme a record holds
/// comes from `ClientRecord.verifiedProgramme`, which follows the history's whole chain
/// first, and a change from `ClientRecord.changed`, for every store alike.
public protocol ClientStore: Sendable {
  /// Where the store keeps its records, for people: a folder's path, or a database's
  /// address without its password.
  var place: String { get }

  /// The clients, sorted by id.
  func clientIDs() async throws(StoreFailure) -> [ClientID]

  /// Keeps a new client, as revision 1 in the oldest format that holds it, and returns it
  /// as kept. Refused when the id is taken (`.clientExists`) or two events share an id.
  func create(_ record: ClientRecord) async throws(StoreFailure) -> ClientRecord

  /// Keeps a client read from another store (and checked there) exactly as it was kept
  /// there: its format, revision and chain unchanged, so that moving a firm's clients from
  /// a folder to a database and back gives each client's file byte for byte. Refused, with
  /// nothing kept, when the id is taken (`.clientExists`).
  func adopt(_ record: ClientRecord) async throws(StoreFailure)

  /// The client as its newest append left it, checked.
  func load(_ id: ClientID) async throws(StoreFailure) -> ClientRecord

  /// Keeps `record` as the client's next revision: `record` is the client as read at
  /// `length` events, with the events decided since added (and, for an upgrade, the
  /// playbook that came into force). Refused with `.lengthTaken`, nothing written, when the
  /// client's history no longer has `length` events; with `.duplicateEvent` when an event
  /// added has an id the history holds already. Returns the record as kept.
  ///
  /// `programme` is what the caller decided on: the verified programme of `record`, which it
  /// already holds; a store that keeps a projection takes the summary from it rather than
  /// replay the record again (nil: the store works it out itself). The store does not
  /// reload the client to check the append: it holds the events it adds to its own tail
  /// (the newest event kept and the chain's head), to the length, and to the ids kept.
  func append(_ record: ClientRecord, after length: Int, programme: Programme?) async throws(StoreFailure)
    -> ClientRecord

  /// How many events the client's history has now, and a stamp of what the store holds of
  /// its first `length` events (nil: all of them) and of the playbook texts it names, which
  /// changes whenever any of them is written again, by anyone, however: one small read, for
  /// a memory that holds the client (with the stamp it was read with) and must know whether
  /// it is still current before it answers from it. A history only grows, so a stamp equal
  /// to the one held and a length equal to the one held say the memory is the client now.
  func stamp(of id: ClientID, over length: Int?) async throws(StoreFailure) -> ClientStamp

  /// What the client has past its first `length` events, and its header now: what a
  /// memory that holds the client at `length` events needs to bring it forward, without
  /// reading the history again. Nothing in it is checked yet (see `ClientRecord.continued`).
  func tail(of id: ClientID, after length: Int) async throws(StoreFailure) -> ClientTail

  /// The cursor after every event committed now: where a follower that needs nothing older
  /// starts reading the change feed.
  func feedEnd() async throws(StoreFailure) -> FeedCursor

  /// What a list shows of every client (`ClientSummary`), sorted by id, without replaying
  /// every history where the store keeps it as a projection (PostgreSQL, updated in the
  /// transaction of each append); the folder works each out from its verified history. A
  /// client that cannot be read is listed with why.
  func summaries() async throws(StoreFailure) -> [ListedClient]

  /// What a list of clients shows of each (`ClientSummary.Listing`), sorted by id: the
  /// summaries' first fields, for a listing that shows nothing else. A store may keep them
  /// apart, to read less; by default they are the summaries'.
  func listings() async throws(StoreFailure) -> [ListedRow]

  /// The change feed: up to `limit` committed events after `cursor` (nil: from the
  /// beginning), of the clients in `clients` only when it is given (nil: every client), and
  /// the cursor to read on from. Every reader sees the events in one order, the same for
  /// all, in which each client's events stand in their history's order.
  ///
  /// The promise, whatever the writers do at once: a follower that reads page after page,
  /// each from the cursor the one before gave, is handed every committed event once, never
  /// skipped and never twice, even an event that commits after events other writers took
  /// later and committed first (the gap problem: an event becomes visible in the order its
  /// write commits, not the order it began). A page stops short, rather than pass a write
  /// still in flight. A cursor that cannot be this store's is refused (`.invalidCursor`).
  /// See docs/change-feed.md for how each store keeps it.
  func changes(after cursor: FeedCursor?, limit: Int, clients: Set<String>?) async throws(StoreFailure) -> FeedPage

  /// The people who may sign in, their sessions and tokens; empty in a new store.
  func accessBook() async throws(StoreFailure) -> AccessBook

  /// Reads the access book, lets `body` change it and keeps it if it changed, with no other
  /// change to it in between. Nothing is kept when `body` throws (its error is rethrown).
  func updateAccessBook<T: Sendable>(_ body: (inout AccessBook) throws -> T) async throws -> T

  /// The store's settings (the time zone, people's mail addresses); the defaults in a new store.
  func settings() async throws(StoreFailure) -> WorkspaceSettings

  /// `updateAccessBook`, for the settings.
  func updateSettings<T: Sendable>(_ body: (inout WorkspaceSettings) throws -> T) async throws -> T
}

extension ClientStore {
  /// `append(_:after:programme:)` for a caller that holds no programme of the record.
  public func append(_ record: ClientRecord, after length: Int) async throws(StoreFailure) -> ClientRecord {
    try await append(record, after: length, programme: nil)
  }

  /// The client as it stood after the first `length` events of its history: the events,
  /// the playbook text in force then (and those before it), and the roles they left
  /// assigned. Every store answers it from what it has kept, the same way.
  public func load(_ id: ClientID, length: Int) async throws(StoreFailure) -> ClientRecord {
    let record = try await load(id)
    guard (1...record.events.count).contains(length) else {
      throw .noSuchLength(client: id.rawValue, length: length, newest: record.events.count)
    }
    guard length < record.events.count else { return record }
    guard let programme = record.programme(after: length) else {
      throw .damaged(client: id.rawValue, problem: "its first \(length) events do not replay")
    }
    return record.prefix(length, assignments: programme.assignments)
  }
}

extension ClientRecord {
  /// The record as it stood after the first `length` events: the texts in force up to then
  /// (one more for each `upgraded` among them) and `assignments`, the roles those events
  /// left assigned.
  /// Its revision and head are not known from the events alone: it is for reading, not
  /// for writing back.
  func prefix(_ length: Int, assignments: [String: String]) -> ClientRecord {
    let events = Array(self.events[..<length])
    let upgrades = events.count { if case .upgraded = $0.change { true } else { false } }
    let texts = earlierPlaybooks + [playbook]
    var record = ClientRecord(
      client: try! ClientID(client), name: name, uid: uid, playbook: texts[min(upgrades, texts.count - 1)],
      assignments: assignments, events: events)
    record.earlierPlaybooks = Array(texts[..<min(upgrades, texts.count - 1)])
    record.format = format
    record.revision = revision
    record.head = HistoryChain.head(of: events)
    return record
  }
}

/// A client's length and a stamp of what the store holds of its history (see
/// `ClientStore.stamp(of:over:)`).
public struct ClientStamp: Sendable, Equatable {
  public var length: Int
  public var stamp: String

  public init(length: Int, stamp: String) {
    self.length = length
    self.stamp = stamp
  }
}

/// One client of a listing: its summary, or why it could not be read.
public struct ListedClient: Sendable {
  public var id: ClientID
  public var summary: Result<ClientSummary, StoreFailure>

  public init(id: ClientID, summary: Result<ClientSummary, StoreFailure>) {
    self.id = id
    self.summary = summary
  }
}

/// What a list shows of one client, or why it could not be read.
public struct ListedRow: Sendable {
  public var id: ClientID
  public var listing: Result<ClientSummary.Listing, StoreFailure>

  public init(id: ClientID, listing: Result<ClientSummary.Listing, StoreFailure>) {
    self.id = id
    self.listing = listing
  }
}

extension ClientStore {
  public func listings() async throws(StoreFailure) -> [ListedRow] {
    try await summaries().map { ListedRow(id: $0.id, listing: $0.summary.map(\.listing)) }
  }
}

extension ClientRecord {
  /// The record's summary, its dates in the store's `zone` (nil: the settings name no zone
  /// this machine knows, which only a client with dates needs).
  public func summary(compiled: CompiledPlaybooks? = nil, zone: TimeZone?) throws(StoreFailure) -> ClientSummary {
    let programme = try verifiedProgramme(compiled: compiled)
    return try ClientSummary(programme) { () throws(StoreFailure) -> TimeZone in
      guard let zone else { throw .damaged(client: nil, problem: "the settings name no time zone this machine knows") }
      return zone
    }
  }
}

/// What a store could not do, said as what happened (not which file): the store's `place`
/// says where, once, in the message around it.
public enum StoreFailure: Error, Sendable, Equatable, CustomStringConvertible {
  /// The text given as a client id cannot be one (`problem` says which rule it breaks).
  case invalidClientID(id: String, problem: String)
  /// No client has this id; `suggestion` is the nearest id there is, when one is close.
  case noSuchClient(client: String, suggestion: String?)
  /// A client with this id was started before.
  case clientExists(client: String)
  /// The client's history has `newest` events; there is no point `length` in it to read.
  case noSuchLength(client: String, length: Int, newest: Int)
  /// Another change to the client was kept first: the append was decided against `length`
  /// events and the history now has `found`. Nothing was written.
  case lengthTaken(client: String, length: Int, found: Int)
  /// An event added has the id `id` of an event already in the history: it was applied once.
  case duplicateEvent(client: String, id: String)
  /// What the store holds of the client (or of its access book or settings, when `client`
  /// is nil) cannot be trusted: edited, damaged, or not as Accord keeps it.
  case damaged(client: String?, problem: String)
  /// Kept by a newer Accord (`found`) than this one reads (`supported` and older).
  case newerFormat(client: String?, found: Int, supported: Int)
  /// Another process held the client for longer than the store waits.
  case busy(client: String, holder: String)
  /// The store did not answer or refused the read or write (a folder that cannot be
  /// written, a database that is down).
  case unavailable(problem: String)
  /// Asked to stop (Ctrl-C, SIGTERM) before anything was kept.
  case interrupted
  /// A change feed cursor this store did not give (`problem` says why it cannot be one).
  case invalidCursor(cursor: String, problem: String)

  public var description: String {
    switch self {
    case let .invalidClientID(id, problem): "\(id.debugDescription) is not a valid client id: \(problem)"
    case let .noSuchClient(client, suggestion?): "no client '\(client)'; did you mean '\(suggestion)'?"
    case let .noSuchClient(client, nil): "no client '\(client)'"
    case let .clientExists(client): "a client '\(client)' was started before"
    case let .noSuchLength(client, length, newest):
      "client '\(client)' has \(newest) events; there is no point after \(length) to read"
    case let .lengthTaken(client, length, found):
      "another change to client '\(client)' was kept first (its history had \(length) events, "
        + "now \(found)); nothing was written"
    case let .duplicateEvent(client, id): "client '\(client)' already has event \(id): it was applied once"
    case let .damaged(client?, problem): "client '\(client)' cannot be trusted: \(problem)"
    case let .damaged(nil, problem): "the store's records cannot be trusted: \(problem)"
    case let .newerFormat(client, found, supported):
      "\(client.map { "client '\($0)' was" } ?? "the records were") kept by a newer Accord "
        + "(format \(found); this one reads \(supported) and older)"
    case let .busy(client, holder): "client '\(client)' is being changed by another process (\(holder))"
    case let .unavailable(problem): "the store did not answer: \(problem)"
    case .interrupted: "interrupted before anything was kept"
    case let .invalidCursor(cursor, problem): "\(cursor.debugDescription) is not a cursor of this store's change feed: \(problem)"
    }
  }

  /// A stable name for programs; the same as the folder's `StoreError.code` where the two
  /// say the same thing, so a script reads either store's errors alike.
  public var code: String {
    switch self {
    case .invalidClientID: "invalid-client-id"
    case .invalidCursor: "invalid-cursor"
    case .noSuchClient: "no-such-client"
    case .clientExists: "client-exists"
    case .noSuchLength: "no-such-length"
    // A change decided against a history another change had already grown: nothing written.
    case .lengthTaken: "lost-race"
    case .duplicateEvent: "duplicate-event"
    case .damaged: "corrupt-file"
    case .newerFormat: "newer-format"
    case .busy: "locked"
    case .unavailable: "store-unavailable"
    case .interrupted: "interrupted"
    }
  }

  /// The client involved, and what else a program may act on.
  public var details: [String: String] {
    switch self {
    case let .invalidClientID(id, problem): ["client": id, "problem": problem]
    case let .invalidCursor(cursor, problem): ["cursor": cursor, "problem": problem]
    case let .noSuchClient(client, suggestion):
      suggestion.map { ["client": client, "suggestion": $0] } ?? ["client": client]
    case let .clientExists(client): ["client": client]
    case let .noSuchLength(client, length, newest): ["client": client, "length": "\(length)", "newest": "\(newest)"]
    case let .lengthTaken(client, length, found): ["client": client, "length": "\(length)", "found": "\(found)"]
    case let .duplicateEvent(client, id): ["client": client, "id": id]
    case let .damaged(client, problem): (client.map { ["client": $0] } ?? [:]).merging(["problem": problem]) { a, _ in a }
    case let .newerFormat(client, found, supported):
      (client.map { ["client": $0] } ?? [:]).merging(["found": "\(found)", "supported": "\(supported)"]) { a, _ in a }
    case let .busy(client, holder): ["client": client, "holder": holder]
    case let .unavailable(problem): ["problem": problem]
    case .interrupted: [:]
    }
  }

  /// What the folder's `StoreError` was, said the store's way, for client `client` when
  /// the error was about one.
  public init(_ error: StoreError, client: String?) {
    switch error {
    case let .invalidClientID(id, problem): self = .invalidClientID(id: id, problem: problem)
    case let .noSuchClient(_, suggestion): self = .noSuchClient(client: client ?? "?", suggestion: suggestion)
    case .clientExists: self = .clientExists(client: client ?? "?")
    case let .corrupt(_, problem): self = .damaged(client: client, problem: problem)
    case let .brokenChain(_, broken, position, problem):
      self = .damaged(client: client ?? broken, problem: "event \(position): \(problem)")
    case let .newerFormat(_, found, supported): self = .newerFormat(client: client, found: found, supported: supported)
    case let .locked(_, holder): self = .busy(client: client ?? "?", holder: holder)
    case let .io(_, problem): self = .unavailable(problem: problem)
    case let .notRegularFile(_, found): self = .damaged(client: client, problem: "it is \(found), not a regular file")
    case let .changedOnDisk(_, read, found):
      self = .damaged(
        client: client,
        problem: "it was replaced by something that does not take Accord's lock (revision \(read) when read, "
          + "\(found.map(String.init) ?? "missing") now)")
    case .interrupted: self = .interrupted
    }
  }
}
