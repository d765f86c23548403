import Foundation
import PostgresStore
import PostgresTestSupport
import Testing

/// `accord db migrate`, `accord migrate` and `accord export` as a firm runs them: a
/// consultant's folder moved into a throwaway PostgreSQL cluster and back out again.
@Suite("End to end: a folder into PostgreSQL and back")
struct DatabaseTransferEndToEndTests {
  /// A folder with two clients (one written today with a few changes, one format-1 file
  /// from an Accord of long ago), a time zone and an invitation in its access book.
  static func folder() throws -> AccordBinary {
    let accord = try AccordBinary()
    #expect(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    #expect(try accord("assign", "acme", "czar", "carol").status == 0)
    #expect(try accord("complete", "acme", "stakeholder-map", "--note", "42 people in 3 teams").status == 0)
    #expect(try accord("zone", "Europe/London").status == 0)
    #expect(try accord("invite", "acme", "carol", "--print").status == 0)
    let old = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures/compat/format1/beta.json")
    try FileManager.default.copyItem(at: old, to: accord.workspace.appendingPathComponent("beta.json"))
    return accord
  }

  /// The connection string of `address`, with its password: the tests' own cluster.
  static func connection(_ address: PostgresAddress) -> String {
    "postgresql://\(address.username):\(address.password ?? "")@\(address.host):\(address.port)/\(address.database)"
      + "?sslmode=disable"
  }

  static func files(_ folder: URL) throws -> [String: Data] {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasSuffix(".json") && !$0.hasPrefix(".")
    }
    return try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) })
  }

  @Test func aFolderMovedIntoTheDatabaseAndExportedAgainGivesEveryFileBackByteForByte() async throws {
    let address = try await PostgresCluster.database()
    defer { Task { await PostgresCluster.drop(address) } }
    let url = Self.connection(address)
    let accord = try Self.folder()
    let original = try Self.files(accord.workspace)
    #expect(original.keys.sorted() == ["acme.json", "beta.json"])

    // The tables, made once; a second run changes nothing and says so.
    let made = try accord("db", "migrate", "--database", url)
    #expect(made.status == 0, "\(made.stderr)")
    #expect(made.stdout.contains("Created Accord's tables"))
    #expect(!made.stdout.contains(address.password ?? "-"), "the password is printed")
    let again = try accord("db", "migrate", "--json", environment: ["ACCORD_DATABASE": url])
    #expect(again.status == 0)
    let migrated = try #require(try again.json() as? [String: Any])
    #expect(migrated["from"] as? Int == migrated["to"] as? Int)

    // Into the database: both clients, the access book and the settings.
    let moved = try accord("migrate", "--from", accord.workspace.path, "--to", url, "--json")
    #expect(moved.status == 0, "\(moved.stderr)")
    let report = try #require(try moved.json() as? [String: Any])
    #expect(report["moved"] as? Int == 2)
    #expect(report["access"] as? String == "moved")
    #expect(report["settings"] as? String == "moved")

    // Again: each client is refused, said so, and nothing changes on either side.
    let twice = try accord("migrate", "--from", accord.workspace.path, "--to", url)
    #expect(twice.status == 1)
    #expect(twice.stdout.contains("acme: refused:") && twice.stdout.contains("beta: refused:"))
    #expect(twice.stdout.contains("Moved 0 clients"))
    #expect(try Self.files(accord.workspace) == original)

    // And out again, into a new folder: the same files, byte for byte, and sound.
    let out = accord.folder.appendingPathComponent("exported", isDirectory: true)
    let exported = try accord("export", "--from", url, "--to", out.path)
    #expect(exported.status == 0, "\(exported.stderr)")
    #expect(exported.stdout.contains("Copied 2 clients"))
    #expect(try Self.files(out) == original)
    let check = try accord("check", "--workspace", out.path)
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    #expect(try accord("zone", "--workspace", out.path).stdout.contains("Europe/London"))
    #expect(
      try accord("next", "acme", "--workspace", out.path, "--json").stdout
        == (try accord("next", "acme", "--json").stdout))

    // Exporting over a folder that has them refuses each, and leaves the folder as it is.
    let over = try accord("export", "--from", url, "--to", out.path, "--json")
    #expect(over.status == 1)
    let overReport = try #require(try over.json() as? [String: Any])
    #expect(overReport["refused"] as? Int == 2)
    #expect(overReport["access"] as? String == "kept")
    #expect(try Self.files(out) == original)
  }

  @Test func checkOnTheDatabaseFindsAnEditedEventAndASummaryThatIsNotTheHistorys() async throws {
    let address = try await PostgresCluster.database()
    defer { Task { await PostgresCluster.drop(address) } }
    let url = Self.connection(address)
    let accord = try Self.folder()
    #expect(try accord("db", "migrate", "--database", url).status == 0)
    #expect(try accord("migrate", "--from", accord.workspace.path, "--to", url).status == 0)
    let sound = try accord("check", "--database", url)
    #expect(sound.status == 0, "\(sound.stdout)\(sound.stderr)")
    #expect(sound.stdout.contains("2 clients checked: all sound."))

    // A summary altered by hand: the listing would show it, check does not let it pass.
    try await PostgresCluster.connect(address) { connection in
      _ = try await connection.query(
        "UPDATE clients SET summary = jsonb_set(summary::jsonb, '{actions}', '99')::text WHERE id = 'acme'",
        logger: PostgresCluster.quiet)
    }
    let projection = try accord("check", "--database", url, "--json")
    #expect(projection.status == 65)
    let found = try #require(try projection.json() as? [[String: Any]])
    #expect(found.filter { $0["sound"] as? Bool == false }.map { $0["client"] as? String } == ["acme"])

    // An event's text edited in the database: its chain breaks there, and check says so.
    try await PostgresCluster.connect(address) { connection in
      _ = try await connection.query(
        "UPDATE events SET body = replace(body, '42 people', '43 people') WHERE client = 'acme'",
        logger: PostgresCluster.quiet)
    }
    let edited = try accord("check", "acme", "--database", url)
    #expect(edited.status == 65)
    #expect(edited.stdout.contains("PROBLEM") && edited.stdout.contains("chain"), "\(edited.stdout)")
    #expect(!edited.stdout.contains(PostgresCluster.password))
  }

  @Test func aDamagedClientIsLeftBehindAndSaidSoAndTheOthersMove() async throws {
    let address = try await PostgresCluster.database()
    defer { Task { await PostgresCluster.drop(address) } }
    let url = Self.connection(address)
    let accord = try Self.folder()
    #expect(try accord("db", "migrate", "--database", url).status == 0)
    // An edit by hand in the middle of acme's history: its chain breaks there.
    let file = accord.workspace.appendingPathComponent("acme.json")
    let text = try String(contentsOf: file, encoding: .utf8)
    try text.replacingOccurrences(of: "42 people in 3 teams", with: "43 people in 3 teams")
      .write(to: file, atomically: true, encoding: .utf8)

    let moved = try accord("migrate", "--from", accord.workspace.path, "--to", url)
    #expect(moved.status == 65)
    #expect(moved.stdout.contains("Moved 1 client"))
    #expect(moved.stdout.contains("acme: not moved:"))
    let out = accord.folder.appendingPathComponent("exported", isDirectory: true)
    #expect(try accord("export", "--from", url, "--to", out.path).status == 0)
    #expect(try Self.files(out).keys.sorted() == ["beta.json"])
  }

  @Test func aDatabaseThatIsNotThereOrNotMigratedIsSaidSoPlainly() async throws {
    let accord = try AccordBinary()
    let down = try accord("db", "migrate", "--database", "postgresql://accord:Secret-pw@127.0.0.1:1/nothing", "--json")
    #expect(down.status == 75)
    #expect(down.stderr.contains("store-unavailable"))
    #expect(!down.stderr.contains("Secret-pw"))
    let address = try await PostgresCluster.database()
    defer { Task { await PostgresCluster.drop(address) } }
    let fresh = try accord("export", "--from", Self.connection(address), "--to", accord.folder.appendingPathComponent("x").path)
    #expect(fresh.status == 75)
    #expect(fresh.stderr.contains("accord db migrate"))
    let bad = try accord("migrate", "--from", accord.folder.path, "--to", "mysql://nope")
    #expect(bad.status == 64)
  }
}
