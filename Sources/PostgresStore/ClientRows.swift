import Foundation
import Logging
import PostgresNIO
import ProgrammeEngine
import WorkspaceStore

/// A client as rows: its header in `clients`, its events in `events`, its playbook texts in
/// `playbook_texts`; and back, as the bytes its file would hold, read by the file's reader.
enum ClientRows {
  /// A stored playbook without its text, as the `clients` row keeps it.
  struct PlaybookMetadata: Codable, Equatable {
    var id: String
    var version: Int
    var title: String
    var origin: String
    var sha256: String

    init(_ playbook: StoredPlaybook) {
      id = playbook.id
      version = playbook.version
      title = playbook.title
      origin = playbook.origin
      sha256 = playbook.sha256
    }
  }

  static func json(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Strings and numbers only: encoding cannot fail.
    return String(decoding: try! encoder.encode(value), as: UTF8.self)
  }

  /// Inserts a new client, as `written(after: nil)` left it.
  static func insertClient(_ record: ClientRecord, on connection: PostgresConnection, logger: Logger) async throws {
    try await insertTexts(of: record, on: connection, logger: logger)
    let summary = try await summary(of: record, on: connection, logger: logger)
    try await connection.query(
      """
      INSERT INTO clients (id, uid, name, format, revision, head, length, assignments, playbook, earlier_playbooks,
        summary)
      VALUES (\(record.client), \(record.uid), \(record.name), \(record.format), \(record.revision), \(record.head),
        \(record.events.count), \(json(record.assignments))::jsonb, \(json(PlaybookMetadata(record.playbook)))::jsonb,
        \(json(record.earlierPlaybooks.map(PlaybookMetadata.init)))::jsonb, \(summary))
      """, logger: logger)
    try await insertEvents(of: record, from: 0, on: connection, logger: logger)
    try await notify(record.client, on: connection, logger: logger)
  }

  /// Adds the events `record` has past `before`'s, any playbook text it brought, and its
  /// new header. The caller holds the client's row locked.
  static func append(
    _ record: ClientRecord, after before: ClientRecord, on connection: PostgresConnection, logger: Logger
  ) async throws {
    try await append(
      record, from: before.events.count,
      textsChanged: record.playbook.sha256 != before.playbook.sha256
        || record.earlierPlaybooks != before.earlierPlaybooks,
      summary: try await summary(of: record, on: connection, logger: logger), on: connection, logger: logger)
  }

  /// Adds the events `record` has from `position` on, its playbook texts when they changed
  /// (each once), and its new header with `summary`; and wakes the servers that follow the
  /// feed when the transaction commits. The caller holds the client's row locked.
  static func append(
    _ record: ClientRecord, from position: Int, textsChanged: Bool, summary: String?,
    on connection: PostgresConnection, logger: Logger
  ) async throws {
    if textsChanged { try await insertTexts(of: record, on: connection, logger: logger) }
    try await insertEvents(of: record, from: position, on: connection, logger: logger)
    try await connection.query(
      """
      UPDATE clients SET name = \(record.name), format = \(record.format), revision = \(record.revision),
        head = \(record.head), length = \(record.events.count), assignments = \(json(record.assignments))::jsonb,
        playbook = \(json(PlaybookMetadata(record.playbook)))::jsonb,
        earlier_playbooks = \(json(record.earlierPlaybooks.map(PlaybookMetadata.init)))::jsonb,
        summary = \(summary)
      WHERE id = \(record.client)
      """, logger: logger)
    try await notify(record.client, on: connection, logger: logger)
  }

  /// The channel the servers LISTEN on: each committed append's transaction sends its
  /// client's id there (PostgreSQL delivers a NOTIFY at commit, and never one of a
  /// transaction rolled back).
  static let channel = "accord_changes"

  static func notify(_ client: String, on connection: PostgresConnection, logger: Logger) async throws {
    try await connection.query("SELECT pg_notify(\(channel), \(client))", logger: logger)
  }

  /// The listing's view of `record` as JSON, its dates in the zone the settings name now
  /// (read in the caller's transaction); nil when it cannot be worked out, and a listing
  /// then works it out itself and says why not.
  static func summary(of record: ClientRecord, on connection: PostgresConnection, logger: Logger) async throws
    -> String?
  {
    let zone = try await self.zone(on: connection, logger: logger)
    return (try? record.summary(zone: zone)).map(json)
  }

  /// `summary(of:)` from the programme the caller verified already: nothing replayed.
  static func summary(of programme: Programme, on connection: PostgresConnection, logger: Logger) async throws
    -> String?
  {
    let zone = try await self.zone(on: connection, logger: logger)
    let summary = try? ClientSummary(programme) { () throws(StoreFailure) -> TimeZone in
      guard let zone else { throw .damaged(client: nil, problem: "the settings name no time zone this machine knows") }
      return zone
    }
    return summary.map(json)
  }

  /// The client's header and its events from `length` on, nil when there is no such
  /// client. The events are read below the length the header gives: an append that commits
  /// between the two reads adds rows past it and changes none below, so the two agree.
  static func tail(of id: ClientID, after length: Int, on connection: PostgresConnection, logger: Logger)
    async throws -> ClientTail?
  {
    let headers = try await connection.query(
      """
      SELECT uid, name, format, revision, head, length, assignments::text, playbook ->> 'sha256',
        earlier_playbooks::text
      FROM clients WHERE id = \(id.rawValue)
      """, logger: logger
    ).collect()
    guard let header = headers.first else { return nil }
    let (uid, name, format, revision, head, found, assignmentsJSON, inForce, earlierJSON) = try header.decode(
      (String, String, Int, Int, String?, Int, String, String, String).self)
    func damaged(_ problem: String) -> StoreFailure { .damaged(client: id.rawValue, problem: problem) }
    let decoder = JSONDecoder()
    let assignments: [String: String]
    let earlier: [PlaybookMetadata]
    do {
      assignments = try decoder.decode([String: String].self, from: Data(assignmentsJSON.utf8))
      earlier = try decoder.decode([PlaybookMetadata].self, from: Data(earlierJSON.utf8))
    } catch {
      throw damaged("its row does not parse: \(error)")
    }
    var events: [Event] = []
    if found > length {
      let rows = try await connection.query(
        """
        SELECT position, body FROM events WHERE client = \(id.rawValue) AND position >= \(length)
          AND position < \(found) ORDER BY position
        """, logger: logger)
      for try await (position, body) in rows.decode((Int, String).self) {
        guard position == length + events.count,
          let event = try? decoder.decode(Event.self, from: Data(body.utf8))
        else { throw damaged("its event \(position) does not parse") }
        events.append(event)
      }
      guard events.count == found - length else {
        throw damaged("its row says \(found) events, and \(length + events.count) are kept")
      }
    }
    var tail = ClientTail(
      uid: uid, name: name, format: format, revision: revision, head: head, assignments: assignments,
      texts: earlier.map(\.sha256) + [inForce], events: events)
    tail.heldStamp = try await stamp(of: id, over: length, on: connection, logger: logger)?.stamp
    tail.stamp = try await stamp(of: id, over: found, on: connection, logger: logger)?.stamp
    return tail
  }

  /// The client's length, and a stamp of its first `length` events (nil: all) and the
  /// playbook texts it names: each row's `xmin`, the transaction that wrote that version
  /// of it. Any UPDATE of a row, by anyone, makes a new version with a new `xmin` (as any
  /// write to a file gives it a new stamp); an append adds rows past the length and
  /// changes none before it. Read from the rows' headers, not their text: a read's one
  /// question costs an index scan of the client's events, not their bodies.
  static func stamp(of id: ClientID, over length: Int?, on connection: PostgresConnection, logger: Logger)
    async throws -> ClientStamp?
  {
    let rows = try await connection.query(
      """
      SELECT c.length,
        (SELECT md5(coalesce(string_agg(e.xmin::text, ',' ORDER BY e.position), '')) FROM events e
          WHERE e.client = c.id AND e.position < coalesce(\(length), c.length))
        || (SELECT md5(coalesce(string_agg(t.xmin::text, ',' ORDER BY t.sha256), '')) FROM playbook_texts t
          WHERE t.sha256 = c.playbook ->> 'sha256'
            OR t.sha256 IN (SELECT p ->> 'sha256' FROM jsonb_array_elements(c.earlier_playbooks) AS p))
      FROM clients c WHERE c.id = \(id.rawValue)
      """, logger: logger)
    guard let row = try await rows.collect().first else { return nil }
    let (found, stamp) = try row.decode((Int, String).self)
    return ClientStamp(length: found, stamp: stamp)
  }

  /// The zone the settings name, nil when this machine knows no such zone.
  static func zone(on connection: PostgresConnection, logger: Logger) async throws -> TimeZone? {
    let rows = try await connection.query("SELECT body FROM documents WHERE name = 'settings'", logger: logger)
    let body = try await rows.collect().first?.decode(String?.self) ?? nil
    return WorkspaceSettings.zone(named: try Documents.settings.decode(body).timeZone)
  }

  /// Each text once: a text another client brought first is there already.
  private static func insertTexts(of record: ClientRecord, on connection: PostgresConnection, logger: Logger)
    async throws
  {
    var seen = Set<String>()
    for playbook in record.earlierPlaybooks + [record.playbook] where seen.insert(playbook.sha256).inserted {
      try await connection.query(
        """
        INSERT INTO playbook_texts (sha256, source) VALUES (\(playbook.sha256), \(playbook.source))
        ON CONFLICT (sha256) DO NOTHING
        """, logger: logger)
    }
  }

  /// The events from `position` on, in one statement, each as the file lays it out.
  private static func insertEvents(
    of record: ClientRecord, from position: Int, on connection: PostgresConnection, logger: Logger
  ) async throws {
    guard position < record.events.count else { return }
    let events = record.events[position...]
    let positions = Array(position..<record.events.count)
    let hasID = events.map { $0.id != nil }
    let ids = events.map { $0.id ?? "" }
    let bodies = events.map { String(decoding: ClientRecord.eventText($0), as: UTF8.self) }
    try await connection.query(
      """
      INSERT INTO events (client, position, id, body)
      SELECT \(record.client), p, CASE WHEN h THEN i END, b
      FROM unnest(\(positions)::integer[], \(hasID)::boolean[], \(ids)::text[], \(bodies)::text[]) AS u (p, h, i, b)
      """, logger: logger)
  }

  /// The client as its rows hold it, read and checked as its file would be; nil when there
  /// is no such client.
  static func load(_ id: ClientID, on connection: PostgresConnection, place: String, logger: Logger) async throws
    -> ClientRecord?
  {
    let headers = try await connection.query(
      """
      SELECT uid, name, format, revision, head, length, assignments::text, playbook::text, earlier_playbooks::text
      FROM clients WHERE id = \(id.rawValue)
      """, logger: logger
    ).collect()
    guard let header = headers.first else { return nil }
    let (uid, name, format, revision, head, length, assignmentsJSON, playbookJSON, earlierJSON) = try header.decode(
      (String, String, Int, Int, String?, Int, String, String, String).self)

    // The events the header was written with: an append that commits after the header was
    // read adds rows past `length`, and never changes one before it.
    let rows = try await connection.query(
      "SELECT body FROM events WHERE client = \(id.rawValue) AND position < \(length) ORDER BY position",
      logger: logger)
    var texts: [[UInt8]] = []
    texts.reserveCapacity(length)
    for try await body in rows.decode(String.self) { texts.append(Array(body.utf8)) }
    func damaged(_ problem: String) -> StoreFailure { .damaged(client: id.rawValue, problem: problem) }
    guard texts.count == length else {
      throw damaged("its row says \(length) events, and \(texts.count) are kept")
    }

    let decoder = JSONDecoder()
    let assignments: [String: String]
    let playbook: PlaybookMetadata
    let earlier: [PlaybookMetadata]
    do {
      assignments = try decoder.decode([String: String].self, from: Data(assignmentsJSON.utf8))
      playbook = try decoder.decode(PlaybookMetadata.self, from: Data(playbookJSON.utf8))
      earlier = try decoder.decode([PlaybookMetadata].self, from: Data(earlierJSON.utf8))
    } catch {
      throw damaged("its row does not parse: \(error)")
    }
    let wanted = Array(Set((earlier + [playbook]).map(\.sha256)))
    var sources: [String: String] = [:]
    for try await (sha256, source) in try await connection.query(
      "SELECT sha256, source FROM playbook_texts WHERE sha256 = ANY(\(wanted))", logger: logger
    ).decode((String, String).self) {
      sources[sha256] = source
    }
    func stored(_ metadata: PlaybookMetadata) throws(StoreFailure) -> StoredPlaybook {
      guard let source = sources[metadata.sha256] else {
        throw damaged("its playbook text \(metadata.sha256) is not kept")
      }
      let playbook = StoredPlaybook(
        id: metadata.id, version: metadata.version, title: metadata.title, origin: metadata.origin, source: source)
      // The text kept under a fingerprint must be the one that has it.
      guard playbook.sha256 == metadata.sha256 else {
        throw damaged("the playbook text kept as \(metadata.sha256) was changed (it hashes to \(playbook.sha256))")
      }
      return playbook
    }

    var record = ClientRecord(
      client: id, name: name, uid: uid, playbook: try stored(playbook), assignments: assignments)
    record.earlierPlaybooks = try earlier.map(stored)
    let bytes = record.canonicalJSON(eventTexts: texts, format: format, revision: revision, head: head)
    do {
      return try ClientRecord.decode(Data(bytes), client: id, place: place)
    } catch {
      throw StoreFailure(error, client: id.rawValue)
    }
  }
}
