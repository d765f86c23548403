import Foundation
import PostgresStore
import PostgresTestSupport
import ProgrammeEngine
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The survey on the web on a database: two `accord serve --database` on one database take
/// answers, a code sent to both at once is kept once, and `survey open|status|close` and
/// `benchmark` with `--database` see the same box.
@Suite("End to end: the survey on the web, on a database", .serialized)
struct SurveyWebDatabaseTests {
  @Test func twoServersTakeAnswersAndACodeSentToBothIsKeptOnce() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let first = try database.serve()
    let second = try database.serve()
    let base = first.base.absoluteString.hasSuffix("/") ? String(first.base.absoluteString.dropLast()) : first.base.absoluteString
    let open = try database.space.accord(
      "survey", "open", "acme", "--round", "web", "--codes", "8", "--url", base, "--json", "--database",
      database.connection, as: "carol")
    try #require(open.status == 0, "\(open.stderr)")
    let links = try #require((try open.json() as? [String: Any])?["links"] as? [String])
    try #require(links.count == 8)
    let codes = links.map { String($0.dropFirst((base + "/survey/").count)) }

    let fields = [("team", "sales"), ("level", "manager"), ("s.goals-lead", "4"), ("s.trust-credit", "2")]
    // Each link sent to both servers at once: one keeps it, the other answers 404.
    let (firstBase, secondBase) = (first.base, second.base)
    for code in codes {
      async let one = SurveyWebEndToEndTests.post(firstBase.appendingPathComponent("survey/\(code)"), fields)
      async let two = SurveyWebEndToEndTests.post(secondBase.appendingPathComponent("survey/\(code)"), fields)
      let statuses = try await [one.status, two.status].sorted()
      #expect(statuses == [200, 404], "\(statuses)")
    }
    let status = try database.space.accord("survey", "status", "acme", "--json", "--database", database.connection)
    #expect(status.status == 0, "\(status.stderr)")
    let rounds = try #require(try jsonObject(status.stdout)["rounds"] as? [[String: Any]])
    #expect(rounds.first { $0["round"] as? String == "web" }?["answers"] as? Int == 8)

    let close = try database.space.accord(
      "survey", "close", "acme", "--round", "web", "--database", database.connection, as: "carol")
    #expect(close.status == 0, "\(close.stderr)")
    #expect(close.stdout.contains("8 answers recorded"))
    let benchmark = try jsonObject(
      database.space.accord("benchmark", "acme", "--round", "web", "--json", "--database", database.connection).stdout)
    #expect(benchmark["respondents"] as? Int == 8)
    // Both servers read the closed round as the CLI does: the box is gone, the link too.
    #expect(try await SurveyWebEndToEndTests.fetch(first.base.appendingPathComponent("survey/\(codes[0])")).status == 404)
    #expect(first.stop() == .exited(0))
    #expect(second.stop() == .exited(0))
    for code in codes { #expect(!first.server.stderr.contains(code) && !second.server.stderr.contains(code)) }
    // The history holds the round, and nothing of the codes.
    let record = try await database.record("acme")
    let text = String(decoding: try JSONEncoder().encode(record.events), as: UTF8.self)
    for code in codes { #expect(!text.contains(code) && !text.contains(sha256Hex(code))) }
  }
}
