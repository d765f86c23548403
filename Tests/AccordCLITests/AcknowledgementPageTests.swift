import Foundation
import Testing

/// The pages of acknowledgement and affirmation, from the built `accord serve` over real
/// HTTP: the "I agree" form and what it records, a changed-terms refusal, that names of who
/// has yet to acknowledge reach the consultant and the czar only, and the affirm button.
@Suite("Web pages: acknowledgements and affirmations")
struct AcknowledgementPageTests {
  static let page = "/clients/acme/agreements/lead-sla"

  @Test func aPersonOnTheRosterAgreesOnTheAgreementsPage() async throws {
    let roster = try RosterWorkspace(perTeam: 3)
    let served = try ServedWorkspace(roster.space)
    let terms = try roster.termsHash()
    let session = try await PageSession.signIn(base: served.base, link: try roster.link(for: "sales01", base: served.base))

    // "My work" and the client page each hold their own item, linking to the agreement.
    let work = try await session.get("/")
    #expect(work.status == 200)
    #expect(work.body.contains(#"<a href="/clients/acme/agreements/lead-sla">Acknowledge &#39;The lead hand-off agreement&#39;</a>"#))
    let client = try await session.get("/clients/acme")
    #expect(readable(client.body).contains("Acknowledge 'The lead hand-off agreement'"))
    #expect(readable(client.body).contains("Acknowledged: sales 0 of 3, marketing 0 of 3, 80% needed"))

    // The agreement's page: the terms, each team's count, and the form carrying the hash shown.
    let shown = try await session.get(Self.page)
    let text = readable(shown.body)
    #expect(text.contains("Marketing passes a lead to sales when it is qualified"))
    #expect(text.contains("sales 0 of 3"))
    #expect(text.contains("marketing 0 of 3"))
    #expect(shown.body.contains(#"action="/clients/acme/agreements/lead-sla/acknowledge""#))
    #expect(shown.body.contains(#"<input type="hidden" name="terms" value="\#(terms)">"#))
    #expect(text.contains("I agree"))

    // Terms other than those in force: a page saying so, and nothing recorded.
    let before = try roster.historyLength()
    let refused = try await session.post(
      Self.page + "/acknowledge", ["terms": String(repeating: "a", count: 64)], from: Self.page)
    #expect(refused.status == 409)
    #expect(readable(refused.body).contains("changed since you read them"))
    #expect(readable(refused.body).contains("Nothing was recorded: the terms in force are shown below."))
    #expect(refused.body.contains(#"name="terms" value="\#(terms)""#))
    #expect(try roster.historyLength() == before)

    // Without the session's CSRF token: refused, nothing recorded.
    let forged = try await session.post(Self.page + "/acknowledge", ["terms": terms, "csrf": "forged"], from: Self.page)
    #expect(forged.status == 403)
    #expect(try roster.historyLength() == before)

    // "I agree": back to the page, which says they did and when; the form is gone.
    let agreed = try await session.post(Self.page + "/acknowledge", ["terms": terms], from: Self.page)
    #expect(agreed.status == 303)
    let location = try #require(agreed.location)
    #expect(location.hasPrefix(Self.page + "?done="))
    let after = readable(try await session.get(location).body)
    #expect(after.contains("Done: you acknowledged 'The lead hand-off agreement' (terms \(terms.prefix(8)))"))
    #expect(after.contains("You acknowledged these terms on "))
    #expect(after.contains("sales 1 of 3"))
    #expect(!after.contains("I agree"))
    #expect(!readable(try await session.get("/").body).contains("Acknowledge 'The lead hand-off agreement'"))
    // Recorded as theirs, through the web, on the terms shown, the link's printer named.
    let log = try jsonArray(roster.accord.run(["log", "acme", "--json"]).stdout)
    let last = try #require(log.last as? [String: Any])
    #expect(last["type"] as? String == "acknowledged")
    #expect(last["by"] as? String == "sales01")
    #expect(last["terms"] as? String == terms)
    #expect(last["via"] as? String == "web")
    #expect(last["printedBy"] as? String == "alice")
    // A second "I agree" (a form sent twice) is refused, and recorded once.
    let twice = try await session.post(Self.page + "/acknowledge", ["terms": terms], from: Self.page)
    #expect(twice.status == 409)
    #expect(readable(twice.body).contains("sales01 acknowledged 'lead-sla' on these terms already"))
    #expect(try roster.historyLength() == before + 1)
    #expect(served.stop() == .exited(0))
  }

  @Test func namesOfWhoHasYetToAcknowledgeReachTheConsultantAndTheCzarOnly() async throws {
    let roster = try RosterWorkspace(perTeam: 2)
    try roster.run("acknowledge", "acme", RosterWorkspace.agreement, "--yes", as: "sales01")
    let served = try ServedWorkspace(roster.space)
    for keeper in ["alice", "carol"] {
      let session = try await PageSession.signIn(base: served.base, link: try roster.link(for: keeper, base: served.base))
      let text = readable(try await session.get(Self.page).body)
      #expect(text.contains("Yet to acknowledge"), "\(keeper)")
      for name in ["sales02", "marketing01", "marketing02"] { #expect(text.contains(name), "\(keeper): \(name)") }
    }
    // A head of sales, a salesperson on the roster, and a marketer: counts, never a name of
    // the roster's but their own, on any page.
    for person in ["sam", "sales02", "marketing01"] {
      let session = try await PageSession.signIn(base: served.base, link: try roster.link(for: person, base: served.base))
      for path in ["/", "/clients/acme", Self.page] {
        let answer = try await session.get(path)
        #expect(answer.status == 200, "\(person) \(path)")
        let text = readable(answer.body)
        #expect(!text.contains("Yet to acknowledge"), "\(person) \(path)")
        for name in roster.sales + roster.marketing where name != person {
          #expect(!text.contains(name), "\(person) sees \(name) on \(path)")
        }
      }
      #expect(readable(try await session.get(Self.page).body).contains("sales 1 of 2"))
    }
    #expect(served.stop() == .exited(0))
  }

  @Test func theRolesNewHolderAffirmsOnThePage() async throws {
    let roster = try RosterWorkspace(perTeam: 1)
    for person in roster.sales + roster.marketing {
      try roster.run("acknowledge", "acme", RosterWorkspace.agreement, "--yes", as: person)
    }
    try roster.run("complete", "acme", "pilot", as: "carol")
    try roster.run("assign", "acme", "head-of-sales", "ana")
    let served = try ServedWorkspace(roster.space)
    // Someone else sees where the signature stands, and no button.
    let mia = try await PageSession.signIn(base: served.base, link: try roster.link(for: "mia", base: served.base))
    let seen = readable(try await mia.get(Self.page).body)
    #expect(seen.contains("signed by a predecessor: ana holds the role now and has not affirmed it"))
    #expect(!seen.contains("Affirm as"))

    let ana = try await PageSession.signIn(base: served.base, link: try roster.link(for: "ana", base: served.base))
    let work = try await ana.get("/")
    #expect(work.body.contains(#"<a href="/clients/acme/agreements/lead-sla">Affirm &#39;The lead hand-off agreement&#39; as Head of sales, which sam signed"#))
    let shown = try await ana.get(Self.page)
    #expect(shown.body.contains(#"action="/clients/acme/agreements/lead-sla/affirm""#))
    #expect(readable(shown.body).contains("Affirm as Head of sales"))
    // Changed terms are refused with nothing recorded.
    let before = try roster.historyLength()
    let refused = try await ana.post(
      Self.page + "/affirm", ["terms": String(repeating: "b", count: 64), "role": "head-of-sales"], from: Self.page)
    #expect(refused.status == 409)
    #expect(readable(refused.body).contains("Nothing was recorded"))
    #expect(try roster.historyLength() == before)
    #expect(try roster.stage("sustain") == "gated")

    let affirmed = try await ana.post(
      Self.page + "/affirm", ["terms": try roster.termsHash(), "role": "head-of-sales"], from: Self.page)
    #expect(affirmed.status == 303)
    let after = readable(try await ana.get(try #require(affirmed.location)).body)
    #expect(after.contains("Done: you affirmed 'The lead hand-off agreement' as Head of sales"))
    #expect(after.contains("affirmed by ana at "))
    #expect(!after.contains("Affirm as"))
    #expect(try roster.stage("sustain") == "active")
    #expect(served.stop() == .exited(0))
  }
}
