import Foundation
import Testing

/// `accord survey open` and `survey close` on a laptop, end to end: the built `accord`
/// against `accord serve` on loopback. The server opens the round in its survey box, its
/// links lead to the server, an answer is taken there, the server closes the round, and the
/// laptop's copy shows it. Offline, both are refused with the copy left as it was.
@Suite("Survey on a remote end to end", .serialized)
struct SurveyRemoteEndToEndTests {
  typealias Firm = SyncEndToEndTests.Firm
  typealias Laptop = SyncEndToEndTests.Laptop

  @Test func aRoundOpenedFromTheLaptopIsAnsweredOnTheServerAndClosedWithItsResponse() async throws {
    let firm = try Firm()
    let laptop = try Laptop(firm, as: "alice")
    try #require(try laptop.run("sync", "--remote", "firm").status == 0)

    let open = try laptop.remote("survey", "open", "acme", "--round", "pilot", "--codes", "2")
    #expect(open.status == 0, "\(open.stderr)")
    #expect(open.stdout.hasPrefix("Opened round 'pilot' for answers with 2 single-use links: hand out one per person."))
    #expect(open.stdout.contains("Close it with `accord survey close acme --round pilot`."))
    // The links lead to the server the laptop signed in to.
    let links = open.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix(firm.url + "/survey/") }
    #expect(links.count == 2 && Set(links).count == 2, "\(open.stdout)")
    // The copy holds the opening as the server made it: next and status show the round.
    let opened = try jsonArray(firm.space.cli("log", "acme"))
    #expect(try same(opened, try jsonArray(laptop.remote("log", "acme", "--json").stdout)))
    let opening = try #require(opened.last as? [String: Any])
    #expect(opening["type"] as? String == "surveyOpened" && opening["by"] as? String == "alice")
    #expect(opening["via"] as? String == "remote")
    #expect(try laptop.remote("status", "acme").stdout == firm.space.accord("status", "acme").stdout)
    #expect(try laptop.remote("next", "acme", "--json").stdout == firm.space.cli("next", "acme"))

    // --json, and --out: the links written here, as on a folder.
    let csv = laptop.accord.folder.appendingPathComponent("links.csv")
    let written = try laptop.remote("survey", "open", "acme", "--round", "later", "--codes", "3", "--out", csv.path, "--json")
    #expect(written.status == 0, "\(written.stderr)")
    let answer = try jsonObject(written.stdout)
    #expect(answer["round"] as? String == "later" && answer["csv"] as? String == csv.path && answer["links"] == nil)
    let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\r\n")
    #expect(rows.count == 4 && rows.dropFirst().allSatisfy { $0.contains(",\(firm.url)/survey/") }, "\(rows)")

    // One person answers on the server's page.
    let sent = try await SurveyWebEndToEndTests.post(try #require(URL(string: links[0])), try SurveyAPITests.answer(firm.space))
    #expect(sent.status == 200, "\(sent.body)")
    // The count is the server's, whose survey box took the answer: as its folder shows it.
    let counted = try laptop.remote("survey", "status", "acme")
    #expect(counted.status == 0, "\(counted.stderr)")
    #expect(counted.stdout.contains("  pilot    1 answer    open, 2 single-use links\n"), "\(counted.stdout)")
    #expect(try counted.stdout == firm.space.accord("survey", "status", "acme").stdout)

    let close = try laptop.remote("survey", "close", "acme", "--round", "pilot")
    #expect(close.status == 0, "\(close.stderr)")
    #expect(
      close.stdout
        == "Closed round 'pilot': 1 answer recorded as its responses.\n"
        + "`accord benchmark acme --round pilot` measures it.\n")
    let server = try jsonArray(firm.space.cli("log", "acme"))
    #expect(try same(server, try jsonArray(laptop.remote("log", "acme", "--json").stdout)))
    let closing = try #require(server.last as? [String: Any])
    #expect(closing["type"] as? String == "surveyClosed" && closing["by"] as? String == "alice")
    #expect((closing["responses"] as? [Any])?.count == 1)
    // The copy shows the round closed with its response.
    let rounds = try #require(try jsonObject(laptop.remote("survey", "status", "acme", "--json").stdout)["rounds"] as? [[String: Any]])
    #expect(rounds.contains { $0["round"] as? String == "pilot" && $0["state"] as? String == "closed" }, "\(rounds)")
    #expect(try laptop.remote("status", "acme").stdout == firm.space.accord("status", "acme").stdout)
    // --json: what survey close --json prints on the server's folder for the same event.
    let closeLater = try laptop.remote("survey", "close", "acme", "--round", "later", "--json")
    #expect(closeLater.status == 0, "\(closeLater.stderr)")
    let change = try jsonObject(closeLater.stdout)
    #expect((change["event"] as? [String: Any])?["type"] as? String == "surveyClosed")
    #expect(change["client"] as? String == "acme" && change["next"] is [String: Any])
  }

  @Test func offlineBothAreRefusedAndTheCopyIsLeftByteForByte() async throws {
    let firm = try Firm()
    let laptop = try Laptop(firm, as: "alice")
    try #require(try laptop.run("sync", "--remote", "firm").status == 0)
    let open = try laptop.remote("survey", "open", "acme", "--round", "pilot", "--codes", "2")
    try #require(open.status == 0, "\(open.stderr)")
    firm.stop()
    let copy = laptop.data.appendingPathComponent("accord/remotes/firm")
    let before = try Self.files(copy)
    let refusedOpen = try laptop.remote("survey", "open", "acme", "--codes", "2")
    #expect(refusedOpen.status == 1)
    #expect(refusedOpen.stderr.contains("a survey round is opened on firm's server, which takes its answers, and it cannot be reached"), "\(refusedOpen.stderr)")
    let refusedClose = try laptop.remote("survey", "close", "acme", "--round", "pilot", "--json")
    #expect(refusedClose.status == 1)
    #expect(try errorOf(refusedClose.stderr)["code"] as? String == "server-only", "\(refusedClose.stderr)")
    // The answers' count is the server's too; the copy's rounds are still in accord status.
    let refusedStatus = try laptop.remote("survey", "status", "acme")
    #expect(refusedStatus.status == 1)
    #expect(refusedStatus.stderr.contains("accord status shows the rounds"), "\(refusedStatus.stderr)")
    #expect(try Self.files(copy) == before)
    // Back online, the round is closed as it was left.
    try firm.start()
    let close = try laptop.remote("survey", "close", "acme", "--round", "pilot")
    #expect(close.status == 0, "\(close.stderr)")
    #expect(close.stdout.hasPrefix("Closed round 'pilot': 0 answers recorded as its responses."))
  }

  /// Every file under `folder`, by its path there, with its bytes.
  static func files(_ folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let paths = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
    for path in paths {
      let url = folder.appendingPathComponent(path)
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
        files[path] = try Data(contentsOf: url)
      }
    }
    #expect(!files.isEmpty)
    return files
  }
}
