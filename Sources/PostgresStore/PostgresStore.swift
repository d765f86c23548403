import Foundation
import Logging
import PlaybookSpec
import PostgresNIO
import ProgrammeEngine
import Synchronization
import WorkspaceStore

/// The clients, the access book and the settings in a PostgreSQL database (see
/// docs/postgresql.md): for a firm whose servers share one store. Keeps `ClientStore`'s
/// promises as the folder does, and reads a client as the folder reads a file: its bytes are
/// put together from the rows and checked by the same reader.
///
/// Open it with `open(_:logger:)` on a database `migrate(_:logger:)` has prepared, and
/// `shutdown()` it when done: it holds a pool of connections, run by a task of its own.
public struct PostgresStore: ClientStore {
  /// The database, without its password.
  public let place: String
  let address: PostgresAddress
  let client: PostgresClient
  let logger: Logger
  private let runner: Task<Void, Never>
  /// The summaries this store decoded, by client, with the version of the client's row they
  /// were read from (see `summaries()`).
  private let decoded = SummaryMemo()

  /// A logger that keeps nothing, the default: the store says what went wrong in the errors
  /// it throws.
  public static let quiet = Logger(label: "accord.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

  private init(address: PostgresAddress, logger: Logger) {
    place = address.description
    self.address = address
    self.logger = logger
    let client = PostgresClient(configuration: address.clientConfiguration(), backgroundLogger: logger)
    self.client = client
    runner = Task { await client.run() }
  }

  /// The store in the database at `address`, its tables checked first: a database not
  /// migrated yet, or migrated by an older Accord, is refused with a message naming
  /// `accord db migrate`; one migrated by a newer Accord with `.newerFormat`.
  public static func open(_ address: PostgresAddress, logger: Logger = quiet) async throws(StoreFailure) -> PostgresStore {
    // One connection of its own, so that a database that is down is said so at once (the
    // pool would keep trying, for a minute, before it gave up).
    let version = try await withConnection(to: address, logger: logger) { connection in
      try await PostgresSchema.version(on: connection, logger: logger)
    }
    if version > PostgresSchema.current {
      throw .newerFormat(client: nil, found: version, supported: PostgresSchema.current)
    }
    if version < PostgresSchema.current {
      throw .unavailable(
        problem: version == 0
          ? "the database \(address) has no Accord tables; run 'accord db migrate' to create them"
          : "the database \(address) has Accord's tables of an older version (\(version), "
            + "this Accord needs \(PostgresSchema.current)); run 'accord db migrate'")
    }
    return PostgresStore(address: address, logger: logger)
  }

  /// Creates or brings up to date the tables of the database at `address`, in one
  /// transaction: safe to run again (it then changes nothing), and safe to run from two
  /// places at once. Returns the schema version found and the one left.
  @discardableResult
  public static func migrate(_ address: PostgresAddress, logger: Logger = quiet) async throws(StoreFailure)
    -> (from: Int, to: Int)
  {
    try await withConnection(to: address, logger: logger) { connection in
      try await PostgresSchema.migrate(on: connection, logger: logger)
    }
  }

  /// Closes the pool's connections and stops its task. The store must not be used after.
  public func shutdown() async {
    runner.cancel()
    await runner.value
  }

  /// Calls `wake` each time an append commits anywhere (the NOTIFY its transaction sends,
  /// with the client's id), and once each time it begins to listen, since what was sent
  /// while it was not listening is lost; until its task is cancelled. It listens on a
  /// connection of its own (LISTEN holds its session), and when that connection fails (the
  /// database restarted) it connects again after `retry`, and again, until it can.
  public func listen(retry: Duration = .seconds(1), wake: @escaping @Sendable (String?) -> Void) async {
    var attempt = 0
    while !Task.isCancelled {
      attempt += 1
      do {
        let connection = try await PostgresConnection.connect(
          configuration: try address.connectionConfiguration(), id: 1_000 + attempt, logger: logger)
        do {
          try await connection.listen(on: ClientRows.channel) { notifications in
            wake(nil)
            for try await notification in notifications { wake(notification.payload) }
          }
        } catch {
          logger.warning("accord: the change feed's LISTEN connection failed: \(error)")
        }
        try? await connection.close()
      } catch {
        logger.debug("accord: cannot connect to LISTEN: \(error)")
      }
      try? await Task.sleep(for: retry)
    }
  }

  /// Runs `body` on a connection of its own to `address`, closed after.
  static func withConnection<T: Sendable>(
    to address: PostgresAddress, logger: Logger, _ body: (PostgresConnection) async throws -> T
  ) async throws(StoreFailure) -> T {
    let connection: PostgresConnection
    do {
      connection = try await PostgresConnection.connect(
        configuration: try address.connectionConfiguration(), id: 1, logger: logger)
    } catch {
      throw PostgresFailure.failure(error, place: address.description)
    }
    do {
      let result = try await body(connection)
      try? await connection.close()
      return result
    } catch {
      try? await connection.close()
      throw PostgresFailure.failure(error, place: address.description)
    }
  }

  /// Runs `body` in a transaction on a connection of the pool: committed when it returns,
  /// rolled back when it throws (its error rethrown as it is).
  func transaction<T: Sendable>(snapshot: Bool = false, _ body: (PostgresConnection) async throws -> T)
    async throws -> T
  {
    try await client.withConnection { connection in
      // `snapshot`: every statement reads one snapshot, for reads that must agree.
      try await connection.query(
        snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", logger: logger)
      do {
        let result = try await body(connection)
        try await connection.query("COMMIT", logger: logger)
        return result
      } catch {
        do { try await connection.query("ROLLBACK", logger: logger) } catch {
          // A connection that cannot roll back is not handed to the next caller.
          try? await connection.close()
        }
        throw error
      }
    }
  }

  // MARK: - Clients

  public func clientIDs() async throws(StoreFailure) -> [ClientID] {
    do {
      let rows = try await client.query("SELECT id FROM clients", logger: logger)
      var ids: [ClientID] = []
      for try await (id) in rows.decode(String.self) {
        ids.append(try ClientID(id))
      }
      // Sorted as the folder sorts its files' names, whatever the database's collation.
      return ids.sorted { $0.rawValue.utf8.lexicographicallyPrecedes($1.rawValue.utf8) }
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  public func create(_ record: ClientRecord) async throws(StoreFailure) -> ClientRecord {
    let id = try Self.id(record.client)
    do {
      let written = try record.written(after: nil, place: place)
      try await transaction { connection in
        try await ClientRows.insertClient(written, on: connection, logger: logger)
      }
      return written
    } catch {
      throw PostgresFailure.failure(error, place: place, client: id.rawValue)
    }
  }

  public func adopt(_ record: ClientRecord) async throws(StoreFailure) {
    let id = try Self.id(record.client)
    do {
      // As it was kept elsewhere: its format, revision and chain as they are.
      try await transaction { connection in
        try await ClientRows.insertClient(record, on: connection, logger: logger)
      }
    } catch {
      throw PostgresFailure.failure(error, place: place, client: id.rawValue)
    }
  }

  public func load(_ id: ClientID) async throws(StoreFailure) -> ClientRecord {
    do {
      // Read in one snapshot with its stamp, so that the stamp is of the events read.
      let record = try await transaction(snapshot: true) { connection -> ClientRecord? in
        guard var record = try await ClientRows.load(id, on: connection, place: place, logger: logger) else {
          return nil
        }
        record.storeStamp = try await ClientRows.stamp(of: id, over: record.events.count, on: connection, logger: logger)?
          .stamp
        return record
      }
      if let record { return record }
    } catch {
      throw PostgresFailure.failure(error, place: place, client: id.rawValue)
    }
    throw await noSuchClient(id)
  }

  /// Reads no record and replays none: the client's row (locked) gives its length, revision,
  /// chain head and playbook, and its newest event's text; the record's first `length`
  /// events must end on that same event and give that same head (the chain continues
  /// from what is kept, not from what the caller believes), its new events' ids must be new
  /// to it (and the database's unique index holds them to every id kept), and the summary
  /// comes from `programme`, the caller's, when it gives one.
  public func append(_ record: ClientRecord, after length: Int, programme: Programme?) async throws(StoreFailure)
    -> ClientRecord
  {
    let id = try Self.id(record.client)
    do {
      let kept = try await transaction { connection -> ClientRecord? in
        // The client's row, locked until this transaction ends: appends to one client take
        // turns, and each sees the length the one before it left.
        let rows = try await connection.query(
          """
          SELECT length, uid, revision, head, playbook ->> 'sha256', jsonb_array_length(earlier_playbooks),
            (SELECT body FROM events WHERE client = clients.id AND position = clients.length - 1)
          FROM clients WHERE id = \(id.rawValue) FOR UPDATE
          """, logger: logger)
        guard let row = try await rows.collect().first else { return nil }
        let (found, uid, revision, head, inForce, earlier, tail) = try row.decode(
          (Int, String, Int, String?, String, Int, String?).self)
        guard found == length else {
          throw StoreFailure.lengthTaken(client: id.rawValue, length: length, found: found)
        }
        guard record.uid == uid, record.events.count >= length,
          length == 0 || Self.same(tail, record.events[length - 1])
        else {
          throw StoreFailure.damaged(
            client: id.rawValue, problem: "the record to append does not continue the client's history")
        }
        // A record read with a stamp: the events it was read with must be the ones kept still
        // (rows written again since, by hand or by a tool, are read whole and checked again
        // by the caller, who is told, as after a lost race, to read again).
        if let held = record.storeStamp,
          try await ClientRows.stamp(of: id, over: length, on: connection, logger: logger)?.stamp != held
        {
          throw StoreFailure.lengthTaken(client: id.rawValue, length: length, found: found)
        }
        // Nothing new to keep: the client as it is, read (a call no change of the server's makes).
        guard record.events.count > length else {
          return try await ClientRows.load(id, on: connection, place: place, logger: logger)
        }
        // Its chain continued from the head kept, checked against the events it ends on.
        var written = try record.written(after: length, revision: revision, head: head)
        let textsChanged = written.playbook.sha256 != inForce || written.earlierPlaybooks.count != earlier
        let summary: String?
        if let programme {
          summary = try await ClientRows.summary(of: programme, on: connection, logger: logger)
        } else {
          summary = try await ClientRows.summary(of: written, on: connection, logger: logger)
        }
        try await ClientRows.append(
          written, from: length, textsChanged: textsChanged, summary: summary, on: connection, logger: logger)
        written.storeStamp = try await ClientRows.stamp(
          of: id, over: written.events.count, on: connection, logger: logger)?.stamp
        return written
      }
      if let kept { return kept }
    } catch {
      if let race = PostgresFailure.raced(error) { throw await raced(race, client: id, length: length) }
      throw PostgresFailure.failure(error, place: place, client: id.rawValue)
    }
    throw await noSuchClient(id)
  }

  /// Whether `body`, an event's row, holds `event`: its text as the store writes it, or
  /// (for a text written otherwise) the same event read back.
  private static func same(_ body: String?, _ event: Event) -> Bool {
    guard let body else { return false }
    if Array(body.utf8) == ClientRecord.eventText(event) { return true }
    return (try? JSONDecoder().decode(Event.self, from: Data(body.utf8))) == event
  }

  public func stamp(of id: ClientID, over length: Int?) async throws(StoreFailure) -> ClientStamp {
    let found: ClientStamp?
    do {
      found = try await client.withConnection { connection in
        try await ClientRows.stamp(of: id, over: length, on: connection, logger: logger)
      }
    } catch {
      throw PostgresFailure.failure(error, place: place, client: id.rawValue)
    }
    if let found { return found }
    throw await noSuchClient(id)
  }

  public func tail(of id: ClientID, after length: Int) async throws(StoreFailure) -> ClientTail {
    let tail: ClientTail?
    do {
      tail = try await transaction(snapshot: true) { connection in
        try await ClientRows.tail(of: id, after: length, on: connection, logger: logger)
      }
    } catch {
      throw PostgresFailure.failure(error, place: place, client: id.rawValue)
    }
    if let tail { return tail }
    throw await noSuchClient(id)
  }

  /// The newest event below the horizon the feed reads to (see `changes`).
  public func feedEnd() async throws(StoreFailure) -> FeedCursor {
    do {
      let row = try await client.query(
        """
        SELECT tx::text, seq FROM events WHERE tx < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY events.tx DESC, events.seq DESC LIMIT 1
        """, logger: logger
      ).collect().first
      guard let (tx, seq) = try row?.decode((String, Int64).self), let major = UInt64(tx) else { return .start }
      return FeedCursor(major: major, minor: UInt64(seq))
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  /// The change feed: the events whose transaction committed below the oldest one still
  /// running (`pg_snapshot_xmin` of the reader's snapshot), after `cursor` in (transaction
  /// id, sequence) order. A transaction still running has an id at or above that horizon,
  /// so no event can later commit before a cursor given out (see docs/change-feed.md).
  ///
  /// The order is the columns' (`events.tx`): a bare `tx` in ORDER BY would name the
  /// output column `tx::text`, and order transaction 1002 before 968.
  public func changes(after cursor: FeedCursor?, limit: Int, clients: Set<String>?) async throws(StoreFailure)
    -> FeedPage
  {
    let start = cursor ?? .start
    guard start.minor <= UInt64(Int64.max) else {
      throw .invalidCursor(cursor: start.description, problem: "its sequence number is out of range")
    }
    guard limit > 0 else { return FeedPage(changes: [], cursor: start) }
    let tx = String(start.major)
    let seq = Int64(start.minor)
    let narrowed = clients.map { Array($0) }
    do {
      let rows = try await client.query(
        """
        SELECT client, position, body, tx::text, seq FROM events
        WHERE (tx, seq) > (\(tx)::xid8, \(seq))
          AND tx < pg_snapshot_xmin(pg_current_snapshot())
          AND (\(narrowed == nil) OR client = ANY(\(narrowed ?? [])::text[]))
        ORDER BY events.tx, events.seq
        LIMIT \(limit)
        """, logger: logger)
      var changes: [FeedChange] = []
      var last = start
      let decoder = JSONDecoder()
      for try await (client, position, body, rowTX, rowSeq) in rows.decode((String, Int, String, String, Int64).self) {
        // The event's text as the file lays it out; the client's chain is checked when it is
        // loaded, not here.
        guard let event = try? decoder.decode(Event.self, from: Data(body.utf8)) else {
          throw StoreFailure.damaged(client: client, problem: "its event \(position) does not parse")
        }
        changes.append(FeedChange(client: client, position: position, event: event))
        last = FeedCursor(major: UInt64(rowTX) ?? start.major, minor: UInt64(rowSeq))
      }
      return FeedPage(changes: changes, cursor: last)
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  /// What a write that lost a race the row lock did not prevent (a second server's insert
  /// at the same position, or of the same event id) is, said as the folder would say it.
  private func raced(_ race: PostgresFailure.Raced, client id: ClientID, length: Int) async -> StoreFailure {
    switch race {
    case let .eventID(eventID): return .duplicateEvent(client: id.rawValue, id: eventID)
    case .position:
      let found = try? await client.query("SELECT length FROM clients WHERE id = \(id.rawValue)", logger: logger)
        .collect().first?.decode(Int.self)
      return .lengthTaken(client: id.rawValue, length: length, found: found ?? length + 1)
    }
  }

  /// `.noSuchClient` for `id`, with the nearest client id when one is close, as the folder says it.
  private func noSuchClient(_ id: ClientID) async -> StoreFailure {
    let known = (try? await clientIDs().map(\.rawValue)) ?? []
    return .noSuchClient(client: id.rawValue, suggestion: closestMatch(to: id.rawValue, among: known))
  }

  private static func id(_ text: String) throws(StoreFailure) -> ClientID {
    do { return try ClientID(text) } catch { throw StoreFailure(error, client: nil) }
  }

  // MARK: - The access book and the settings

  public func accessBook() async throws(StoreFailure) -> AccessBook {
    try await read(Documents.access)
  }

  public func updateAccessBook<T: Sendable>(_ body: (inout AccessBook) throws -> T) async throws -> T {
    try await update(Documents.access, body)
  }

  ///
  /// A store asked again (a server's, for every list it shows) decodes only the summaries of
  /// the clients whose rows changed since it last read them: it reads every client's row
  /// version (`xmin`, new with every write of the row: an append, a summary kept, one edited
  /// by hand) and the summaries of those it does not hold at that version.
  public func summaries() async throws(StoreFailure) -> [ListedClient] {
    let (rows, zone) = try await changedSummaries()
    var listed: [ListedClient] = []
    listed.reserveCapacity(rows.count)
    let decoder = JSONDecoder()
    for row in rows {
      let id = try Self.id(row.id)
      let kept: ClientSummary?
      switch row.summary {
      case let .held(summary): kept = summary
      case let .read(text):
        kept = text.flatMap { try? decoder.decode(ClientSummary.self, from: Data($0.utf8)) }
        if let kept, kept.isCurrent { decoded.hold(kept, of: row.id, at: row.version) }
      }
      if let kept, kept.isCurrent, kept.zone == nil || kept.zone == zone?.identifier {
        listed.append(ListedClient(id: id, summary: .success(kept)))
        continue
      }
      listed.append(ListedClient(id: id, summary: await workedOut(id, replacing: row.version, zone: zone)))
    }
    return listed
  }

  /// What a list shows of every client, sorted by id: for each, the `listing` the database
  /// derives from its kept summary (schema step 5), a fifth of the summary's bytes, so that
  /// a process listing once (`accord clients --database`) decodes no more than it shows. A
  /// client whose summary is not kept or cannot be trusted is worked out and kept, as
  /// `summaries()` does.
  public func listings() async throws(StoreFailure) -> [ListedRow] {
    let (rows, zone) = try await keptListings()
    var listed: [ListedRow] = []
    listed.reserveCapacity(rows.count)
    let decoder = JSONDecoder()
    for row in rows {
      let id = try Self.id(row.id)
      if let text = row.listing,
        let kept = ClientSummary.Listing.fastDecode(text)
          ?? (try? decoder.decode(ClientSummary.Listing.self, from: Data(text.utf8))),
        kept.isCurrent, kept.zone == nil || kept.zone == zone?.identifier
      {
        listed.append(ListedRow(id: id, listing: .success(kept)))
      } else {
        listed.append(ListedRow(id: id, listing: await workedOut(id, replacing: row.version, zone: zone).map(\.listing)))
      }
    }
    return listed
  }

  /// The summary of a client whose kept one cannot be used (a client from before the
  /// projection, its dates in a zone the settings no longer name, or kept by an earlier
  /// binary without what the pages read): worked out from its history, as the folder does,
  /// and kept for the next listing in place of the row's `version`, unless the client
  /// changed meanwhile.
  private func workedOut(_ id: ClientID, replacing version: String, zone: TimeZone?) async
    -> Result<ClientSummary, StoreFailure>
  {
    do throws(StoreFailure) {
      let record = try await load(id)
      let summary = try record.summary(zone: zone)
      await keep(summary, of: record, replacing: version)
      return .success(summary)
    } catch {
      return .failure(error)
    }
  }

  /// Every client's row version and its kept listing (nil where no summary is kept), sorted
  /// by id as the database sorts, and the zone the settings name.
  private func keptListings() async throws(StoreFailure)
    -> (rows: [(id: String, version: String, listing: String?)], zone: TimeZone?)
  {
    do {
      return try await client.withConnection { connection in
        let found = try await connection.query(
          "SELECT id, xmin::text, listing FROM clients ORDER BY id", logger: logger)
        var rows: [(id: String, version: String, listing: String?)] = []
        for try await (id, version, listing) in found.decode((String, String, String?).self) {
          rows.append((id, version, listing))
        }
        return (rows, try await ClientRows.zone(on: connection, logger: logger))
      }
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  /// Every client's row version and its summary: the one held when it was decoded from that
  /// version, else the text kept (nil where none is); sorted by id as the database sorts,
  /// and the zone the settings name. With nothing held, one query reads them all.
  private func changedSummaries() async throws(StoreFailure) -> (rows: [VersionedSummary], zone: TimeZone?) {
    do {
      return try await client.withConnection { connection in
        var rows: [VersionedSummary] = []
        if decoded.isEmpty {
          let found = try await connection.query(
            "SELECT id, xmin::text, summary FROM clients ORDER BY id", logger: logger)
          for try await (id, version, summary) in found.decode((String, String, String?).self) {
            rows.append(VersionedSummary(id: id, version: version, summary: .read(summary)))
          }
        } else {
          let found = try await connection.query("SELECT id, xmin::text FROM clients ORDER BY id", logger: logger)
          var stale: [String] = []
          for try await (id, version) in found.decode((String, String).self) {
            if let held = decoded.summary(of: id, at: version) {
              rows.append(VersionedSummary(id: id, version: version, summary: .held(held)))
            } else {
              stale.append(id)
              rows.append(VersionedSummary(id: id, version: version, summary: .read(nil)))
            }
          }
          if !stale.isEmpty {
            // Read now: a row written since the versions were read gives its newer version
            // and summary together.
            let fresh = try await connection.query(
              "SELECT id, xmin::text, summary FROM clients WHERE id = ANY(\(stale)::text[])", logger: logger)
            var read: [String: (String, String?)] = [:]
            for try await (id, version, summary) in fresh.decode((String, String, String?).self) {
              read[id] = (version, summary)
            }
            for index in rows.indices {
              guard case .read = rows[index].summary, let (version, summary) = read[rows[index].id] else { continue }
              rows[index] = VersionedSummary(id: rows[index].id, version: version, summary: .read(summary))
            }
          }
        }
        return (rows, try await ClientRows.zone(on: connection, logger: logger))
      }
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  /// Every client's kept summary (nil where none is kept), sorted by id as the database
  /// sorts, and the zone the settings name: what `projectionProblems` starts from.
  private func keptSummaries() async throws(StoreFailure) -> (rows: [(id: String, summary: String?)], zone: TimeZone?) {
    do {
      return try await client.withConnection { connection in
        let found = try await connection.query("SELECT id, summary FROM clients ORDER BY id", logger: logger)
        var rows: [(id: String, summary: String?)] = []
        for try await (id, summary) in found.decode((String, String?).self) { rows.append((id, summary)) }
        return (rows, try await ClientRows.zone(on: connection, logger: logger))
      }
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  /// Keeps `summary`, worked out from `record`, as the client's projection, if the client
  /// still has `record`'s history and its row is still at the version the listing read it
  /// (`replacing`: nothing written to it since, the summary set aside included); a listing
  /// that cannot keep it has lost nothing (the next one works it out again).
  private func keep(_ summary: ClientSummary, of record: ClientRecord, replacing version: String) async {
    _ = try? await client.query(
      """
      UPDATE clients SET summary = \(ClientRows.json(summary))
      WHERE id = \(record.client) AND length = \(record.events.count) AND xmin::text = \(version)
      """, logger: logger)
  }

  /// Each client's kept summary against one worked out now from its verified history: what
  /// `accord check --database` reports. Empty when the projection equals a full replay.
  public func projectionProblems() async throws(StoreFailure) -> [(client: ClientID, problem: String)] {
    var problems: [(client: ClientID, problem: String)] = []
    let (kept, zone) = try await keptSummaries()
    for (text, summary) in kept.sorted(by: { $0.id < $1.id }) {
      let id = try Self.id(text)
      let replayed: ClientSummary
      do throws(StoreFailure) {
        replayed = try await load(id).summary(zone: zone)
      } catch {
        problems.append((id, "\(error)"))
        continue
      }
      guard let summary else { continue }  // not kept: every listing works it out
      guard let decoded = try? JSONDecoder().decode(ClientSummary.self, from: Data(summary.utf8)) else {
        problems.append((id, "its kept summary does not parse"))
        continue
      }
      // Worked out anew by listings: dates in a zone the settings no longer name, or a
      // summary an earlier binary kept.
      if !decoded.isCurrent || (decoded.zone != nil && decoded.zone != zone?.identifier) { continue }
      if decoded != replayed {
        problems.append((id, "its kept summary (\(summary)) is not what its history gives (\(ClientRows.json(replayed)))"))
      }
    }
    return problems
  }

  public func settings() async throws(StoreFailure) -> WorkspaceSettings {
    try await read(Documents.settings)
  }

  public func updateSettings<T: Sendable>(_ body: (inout WorkspaceSettings) throws -> T) async throws -> T {
    try await update(Documents.settings, body) { connection, before, after in
      // Kept dates are days in the old zone: listings work them out again in the new one.
      guard before.timeZone != after.timeZone else { return }
      try await connection.query(
        "UPDATE clients SET summary = NULL WHERE summary IS NOT NULL AND (summary::jsonb ->> 'zone') IS NOT NULL",
        logger: logger)
    }
  }

  private func read<Value>(_ document: Document<Value>) async throws(StoreFailure) -> Value {
    do {
      let rows = try await client.query(
        "SELECT body FROM documents WHERE name = \(document.name)", logger: logger)
      let body = try await rows.collect().first?.decode(String?.self) ?? nil
      return try document.decode(body)
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  /// Reads the document with its row locked, lets `body` change it and writes it back if it
  /// changed, in one transaction: another process's change waits for this one to end, and
  /// nothing is kept when `body` throws.
  private func update<Value, T: Sendable>(
    _ document: Document<Value>, _ body: (inout Value) throws -> T,
    then written: (PostgresConnection, Value, Value) async throws -> Void = { _, _, _ in }
  ) async throws -> T {
    do {
      return try await transaction { connection in
        let rows = try await connection.query(
          "SELECT body FROM documents WHERE name = \(document.name) FOR UPDATE", logger: logger)
        guard let row = try await rows.collect().first else {
          throw StoreFailure.damaged(client: nil, problem: "the documents table has no row '\(document.name)'")
        }
        let read = try document.decode(try row.decode(String?.self))
        var value = read
        let result: T
        do { result = try body(&value) } catch { throw BodyFailed(error: error) }
        if value != read {
          try await connection.query(
            "UPDATE documents SET body = \(document.encode(value)), version = version + 1 WHERE name = \(document.name)",
            logger: logger)
          try await written(connection, read, value)
        }
        return result
      }
    } catch let failed as BodyFailed {
      throw failed.error
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }
}

/// What `body` of an update threw, told apart from the database's errors so that it is
/// rethrown as it was.
private struct BodyFailed: Error {
  let error: any Error
}

/// A client's row version and its summary, as `PostgresStore.changedSummaries` reads them.
struct VersionedSummary {
  enum Summary {
    /// Decoded before, from this version of the row.
    case held(ClientSummary)
    /// The text the row keeps (nil: none), to decode.
    case read(String?)
  }

  var id: String
  var version: String
  var summary: Summary
}

/// The summaries a store decoded, each with the version of the client's row it came from:
/// held while the row is at that version. Bounded: past `capacity` clients it starts again.
final class SummaryMemo: Sendable {
  private let entries = Mutex<[String: (version: String, summary: ClientSummary)]>([:])
  static let capacity = 100_000

  var isEmpty: Bool { entries.withLock { $0.isEmpty } }

  func summary(of id: String, at version: String) -> ClientSummary? {
    entries.withLock { table in table[id].flatMap { $0.version == version ? $0.summary : nil } }
  }

  func hold(_ summary: ClientSummary, of id: String, at version: String) {
    entries.withLock { table in
      if table[id] == nil, table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
      table[id] = (version, summary)
    }
  }
}
