import Foundation
import PostgresNIO
import WorkspaceStore

/// The survey box in the `survey_boxes` and `survey_codes` tables (schema step 6), shared by
/// every server on the database and by `accord survey close` against it. A single-use code
/// is taken by a `DELETE` only one transaction can win (a second waits for the first's
/// commit and then finds no row), in the transaction that keeps its answer; the box's row
/// is locked while its answers are rewritten, so a seal waits for an answer being kept and
/// an answer arriving after a seal finds it sealed and keeps nothing.
extension PostgresStore: SurveyBoxStore {
  public func openBox(_ box: SurveyBoxKey, codes: [String], shared: Bool) async throws(StoreFailure) -> Bool {
    do {
      return try await transaction { connection -> Bool in
        let made = try await connection.query(
          """
          INSERT INTO survey_boxes (client, round, shared) VALUES (\(box.client), \(box.round), \(shared))
          ON CONFLICT (client, round) DO NOTHING RETURNING 1
          """, logger: logger
        ).collect()
        guard !made.isEmpty else { return false }
        for code in codes {
          try await connection.query(
            """
            INSERT INTO survey_codes (hash, client, round) VALUES (\(code), \(box.client), \(box.round))
            ON CONFLICT (hash) DO NOTHING
            """, logger: logger)
        }
        return true
      }
    } catch {
      throw PostgresFailure.failure(error, place: place, client: box.client)
    }
  }

  public func box(forCode code: String) async throws(StoreFailure) -> SurveyBoxKey? {
    do {
      let rows = try await client.query(
        """
        SELECT b.client, b.round FROM survey_codes c JOIN survey_boxes b ON b.client = c.client AND b.round = c.round
        WHERE c.hash = \(code) AND NOT b.sealed
        """, logger: logger)
      for try await (client, round) in rows.decode((String, String).self) {
        return SurveyBoxKey(client: client, round: round)
      }
      return nil
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  public func submit(_ answer: SurveyAnswer, code: String) async throws(StoreFailure) -> SurveyBoxKey? {
    do {
      return try await transaction { connection -> SurveyBoxKey? in
        let found = try await connection.query(
          """
          SELECT b.client, b.round, b.shared FROM survey_codes c
          JOIN survey_boxes b ON b.client = c.client AND b.round = c.round
          WHERE c.hash = \(code) AND NOT b.sealed
          """, logger: logger
        ).collect().first
        guard let (client, round, shared) = try found?.decode((String, String, Bool).self) else { return nil }
        // The code, taken: a second use waits here for this one's commit, then finds no row.
        if !shared {
          let taken = try await connection.query(
            "DELETE FROM survey_codes WHERE hash = \(code) RETURNING 1", logger: logger
          ).collect()
          guard !taken.isEmpty else { return nil }
        }
        let box = try await connection.query(
          "SELECT answers, sealed FROM survey_boxes WHERE client = \(client) AND round = \(round) FOR UPDATE",
          logger: logger
        ).collect().first
        guard let (text, sealed) = try box?.decode((String, Bool).self), !sealed else {
          // Sealed meanwhile: nothing kept, the code's deletion rolled back with the rest.
          throw Unkept()
        }
        var answers = try JSONDecoder().decode([SurveyAnswer].self, from: Data(text.utf8))
        answers.append(answer)
        answers.shuffle()
        let encoded = String(decoding: try Self.boxEncoder().encode(answers), as: UTF8.self)
        try await connection.query(
          "UPDATE survey_boxes SET answers = \(encoded) WHERE client = \(client) AND round = \(round)",
          logger: logger)
        return SurveyBoxKey(client: client, round: round)
      }
    } catch is Unkept {
      return nil
    } catch {
      throw PostgresFailure.failure(error, place: place)
    }
  }

  public func answerCount(_ box: SurveyBoxKey) async throws(StoreFailure) -> Int {
    do {
      let rows = try await client.query(
        """
        SELECT json_array_length(answers::json) FROM survey_boxes WHERE client = \(box.client) AND round = \(box.round)
        """, logger: logger)
      for try await count in rows.decode(Int.self) { return count }
      return 0
    } catch {
      throw PostgresFailure.failure(error, place: place, client: box.client)
    }
  }

  public func seal(_ box: SurveyBoxKey) async throws(StoreFailure) -> [SurveyAnswer] {
    do {
      return try await transaction { connection -> [SurveyAnswer] in
        let rows = try await connection.query(
          """
          UPDATE survey_boxes SET sealed = true WHERE client = \(box.client) AND round = \(box.round)
          RETURNING answers
          """, logger: logger
        ).collect()
        guard let text = try rows.first?.decode(String.self) else { return [] }
        try await connection.query(
          "DELETE FROM survey_codes WHERE client = \(box.client) AND round = \(box.round)", logger: logger)
        return try JSONDecoder().decode([SurveyAnswer].self, from: Data(text.utf8))
      }
    } catch {
      throw PostgresFailure.failure(error, place: place, client: box.client)
    }
  }

  public func remove(_ box: SurveyBoxKey) async throws(StoreFailure) {
    do {
      try await client.query(
        "DELETE FROM survey_boxes WHERE client = \(box.client) AND round = \(box.round)", logger: logger)
    } catch {
      throw PostgresFailure.failure(error, place: place, client: box.client)
    }
  }

  /// An answer that came after its round was sealed: the transaction is rolled back.
  private struct Unkept: Error {}

  private static func boxEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }
}
