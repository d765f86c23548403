import Foundation
import PostgresNIO
import WorkspaceStore

/// The outbox in the `outbox` table (schema step 4), shared by every server on the
/// database and by `accord remind --smtp` against it. A claim is an `UPDATE` of the row
/// that only one writer can win: the row lock makes a second claimer wait for the first's
/// commit and then find the row claimed (or sent), so that no two senders ever hold one
/// message. The claim lasts `OutboxClaim.lease`; a sender killed while it sends leaves the
/// message queued for a run after that.
///
/// No query here logs a body: the messages are bound as parameters, and the store's
/// logger is quiet below warnings.
extension PostgresStore: OutboxStore {
  public func queueMail(_ message: OutboxMessage, as key: String) async throws(StoreFailure) -> OutboxState {
    do {
      // A key sent before keeps its record; a queued one not claimed takes the new text.
      let rows = try await client.query(
        """
        INSERT INTO outbox (key, person, day, sender, recipient, message_id, message, what)
        VALUES (\(key), \(message.person), \(message.day), \(message.from), \(message.to), \(message.messageID),
          \(message.message ?? ""), \(message.what))
        ON CONFLICT (key) DO UPDATE SET person = excluded.person, day = excluded.day, sender = excluded.sender,
          recipient = excluded.recipient, message_id = excluded.message_id, message = excluded.message,
          what = excluded.what, queued_at = now()
        WHERE outbox.sent_at IS NULL AND (outbox.claimed_until IS NULL OR outbox.claimed_until < now())
        RETURNING 1
        """, logger: logger
      ).collect()
      if !rows.isEmpty { return .queued }
      // Not written: sent before, or held by a sender now (still queued).
      return try await mailState(key) ?? .queued
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  public func queuedMail() async throws(StoreFailure) -> [OutboxItem] {
    do {
      let rows = try await client.query(
        """
        SELECT key, person, day, sender, recipient, message_id, message, what FROM outbox
        WHERE sent_at IS NULL
        """, logger: logger)
      var items: [OutboxItem] = []
      for try await (key, person, day, from, to, messageID, message, what) in rows.decode(
        (String, String, String, String, String, String, String?, String?).self)
      {
        items.append(
          OutboxItem(
            key: key,
            message: OutboxMessage(
              person: person, day: day, from: from, to: to, messageID: messageID, message: message, what: what)))
      }
      // Sorted as the folder sorts its files' names, whatever the database's collation.
      return items.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  public func claimMail(_ key: String) async throws(StoreFailure) -> OutboxClaim? {
    let token = UUID().uuidString
    let lease = Double(OutboxClaim.lease.components.seconds)
    do {
      let rows = try await client.query(
        """
        UPDATE outbox SET claimed_by = \(token), claimed_until = now() + make_interval(secs => \(lease))
        WHERE key = \(key) AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
        RETURNING person, day, sender, recipient, message_id, message, what
        """, logger: logger)
      for try await (person, day, from, to, messageID, message, what) in rows.decode(
        (String, String, String, String, String, String?, String?).self)
      {
        return OutboxClaim(
          key: key,
          message: OutboxMessage(
            person: person, day: day, from: from, to: to, messageID: messageID, message: message, what: what),
          token: token)
      }
      return nil
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  /// Recorded sent even when the claim ran out meanwhile: the relay took the message, and
  /// a record is what keeps it from going again.
  public func markSent(_ claim: OutboxClaim, at time: Date, relay: String) async throws(StoreFailure) {
    do {
      try await client.query(
        """
        UPDATE outbox SET sent_at = \(time), relay = \(relay), message = NULL, claimed_by = NULL,
          claimed_until = NULL
        WHERE key = \(claim.key) AND sent_at IS NULL
        """, logger: logger)
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  public func release(_ claim: OutboxClaim) async {
    // A release that fails leaves the claim to run out: the message waits for a later run.
    _ = try? await client.query(
      """
      UPDATE outbox SET claimed_by = NULL, claimed_until = NULL
      WHERE key = \(claim.key) AND claimed_by = \(claim.token ?? "") AND sent_at IS NULL
      """, logger: logger)
  }

  public func mailState(_ key: String) async throws(StoreFailure) -> OutboxState? {
    do {
      let rows = try await client.query("SELECT sent_at IS NOT NULL FROM outbox WHERE key = \(key)", logger: logger)
      for try await sent in rows.decode(Bool.self) { return sent ? .sent : .queued }
      return nil
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  public func sentMail(_ key: String) async throws(StoreFailure) -> OutboxMessage? {
    do {
      let rows = try await client.query(
        """
        SELECT person, day, sender, recipient, message_id, what, sent_at, relay FROM outbox
        WHERE key = \(key) AND sent_at IS NOT NULL
        """, logger: logger)
      for try await (person, day, from, to, messageID, what, sentAt, relay) in rows.decode(
        (String, String, String, String, String, String?, Date, String?).self)
      {
        return OutboxMessage(
          person: person, day: day, from: from, to: to, messageID: messageID,
          sentAt: ISO8601DateFormatter().string(from: sentAt), relay: relay, what: what)
      }
      return nil
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }
}
