import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WorkspaceStore

@testable import AccordCLI
@testable import AccordServer

/// The server-rendered pages, run in process on a workspace seeded with the built binary.
@Suite("Web pages")
struct WebPageTests {
  let fixture: WebPageFixture

  init() throws {
    fixture = try WebPageFixture()
  }

  // MARK: Signing in and out

  @Test func aLinkSignsInOnceAndAGetNeverUsesIt() async throws {
    try fixture.seed()
    let secret = try fixture.invite("sid", to: "acme")
    try await fixture.test { client in
      // A mail scanner fetching the link twice uses nothing.
      for _ in 0..<2 {
        let page = try await client.get("/sign-in/\(secret)")
        #expect(page.status == .ok)
        #expect(page.headers[.setCookie] == nil)
        #expect(page.html.contains(#"<form method="post" action="/sign-in">"#))
        #expect(page.html.contains(#"name="secret" value="\#(secret)""#))
        #expect(page.text.contains("This link signs in sid"))
      }
      let signIn = try await client.post("/sign-in", fields: ["secret": secret])
      #expect(signIn.status == .seeOther)
      #expect(signIn.headers[.location] == "/")
      let cookie = try #require(signIn.headers[.setCookie])
      #expect(cookie.contains("HttpOnly"))
      #expect(cookie.contains("SameSite=Strict"))
      #expect(!cookie.contains("Secure"))
      // Used: refused, and no second session.
      let again = try await client.post("/sign-in", fields: ["secret": secret])
      #expect(again.status == .gone)
      #expect(again.headers[.setCookie] == nil)
      #expect(again.text.contains("Ask for a new link"))
      #expect(try await client.get("/sign-in/\(secret)").status == .gone)
      let unknown = try await client.post("/sign-in", fields: ["secret": "not-a-link"])
      #expect(unknown.status == .notFound)
      #expect(unknown.headers[.setCookie] == nil)
    }
    #expect(try AccessStore(fixture.workspace).read().sessions.count == 1)
  }

  @Test func anAddressNothingAnswersIsAPageSayingSoAndTheAPIKeepsItsBareStatus() async throws {
    try fixture.seed()
    try await fixture.test { client in
      let page = try await client.get("/no-such-page")
      #expect(page.status == .notFound)
      #expect(page.html.contains("<h1>Not found</h1>"))
      #expect(page.headers[.contentSecurityPolicy] != nil)
      let api = try await client.get("/api/v1/no-such-thing")
      #expect(api.status == .notFound)
      #expect(!api.html.contains("<h1>"))
    }
  }

  @Test func anExpiredLinkIsRefused() async throws {
    try fixture.seed()
    let secret = try fixture.invite("sid", to: "acme", expiresIn: -1)
    try await fixture.test { client in
      #expect(try await client.get("/sign-in/\(secret)").status == .gone)
      let post = try await client.post("/sign-in", fields: ["secret": secret])
      #expect(post.status == .gone)
      #expect(post.headers[.setCookie] == nil)
      #expect(post.text.contains("run out"))
    }
    #expect(try AccessStore(fixture.workspace).read().sessions.isEmpty)
  }

  @Test func theCookieIsSecureOnlyWhenTheProxySaysHTTPS() async throws {
    try fixture.seed()
    let first = try fixture.invite("sid", to: "acme")
    let second = try fixture.invite("sid", to: "acme")
    let third = try fixture.invite("sid", to: "acme")
    try await fixture.test(fixture.server(behindProxy: true)) { client in
      let https = try await client.post("/sign-in", fields: ["secret": first], headers: [.xForwardedProto: "https"])
      #expect(https.headers[.setCookie]?.contains("Secure") == true)
      let http = try await client.post("/sign-in", fields: ["secret": second], headers: [.xForwardedProto: "http"])
      #expect(http.headers[.setCookie]?.contains("Secure") == false)
    }
    // Not behind a proxy, the header is anybody's word: no Secure from it.
    try await fixture.test { client in
      let spoofed = try await client.post("/sign-in", fields: ["secret": third], headers: [.xForwardedProto: "https"])
      #expect(spoofed.headers[.setCookie]?.contains("Secure") == false)
    }
  }

  @Test func signingOutEndsTheSessionAndNeedsTheCSRFToken() async throws {
    try fixture.seed()
    let secret = try fixture.invite("sid", to: "acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      #expect(try await client.get("/", session: session).status == .ok)
      let forged = try await client.post("/sign-out", fields: [:], session: session, csrf: .some(nil))
      #expect(forged.status == .forbidden)
      #expect(try await client.get("/", session: session).status == .ok)
      let out = try await client.post("/sign-out", fields: [:], session: session)
      #expect(out.status == .seeOther)
      #expect(out.headers[.location] == "/signed-out")
      #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
      let after = try await client.get("/", session: session)
      #expect(after.status == .unauthorized)
      #expect(after.text.contains("Sign in with the link you were sent"))
      #expect(try await client.get("/signed-out").text.contains("You are signed out"))
    }
  }

  @Test func pagesNeedASessionNotAToken() async throws {
    try fixture.seed()
    let now = Date()
    let token = try AccessStore(fixture.workspace).update { book in
      book.grant("sid", to: "acme", by: "alice", now: now)
      return book.createToken(for: "sid", client: nil, by: "alice", now: now, expiresAt: now + 3600).token
    }
    try await fixture.test { client in
      for path in ["/", "/clients/acme", "/clients/acme/agreements/collaboration-charter", "/portfolio"] {
        let anonymous = try await client.get(path)
        #expect(anonymous.status == .unauthorized, "\(path)")
        #expect(anonymous.text.contains("Sign in with the link you were sent"))
        let bearer = try await client.get(path, headers: [.authorization: "Bearer \(token)"])
        #expect(bearer.status == .unauthorized, "\(path)")
      }
    }
  }

  @Test func aRevokedPersonIsOutAtTheirNextRequest() async throws {
    try fixture.seed()
    let secret = try fixture.invite("sid", to: "acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      #expect(try await client.get("/clients/acme", session: session).status == .ok)
      let revoked = try fixture.accord("access", "revoke", "sid", "acme")
      #expect(revoked.status == 0, "\(revoked.stderr)")
      #expect(try await client.get("/clients/acme", session: session).status == .unauthorized)
    }
  }

  @Test func signInIsRateLimitedPerAddress() async throws {
    try fixture.seed()
    try await fixture.test(fixture.server(limiter: SignInLimiter(limit: 2, window: 300))) { client in
      #expect(try await client.get("/sign-in/guess-1").status == .notFound)
      #expect(try await client.post("/sign-in", fields: ["secret": "guess-2"]).status == .notFound)
      for attempt in [
        try await client.get("/sign-in/guess-3"), try await client.post("/sign-in", fields: ["secret": "guess-4"]),
      ] {
        #expect(attempt.status == .tooManyRequests)
        // The seconds until the first failure leaves the window: at most the window, and
        // less by however long the machine took to get here.
        let retry = try #require(attempt.headers[.retryAfter].flatMap { Int($0) })
        #expect((1...300).contains(retry) && retry > 240, "\(retry)")
      }
    }
  }

  // MARK: Headers and CSRF

  @Test func pagesCarryTheSecurityHeaders() async throws {
    try fixture.seed()
    let secret = try fixture.invite("sid", to: "acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      for response in [
        try await client.get("/", session: session), try await client.get("/clients/acme", session: session),
        try await client.get("/"), try await client.get("/sign-in/\(secret)"),
      ] {
        let policy = try #require(response.headers[.contentSecurityPolicy])
        #expect(!policy.contains("unsafe-inline"))
        #expect(!policy.contains("script-src"))
        #expect(policy.contains("frame-ancestors 'none'"))
        #expect(policy.contains("style-src 'self'"))
        #expect(response.headers[.referrerPolicy] == "no-referrer")
        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
        // No inline styles or scripts for the policy to refuse.
        #expect(!response.html.contains("<script"))
        #expect(!response.html.contains("<style"))
        #expect(!response.html.contains("style="))
      }
      let css = try await client.get("/style.css")
      #expect(css.status == .ok)
      #expect(css.headers[.contentType] == "text/css; charset=utf-8")
    }
  }

  @Test(arguments: [String?.none, "0123abcd"])
  func aPostWithoutItsCSRFTokenChangesNothing(_ token: String?) async throws {
    try fixture.seed()
    let secret = try fixture.invite("carol", to: "acme")
    let before = try fixture.clientFile("acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let page = try await client.get("/clients/acme", session: session)
      #expect(page.html.contains(#"name="csrf" value="\#(SessionCookie.csrfToken(forSession: session))""#))
      for (path, fields) in [
        ("complete", ["milestone": "stakeholder-map"]), ("assign", ["role": "sales-manager", "person": "sue"]),
      ] {
        let refused = try await client.post(
          "/clients/acme/\(path)", fields: fields, session: session, csrf: .some(token))
        #expect(refused.status == .forbidden)
        #expect(refused.text.contains("Nothing was changed"))
      }
    }
    #expect(try fixture.clientFile("acme") == before)
  }

  @Test func anOversizedFormIsRefusedUnread() async throws {
    try fixture.seed()
    let secret = try fixture.invite("carol", to: "acme")
    let before = try fixture.clientFile("acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let large = try await client.post(
        "/clients/acme/complete",
        fields: ["milestone": "stakeholder-map", "note": String(repeating: "x", count: WebLimits.bodyBytes)],
        session: session)
      #expect(large.status == .contentTooLarge)
      #expect(large.headers[.contentType] == "text/html; charset=utf-8")
    }
    #expect(try fixture.clientFile("acme") == before)
  }

  // MARK: Who sees what

  @Test func aCzarOfOneClientCannotSeeOrChangeAnother() async throws {
    try fixture.seed()
    let secret = try fixture.invite("carol", to: "acme")
    let before = try fixture.clientFile("beta")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let mine = try await client.get("/", session: session)
      #expect(mine.text.contains("Acme Ltd"))
      #expect(!mine.text.contains("Beta plc"))
      let beta = try await client.get("/clients/beta", session: session)
      let missing = try await client.get("/clients/gamma", session: session)
      #expect(beta.status == .notFound)
      #expect(missing.status == .notFound)
      // Answered exactly as one that is not there, but for its name.
      #expect(beta.html.replacingOccurrences(of: "beta", with: "gamma") == missing.html)
      for path in [
        "/clients/beta/agreements/collaboration-charter", "/clients/beta/agreements/collaboration-charter/sign",
        "/clients/beta/benchmark",
      ] {
        #expect(try await client.get(path, session: session).status == .notFound, "\(path)")
      }
      let change = try await client.post(
        "/clients/beta/complete", fields: ["milestone": "stakeholder-map"], session: session)
      #expect(change.status == .notFound)
      let sign = try await client.post(
        "/clients/beta/agreements/collaboration-charter/sign", fields: ["terms": "x"], session: session)
      #expect(sign.status == .notFound)
      #expect(try await client.get("/portfolio", session: session).status == .notFound)
    }
    #expect(try fixture.clientFile("beta") == before)
  }

  @Test func thePortfolioIsForFirmAccessOnly() async throws {
    try fixture.seed()
    let firm = try fixture.invite("alice", to: nil)
    let sponsor = try fixture.invite("sid", to: "acme")
    try await fixture.test { client in
      let alice = try await client.signIn(firm)
      let page = try await client.get("/portfolio", session: alice)
      #expect(page.status == .ok)
      #expect(page.text.contains("Acme Ltd"))
      #expect(page.text.contains("Beta plc"))
      #expect(page.text.contains("stage 1 of 4: Benchmark collaboration (active)"))
      #expect(page.text.contains("alice: complete 'Map the stakeholders'"))
      #expect(page.html.contains(#"href="/portfolio""#))
      // Two clients make one page: no way to another, and none past it.
      #expect(!page.html.contains("Pages of the portfolio"))
      #expect(try await client.get("/portfolio?page=1", session: alice).text == page.text)
      for other in ["2", "0", "-1", "01", "x", ""] {
        #expect(try await client.get("/portfolio?page=\(other)", session: alice).status == .notFound, "\(other)")
      }
      let sid = try await client.signIn(sponsor)
      #expect(try await client.get("/portfolio", session: sid).status == .notFound)
      #expect(!(try await client.get("/", session: sid).html.contains(#"href="/portfolio""#)))
    }
  }

  // MARK: Buttons and changes

  @Test func theButtonsAreExactlyThosePermitted() async throws {
    try fixture.seed()
    let sponsor = try fixture.invite("sid", to: "acme")
    let czar = try fixture.invite("carol", to: "acme")
    try await fixture.test { client in
      let sid = try await client.signIn(sponsor)
      let early = try await client.get("/clients/acme", session: sid)
      #expect(early.status == .ok)
      #expect(!early.html.contains("/complete\""))
      #expect(!early.html.contains("/reopen\""))
      #expect(!early.html.contains("/assign\""))
      #expect(!early.html.contains("/sign\""))
      let carol = try await client.signIn(czar)
      let czarPage = try await client.get("/clients/acme", session: carol)
      // The czar may complete exactly the ready milestones, and assign roles.
      #expect(czarPage.html.components(separatedBy: "/clients/acme/complete\"").count - 1 == 3)
      #expect(czarPage.html.contains(#"name="milestone" value="stakeholder-map""#))
      #expect(!czarPage.html.contains(#"name="milestone" value="benchmark-findings""#))
      #expect(czarPage.html.contains("/clients/acme/assign\""))
    }
    try fixture.completeEverythingReady()
    try await fixture.test { client in
      let sid = try await client.signIn(try fixture.invite("sid", to: "acme"))
      let page = try await client.get("/clients/acme", session: sid)
      #expect(page.html.contains(#"href="/clients/acme/agreements/collaboration-charter/sign?role=sponsor""#))
      #expect(page.html.contains(#"href="/clients/acme/agreements/metrics-agreement/sign?role=sponsor""#))
      #expect(page.text.contains("Sign as Executive sponsor"))
      #expect(!page.html.contains("/complete\""))
      #expect(!page.html.contains("/reopen\""))
      #expect(!page.html.contains("/revoke\""))
      let work = try await client.get("/", session: sid)
      #expect(work.text.contains("Sign 'How sales and marketing will work together' as Executive sponsor"))
      #expect(work.text.contains("sam: sign 'How sales and marketing will work together' as Head of sales"))
    }
  }

  @Test func aRefusalShowsTheCLIsSentence() async throws {
    try fixture.seed()
    let secret = try fixture.invite("carol", to: "acme")
    let cli = try fixture.accord("complete", "acme", "benchmark-findings", "--json", as: "carol")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(cli.stderr.utf8)) as? [String: Any])
    let sentence = try #require((report["error"] as? [String: Any])?["message"] as? String)
    let before = try fixture.clientFile("acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let refused = try await client.post(
        "/clients/acme/complete", fields: ["milestone": "benchmark-findings"], session: session)
      #expect(refused.status == .conflict)
      #expect(refused.text.contains(sentence))
      let noReason = try await client.post(
        "/clients/acme/complete", fields: ["milestone": "no-such-milestone"], session: session)
      #expect(noReason.status == .badRequest)
      #expect(noReason.text.contains("no-such-milestone"))
    }
    #expect(try fixture.clientFile("acme") == before)
  }

  @Test func completeReopenAndAssignGoThroughTheForms() async throws {
    try fixture.seed()
    let secret = try fixture.invite("carol", to: "acme")
    try await fixture.test { client in
      let carol = try await client.signIn(secret)
      let done = try await client.post(
        "/clients/acme/complete", fields: ["milestone": "stakeholder-map"], session: carol)
      #expect(done.status == .seeOther)
      // Back to the page, with the message of what was done (`?done=` names the event).
      #expect(done.headers[.location]?.hasPrefix("/clients/acme?done=") == true)
      let page = try await client.get("/clients/acme", session: carol)
      #expect(page.html.contains("/clients/acme/reopen\""))
      let withoutReason = try await client.post(
        "/clients/acme/reopen", fields: ["milestone": "stakeholder-map", "reason": ""], session: carol)
      #expect(withoutReason.status == .conflict)
      #expect(withoutReason.text.contains("reason"))
      let reopened = try await client.post(
        "/clients/acme/reopen", fields: ["milestone": "stakeholder-map", "reason": "map was wrong"], session: carol)
      #expect(reopened.status == .seeOther)
      let assigned = try await client.post(
        "/clients/acme/assign", fields: ["role": "sales-manager", "person": "sue"], session: carol)
      #expect(assigned.status == .seeOther)
      let after = try await client.get("/clients/acme", session: carol)
      #expect(after.text.contains("map was wrong"))
    }
    let status = try #require(try fixture.accord("status", "acme", "--json").json() as? [String: Any])
    let assignments = try #require(status["assignments"] as? [String: String])
    #expect(assignments["sales-manager"] == "sue")
    let log = try fixture.accord("log", "acme")
    #expect(log.stdout.contains("reopened"))
    #expect(log.stdout.contains("carol"))
  }

  // MARK: Agreements

  @Test func signingShowsTheHashAndRefusesChangedTerms() async throws {
    try fixture.seed(ready: true)
    let secret = try fixture.invite("sid", to: "acme")
    try await fixture.test { client in
      let sid = try await client.signIn(secret)
      let page = try await client.get("/clients/acme/agreements/collaboration-charter", session: sid)
      #expect(page.status == .ok)
      #expect(page.text.contains("We adopt the collaboration processes drafted with our teams"))
      let hash = try #require(page.html.firstMatch(of: /<code>([0-9a-f]{64})<\/code>/)?.1)
      #expect(page.text.contains("Executive sponsor (sid): not signed yet"))
      let confirm = try await client.get("/clients/acme/agreements/collaboration-charter/sign", session: sid)
      #expect(confirm.html.contains(#"name="terms" value="\#(hash)""#))
      #expect(confirm.text.contains("You are signing as Executive sponsor"))
      let stale = try await client.post(
        "/clients/acme/agreements/collaboration-charter/sign", fields: ["terms": String(repeating: "0", count: 64), "role": "sponsor"],
        session: sid)
      #expect(stale.status == .conflict)
      #expect(stale.text.contains("changed since you read them"))
      let signed = try await client.post(
        "/clients/acme/agreements/collaboration-charter/sign", fields: ["terms": String(hash), "role": "sponsor"],
        session: sid)
      #expect(signed.status == .seeOther)
      let after = try await client.get("/clients/acme/agreements/collaboration-charter", session: sid)
      #expect(after.text.contains("sponsor (sid): signed by sid"))
      #expect(!after.html.contains("/sign\""))
      // Signed already: the confirmation page is the agreement, without a form.
      let again = try await client.get("/clients/acme/agreements/collaboration-charter/sign", session: sid)
      #expect(!again.html.contains(#"name="terms""#))
      let twice = try await client.post(
        "/clients/acme/agreements/collaboration-charter/sign", fields: ["terms": String(hash), "role": "sponsor"],
        session: sid)
      #expect(twice.status == .conflict)
    }
    let log = try fixture.accord("log", "acme", "--json")
    #expect(log.stdout.contains("\"signed\""))
  }

  @Test func theBenchmarkPageShowsTheCLIsFigures() async throws {
    try fixture.seed()
    let secret = try fixture.invite("carol", to: "acme")
    let cli = try #require(try fixture.accord("benchmark", "acme", "--json").json() as? [String: Any])
    let index = try #require(cli["index"] as? Double)
    let respondents = try #require(cli["respondents"] as? Int)
    try await fixture.test { client in
      let carol = try await client.signIn(secret)
      let page = try await client.get("/clients/acme/benchmark", session: carol)
      #expect(page.status == .ok)
      #expect(page.text.contains("Round 'round-1', imported "))
      #expect(page.text.contains(": \(respondents) respondents."))
      #expect(page.text.contains("Collaboration index: \(String(format: "%.1f", index)) of 100."))
      #expect(page.text.contains("No opportunity inputs are stored yet"))
    }
  }

  @Test func aStaleSignatureIsExplainedWithTheTermsDiff() async throws {
    try fixture.seed(ready: true)
    let charter = try #require(
      (try fixture.accord("next", "acme", "--json").json() as? [String: Any])?["actions"] as? [[String: Any]])
    #expect(charter.contains { $0["kind"] as? String == "sign" && $0["target"] as? String == "collaboration-charter" })
    #expect(try fixture.accord("sign", "acme", "collaboration-charter", "--yes", as: "sam").status == 0)
    // Version 2 of the playbook changes the charter's terms: sam's signature goes stale.
    let original = try String(
      contentsOf: AccordBinary.packageRoot.appendingPathComponent("playbooks/alignment.yaml"), encoding: .utf8)
    let edited = original.replacingOccurrences(of: "version: 1\n", with: "version: 2\n")
      .replacingOccurrences(of: "every quarter and change them only", with: "every month and change them only")
    #expect(edited != original)
    let file = fixture.accord.folder.appendingPathComponent("alignment-v2.yaml")
    try edited.write(to: file, atomically: true, encoding: .utf8)
    let upgrade = try fixture.accord("upgrade", "acme", "--playbook", file.path, "--reason", "monthly reviews")
    #expect(upgrade.status == 0, "\(upgrade.stderr)")

    let secret = try fixture.invite("sam", to: "acme")
    try await fixture.test { client in
      let sam = try await client.signIn(secret)
      let page = try await client.get("/clients/acme/agreements/collaboration-charter", session: sam)
      #expect(page.status == .ok)
      #expect(page.text.contains("What changed since it was signed:"))
      #expect(page.text.contains("every quarter"))
      #expect(page.text.contains("every month"))
    }
  }

  @Test func theBenchmarkPageShowsTheStoredOpportunityAsTheCLIDoes() async throws {
    try fixture.seed()
    let set = try fixture.accord(
      "opportunity", "acme", "--currency", "GBP", "--marketing-staff", "10", "--cost-per-head", "60000",
      "--content-share", "50", "--unused-share", "50", "--ancillary", "20000")
    #expect(set.status == 0, "\(set.stderr)")
    let cli = try fixture.accord("opportunity", "acme")
    #expect(cli.stdout.contains("£170,000"))
    let secret = try fixture.invite("carol", to: "acme")
    try await fixture.test { client in
      let carol = try await client.signIn(secret)
      let page = try await client.get("/clients/acme/benchmark", session: carol)
      #expect(page.status == .ok)
      #expect(!page.text.contains("No opportunity inputs are stored yet"))
      // Every row of the CLI's calculation is a row of the page's table, and what it comes to
      // the same sentences.
      for line in cli.stdout.split(separator: "\n").dropFirst(2) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
        let cells = line.split(separator: /\s{2,}/).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if cells.count == 2 {
          #expect(page.text.contains(cells[0]) && page.html.contains("<td>\(cells[1])</td>"), "missing: \(line)")
        } else {
          #expect(page.text.contains(String(line)), "missing: \(line)")
        }
      }
    }
  }
}
