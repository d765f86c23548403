import Foundation
import Testing

/// `accord invite`, `accord token` and `accord access` through the built binary: who may give
/// access, what is printed once and never stored, and that a refusal writes nothing.
@Suite("End to end: access to the web")
struct AccessCommandTests {
  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
    #expect(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    #expect(try accord("start", "beta", "--name", "Beta plc", as: "bob").status == 0)
    #expect(try accord("assign", "acme", "czar", "carol").status == 0)
  }

  var accessFile: URL { accord.workspace.appendingPathComponent(".accord-access.json") }

  func accessBytes() -> Data? { try? Data(contentsOf: accessFile) }

  @Test func theConsultantAndTheCzarInviteAndTheLinkIsShownOnceAndStoredAsAHash() throws {
    let invite = try accord("invite", "acme", "sid", "--url", "https://accord.example.com/", "--json")
    #expect(invite.status == 0, "\(invite.stderr)")
    let object = try #require(try invite.json() as? [String: Any])
    let link = try #require(object["link"] as? String)
    #expect(link.hasPrefix("https://accord.example.com/sign-in/"))
    let secret = String(link.dropFirst("https://accord.example.com/sign-in/".count))
    #expect(secret.count == 43)
    #expect(object["person"] as? String == "sid")
    #expect(object["client"] as? String == "acme")

    let stored = try String(contentsOf: accessFile, encoding: .utf8)
    #expect(!stored.contains(secret))
    let attributes = try FileManager.default.attributesOfItem(atPath: accessFile.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

    // The czar may invite too; the text names the client and the expiry.
    let byCzar = try accord("invite", "acme", "lee", "--expires", "2d", as: "carol")
    #expect(byCzar.status == 0)
    #expect(byCzar.stdout.contains("Gave lee access to acme."))
    #expect(byCzar.stdout.contains("http://127.0.0.1:8080/sign-in/"))

    let list = try accord("access", "list", "acme", "--json")
    let listing = try #require(try list.json() as? [String: Any])
    let people = (listing["grants"] as? [[String: Any]] ?? []).compactMap { $0["person"] as? String }
    #expect(people.sorted() == ["lee", "sid"])
    #expect(!list.stdout.contains(secret))
  }

  @Test func someoneElseMayNotInviteAndNothingIsWritten() throws {
    _ = try accord("invite", "acme", "sid")
    let before = accessBytes()
    let refused = try accord("invite", "acme", "mallory", as: "mallory")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("mallory may not give or take access to acme"))
    let json = try accord("invite", "acme", "mallory", "--json", as: "mallory")
    let error = try #require(
      (try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any])
    #expect(error["code"] as? String == "not-permitted")
    // Bob is consultant of beta, not of acme.
    #expect(try accord("token", "create", "carol", "--client", "acme", as: "bob").status == 1)
    #expect(accessBytes() == before)
  }

  @Test func badInputIsAUsageErrorThatWritesNothing() throws {
    for arguments in [
      ["invite", "acme"], ["invite", "acme", "sid", "--expires", "7"], ["invite", "acme", "sid", "--expires", "0d"],
      ["invite", "acme", "sid", "--expires", "5y"], ["invite", "acme", " "], ["invite", "--firm", "acme", "pat"],
      ["invite", "acme", "sid", "--url", "ftp://x"], ["invite", "-bad", "sid"], ["serve", "--port", "70000"],
      ["token", "create", "sid", "--expires", "soon"],
    ] {
      let run = try accord.run(arguments)
      #expect(run.status == 64, "\(arguments): \(run.stderr)")
    }
    #expect(try accord("invite", "nope", "sid").status == 66)
    #expect(accessBytes() == nil)
  }

  @Test func tokensNeedAccessAndAreRevokedByTheirId() throws {
    let without = try accord("token", "create", "sid", "--client", "acme")
    #expect(without.status == 66)
    #expect(without.stderr.contains("invite them first"))
    #expect(try accord("invite", "acme", "sid").status == 0)
    let made = try accord("token", "create", "sid", "--client", "acme", "--json")
    let object = try #require(try made.json() as? [String: Any])
    let token = try #require(object["token"] as? String)
    let id = try #require(object["id"] as? String)
    #expect(token.hasPrefix("accord_\(id)_"))
    #expect(try !String(contentsOf: accessFile, encoding: .utf8).contains(token))
    #expect(try accord("access", "list").stdout.contains(id))

    let revoked = try accord("token", "revoke", id)
    #expect(revoked.status == 0)
    #expect(revoked.stdout.contains("Revoked token \(id) of sid."))
    let before = accessBytes()
    #expect(try accord("token", "revoke", id).status == 66)
    #expect(accessBytes() == before)
    #expect(try !accord("access", "list").stdout.contains(id))
  }

  @Test func firmAccessAndRevokingIt() throws {
    let firm = try accord("invite", "--firm", "pat")
    #expect(firm.status == 0, "\(firm.stderr)")
    #expect(firm.stdout.contains("firm access (every client)"))
    #expect(try accord("access", "list", "beta").stdout.contains("pat: firm (every client)"))
    let revoked = try accord("access", "revoke", "pat", "--json")
    let object = try #require(try revoked.json() as? [String: Any])
    #expect(object["grants"] as? Int == 1)
    #expect(object["links"] as? Int == 1)
    let again = try accord("access", "revoke", "pat")
    #expect(again.status == 66)
    #expect(again.stderr.contains("pat has no access to any client"))
    #expect(try accord("access", "list").stdout.contains("Nobody has access on the web yet"))
  }
}
