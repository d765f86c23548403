import Foundation
import Logging
import PostgresNIO
import WorkspaceStore

/// The database's tables, as numbered steps applied in order. A step, once released, is
/// never edited: a change to the tables is a new step at the end. `schema_version` records
/// the steps a database has had, so that `migrate` applies only what is missing and an
/// Accord meets a database migrated by a newer one with a refusal, not a write.
public enum PostgresSchema {
  /// The newest step this Accord knows: the schema it reads and writes.
  public static var current: Int { steps.count }

  /// The step that gave events their place in the change feed (their transaction id and
  /// global sequence).
  static let feedStep = 3

  /// The step that gave the database its outbox (the reminders' mail).
  static let outboxStep = 4

  /// The step that gave each client its listing (what `clients` shows, apart from the summary).
  static let listingStep = 5
  /// The step that gave the database its survey box (answers to a round open on the web).
  static let surveyBoxStep = 6

  /// Step n is `steps[n - 1]`: its statements, run in one transaction with the others
  /// missing (PostgreSQL's DDL is transactional: a failed migration leaves nothing).
  static let steps: [[String]] = [
    [
      // A playbook's text, once however many clients name it: a firm runs most clients on
      // a few playbooks, and a text is tens of kilobytes.
      """
      CREATE TABLE playbook_texts (
        sha256 text PRIMARY KEY,
        source text NOT NULL
      )
      """,
      // A client's header: what the file holds beside its events, the playbooks as their
      // metadata only (id, version, title, origin, sha256; the texts are in playbook_texts).
      // `length` is the number of events, what an append is decided against.
      """
      CREATE TABLE clients (
        id text PRIMARY KEY,
        uid text NOT NULL,
        name text NOT NULL,
        format integer NOT NULL,
        revision integer NOT NULL,
        head text,
        length integer NOT NULL,
        assignments jsonb NOT NULL,
        playbook jsonb NOT NULL,
        earlier_playbooks jsonb NOT NULL
      )
      """,
      // The history, one row an event: `body` is the event's text exactly as the file lays
      // it out (text, not jsonb, which would reorder its keys: the chain hashes the bytes).
      """
      CREATE TABLE events (
        client text NOT NULL REFERENCES clients (id),
        position integer NOT NULL,
        id text,
        body text NOT NULL,
        PRIMARY KEY (client, position)
      )
      """,
      // An event applied twice is refused by the store, and by the database if two writers race.
      "CREATE UNIQUE INDEX events_client_id ON events (client, id) WHERE id IS NOT NULL",
      // The access book and the settings, as the JSON the folder's files hold; no row (or
      // a NULL body) is the empty book and the default settings.
      """
      CREATE TABLE documents (
        name text PRIMARY KEY,
        body text,
        version integer NOT NULL
      )
      """,
      "INSERT INTO documents (name, body, version) VALUES ('access', NULL, 0), ('settings', NULL, 0)",
    ],
    [
      // What a list shows of each client (ClientSummary, as JSON), kept with every append in
      // its transaction, so that listing clients replays no history. NULL for a client kept
      // before this step, or whose dates must be worked out again (the time zone changed):
      // a listing works those out from the history.
      "ALTER TABLE clients ADD COLUMN summary text",
    ],
    [
      // The change feed (docs/change-feed.md): each event row's transaction id and a global
      // sequence, read in (tx, seq) order below the oldest transaction still running, so
      // that an event committing late is never passed over. Rows kept before this step
      // take this migration's transaction id, and sequence numbers in (client, position)
      // order.
      "ALTER TABLE events ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id()",
      "ALTER TABLE events ADD COLUMN seq bigint",
      """
      UPDATE events SET seq = numbered.n
      FROM (SELECT client, position, row_number() OVER (ORDER BY client, position) AS n FROM events) AS numbered
      WHERE events.client = numbered.client AND events.position = numbered.position
      """,
      "ALTER TABLE events ALTER COLUMN seq SET NOT NULL",
      "ALTER TABLE events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY",
      "SELECT setval(pg_get_serial_sequence('events', 'seq'), coalesce(max(seq), 0) + 1, false) FROM events",
      "CREATE UNIQUE INDEX events_feed ON events (tx, seq)",
    ],
    [
      // The outbox (PostgresStore+Outbox.swift): mail waiting for the relay, one row a
      // message under the folder's key (`<day>.<slug>`), and, once the relay took it, the
      // record of its sending with the body gone. A sender claims a row (`claimed_by`, a
      // token of its own) until `claimed_until`, so that two servers never hand one message
      // to the relay twice, and a sender killed mid-send holds it only that long.
      """
      CREATE TABLE outbox (
        key text PRIMARY KEY,
        person text NOT NULL,
        day text NOT NULL,
        sender text NOT NULL,
        recipient text NOT NULL,
        message_id text NOT NULL,
        message text,
        what text,
        queued_at timestamptz NOT NULL DEFAULT now(),
        claimed_by text,
        claimed_until timestamptz,
        sent_at timestamptz,
        relay text,
        CHECK ((sent_at IS NULL) = (message IS NOT NULL))
      )
      """,
      "CREATE INDEX outbox_queued ON outbox (key) WHERE sent_at IS NULL",
    ],
    [
      // What `clients` lists of each client (ClientSummary.Listing): its kept summary
      // without what only the pages read, a fifth of its bytes, so that a listing decodes
      // no more than it shows. Derived by the database from `summary` with every write of
      // it, so the two never disagree and no writer keeps it; NULL when the summary is.
      """
      ALTER TABLE clients ADD COLUMN listing text GENERATED ALWAYS AS (
        (summary::jsonb - '{place,open,blocked,delegations,dates}'::text[])::text
      ) STORED
      """,
    ],
    [
      // The survey box (PostgresStore+SurveyBox.swift): a round open on the web, its answers
      // as one JSON array shuffled on every write (no row per answer, whose place in the
      // table would tell the order they came in; no time, no code, no address), and the
      // SHA-256 of each code that may still answer. A single-use code's row is deleted in
      // the transaction that keeps its answer; `sealed` stops a round taking answers
      // while it closes.
      """
      CREATE TABLE survey_boxes (
        client text NOT NULL,
        round text NOT NULL,
        shared boolean NOT NULL,
        sealed boolean NOT NULL DEFAULT false,
        answers text NOT NULL DEFAULT '[]',
        PRIMARY KEY (client, round)
      )
      """,
      """
      CREATE TABLE survey_codes (
        hash text PRIMARY KEY,
        client text NOT NULL,
        round text NOT NULL,
        FOREIGN KEY (client, round) REFERENCES survey_boxes (client, round) ON DELETE CASCADE
      )
      """,
    ],
  ]

  /// The step the database is at: 0 when it has no `schema_version` table (never migrated).
  static func version(on connection: PostgresConnection, logger: Logger) async throws -> Int {
    let exists = try await connection.query("SELECT to_regclass('schema_version') IS NOT NULL", logger: logger)
      .collect().first?.decode(Bool.self) ?? false
    guard exists else { return 0 }
    return try await connection.query("SELECT coalesce(max(version), 0) FROM schema_version", logger: logger)
      .collect().first?.decode(Int.self) ?? 0
  }

  /// Applies the steps the database is missing, in one transaction, and returns the step it
  /// was at and the one it is at now. Two Accords migrating at once take turns (an advisory
  /// lock), and the second finds nothing to do. A database at a newer step than this Accord
  /// knows is refused (`.newerFormat`) and nothing is written.
  static func migrate(on connection: PostgresConnection, logger: Logger) async throws -> (from: Int, to: Int) {
    try await connection.query("BEGIN", logger: logger)
    do {
      // Any constant will do, as long as every Accord takes the same one: "accord" in ASCII.
      try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
      let found = try await version(on: connection, logger: logger)
      guard found <= current else {
        throw StoreFailure.newerFormat(client: nil, found: found, supported: current)
      }
      if found == 0 {
        try await connection.query(
          """
          CREATE TABLE schema_version (
            version integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
          )
          """, logger: logger)
      }
      for step in found..<current {
        for statement in steps[step] {
          try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        try await connection.query("INSERT INTO schema_version (version) VALUES (\(step + 1))", logger: logger)
      }
      try await connection.query("COMMIT", logger: logger)
      return (found, current)
    } catch {
      _ = try? await connection.query("ROLLBACK", logger: logger)
      throw error
    }
  }

  static let lockKey = 0x61_63_63_6F_72_64
}
