import AccordKit
import ArgumentParser
import Foundation
import PostgresStore

extension Accord {
  /// `accord db`: the PostgreSQL database a firm's Accord keeps its records in.
  struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "db",
      abstract: "Look after the PostgreSQL database a firm keeps its clients in.",
      discussion: """
        A workspace folder needs none of this. A firm that runs several servers on one \
        store keeps its clients in PostgreSQL: create the tables with `accord db migrate`, \
        move a folder's clients in with `accord migrate`, and serve them with \
        `accord serve --database`.
        """,
      subcommands: [Migrate.self])

    /// `accord db migrate`: creates or updates Accord's tables.
    struct Migrate: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create Accord's tables in the database, or bring them up to date.",
        discussion: """
          Applies the schema steps the database lacks, in one transaction: safe to run again \
          (it then changes nothing) and from two places at once. A database migrated by a \
          newer Accord is refused and left as it is (exit 65): update Accord instead.
          """)

      @OptionGroup var database: DatabaseOptions
      @OptionGroup var output: OutputOptions

      func run() async throws {
        let address = try database.address()
        let (from, to) = try await PostgresStore.migrate(address)
        if output.json {
          try JSONOutput.print(MigrateJSON(database: address.description, from: from, to: to))
        } else if from == to {
          emit(["\(address) is up to date (schema version \(to))."])
        } else if from == 0 {
          emit(["Created Accord's tables in \(address) (schema version \(to))."])
        } else {
          emit(["Brought \(address) from schema version \(from) to \(to)."])
        }
      }
    }
  }
}

/// What `accord db migrate --json` prints.
struct MigrateJSON: Encodable {
  var database: String
  var from: Int
  var to: Int
}
