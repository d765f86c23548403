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
    let invite = try accord("invite", "acme", "sid", "--print", "--url", "https://accord.example.com/", "--json")
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
    let byCzar = try accord("invite", "acme", "lee", "--print", "--expires", "2d", as: "carol")
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
    _ = try accord("invite", "acme", "sid", "--print")
    let before = accessBytes()
    let refused = try accord("invite", "acme", "mallory", "--print", as: "mallory")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("mallory may not give or take access to acme"))
    let json = try accord("invite", "acme", "mallory", "--print", "--json", as: "mallory")
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
    #expect(try accord("invite", "acme", "sid", "--print").status == 0)
    let made = try accord("token", "create", "sid", "--client", "acme", "--json")
    let object = try #require(try made.json() as? [String: Any])
    let token = try #require(object["token"] as? String)
    let id = try #require(object["id"] as? String)
    #expect(token.hasPrefix("accord_\(id)_"))
    #expect(try !String(contentsOf: accessFile, encoding: .utf8).contains(token))
    #expect(try accord("access", "list").stdout.contains(id))

    // Revoking someone else's token needs firm access: alice gives herself the workspace's first.
    #expect(try accord("token", "revoke", id).status == 1)
    #expect(try accord("invite", "--firm", "alice", "--print").status == 0)
    let revoked = try accord("token", "revoke", id)
    #expect(revoked.status == 0)
    #expect(revoked.stdout.contains("Revoked token \(id) of sid."))
    let before = accessBytes()
    #expect(try accord("token", "revoke", id).status == 66)
    #expect(accessBytes() == before)
    #expect(try !accord("access", "list").stdout.contains(id))
  }

  @Test func firmAccessAndRevokingIt() throws {
    let firm = try accord("invite", "--firm", "pat", "--print")
    #expect(firm.status == 0, "\(firm.stderr)")
    #expect(firm.stdout.contains("firm access (every client)"))
    #expect(firm.stdout.contains("first firm access"))
    #expect(try accord("access", "list", "beta").stdout.contains("pat: firm (every client)"))
    // Pat has firm access now; alice has none, so she may not take it away.
    #expect(try accord("access", "revoke", "pat").status == 1)
    let revoked = try accord("access", "revoke", "pat", "--json", as: "pat")
    let object = try #require(try revoked.json() as? [String: Any])
    #expect(object["grants"] as? Int == 1)
    #expect(object["links"] as? Int == 1)
    // Nobody holds firm access again: the next firm grant is the first once more.
    #expect(try accord("invite", "--firm", "alice", "--print").stdout.contains("first firm access"))
    let again = try accord("access", "revoke", "pat")
    #expect(again.status == 66)
    #expect(again.stderr.contains("pat has no access to any client"))
  }

  /// Each command that gives or takes access beyond one client, with a `--by` who has no firm
  /// access: refused `not-permitted` naming the operation, and the access file unchanged.
  @Test func grantCommandsCheckTheirBy() throws {
    #expect(try accord("invite", "--firm", "alice", "--print").status == 0)
    #expect(try accord("invite", "acme", "sid", "--print").status == 0)
    #expect(try accord("invite", "acme", "lee", "--print").status == 0)
    let made = try accord("token", "create", "lee", "--client", "acme", "--json")
    let id = try #require(try made.json() as? [String: Any])["id"] as? String ?? ""
    let before = try #require(accessBytes())
    for arguments in [
      ["invite", "--firm", "mallory", "--print"], ["token", "create", "sid"], ["token", "revoke", id],
      ["access", "revoke", "sid"],
    ] {
      for person in ["nobody", "sid", "carol"] {
        let run = try accord.run(arguments + ["--by", person, "--json"])
        #expect(run.status == 1, "\(arguments) by \(person): \(run.stderr)")
        let error = try #require(
          (try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: Any])?["error"]
            as? [String: Any])
        #expect(error["code"] as? String == "not-permitted")
        let details = error["details"] as? [String: Any] ?? error
        #expect(details["person"] as? String == person, "\(error)")
        #expect(details["operation"] != nil, "\(error)")
        #expect(accessBytes() == before, "\(arguments) by \(person) changed the access file")
      }
    }
    let text = try accord("token", "create", "sid", "--by", "nobody")
    #expect(text.stderr.contains("nobody may not make a token for every client"))
    // With firm access, each works; a person may revoke their own token.
    #expect(try accord("token", "create", "sid", "--by", "alice").status == 0)
    let mine = try accord("token", "create", "sid", "--client", "acme", "--json")
    let mineID = try #require(try mine.json() as? [String: Any])["id"] as? String ?? ""
    #expect(try accord("token", "revoke", mineID, "--by", "sid").status == 0)
    #expect(try accord("token", "revoke", id, "--by", "alice").status == 0)
    #expect(try accord("access", "revoke", "sid", "--by", "alice").status == 0)
  }
}
