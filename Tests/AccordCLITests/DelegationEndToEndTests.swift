import Foundation
import Testing

/// Acting for someone else, openly, through the built binary: a delegate signs and the gate
/// opens, a signature on paper is recorded with its evidence, and bad input changes nothing.
/// Expiry needs a clock the binary does not let a test set: `DelegationTests` covers it.
@Suite("End to end: delegation and on behalf of")
struct DelegationEndToEndTests {
  static let playbook = """
    playbook: deleg
    version: 1
    title: Delegation
    roles:
      consultant: Consultant
      czar: Czar
      head-of-sales: Head of sales
      sponsor: Sponsor
    stages:
      - id: one
        title: One
        milestones:
          - id: kick-off
            title: Kick off
            owner: consultant
        agreements:
          - id: charter
            title: The charter
            terms: We agree.
            signatories: [head-of-sales, sponsor]
      - id: two
        title: Two
        gate:
          agreements: [charter]
        milestones:
          - id: pilot
            title: Pilot
            owner: head-of-sales

    """

  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("deleg.yaml")
    try Self.playbook.write(to: path, atomically: true, encoding: .utf8)
    #expect(try accord("start", "acme", "--playbook", path.path).status == 0)
    for (role, person) in [("czar", "carol"), ("head-of-sales", "sam"), ("sponsor", "sid")] {
      #expect(try accord("assign", "acme", role, person).status == 0)
    }
  }

  /// A UTC day `days` from today, as `--until` takes it.
  static func day(_ days: Int) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
  }

  func write(_ text: String, to name: String) throws -> String {
    let url = accord.folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  @Test func aDelegateSignsForTheHolderAndTheGateOpens() throws {
    let until = Self.day(1)
    let delegate = try accord("delegate", "acme", "head-of-sales", "pat", "--until", until, "--reason", "on leave", as: "sam")
    #expect(delegate.status == 0, "\(delegate.stderr)")
    #expect(delegate.stdout.contains("pat may act for 'head-of-sales' (held by sam) until the end of \(until) (UTC)."))

    let status = try accord("status", "acme")
    #expect(status.stdout.contains("Delegations"), "\(status.stdout)")
    #expect(status.stdout.contains("head-of-sales  pat for sam  until \(until) (UTC)  on leave"), "\(status.stdout)")
    let statusJSON = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let delegations = try #require(statusJSON["delegations"] as? [[String: Any]])
    #expect(delegations.count == 1)
    #expect(delegations.first?["role"] as? String == "head-of-sales")
    #expect(delegations.first?["holder"] as? String == "sam")
    #expect(delegations.first?["delegate"] as? String == "pat")
    #expect(delegations.first?["until"] as? String == until)
    #expect(delegations.first?["reason"] as? String == "on leave")

    // next shows pat what pat may do for the role.
    let next = try #require(try accord("next", "acme", "--person", "pat", "--json").json() as? [String: Any])
    let actions = try #require(next["actions"] as? [[String: Any]])
    #expect(actions.map { $0["target"] as? String } == ["charter"])
    #expect(actions.first?["delegate"] as? String == "pat")
    let nextText = try accord("next", "acme", "--person", "pat")
    #expect(nextText.stdout.contains("pat may act for head-of-sales (delegated)"), "\(nextText.stdout)")
    #expect(!nextText.stderr.contains("holds no role"), "\(nextText.stderr)")

    let sign = try accord("sign", "acme", "charter", as: "pat")
    #expect(sign.status == 0, "\(sign.stderr)")
    #expect(sign.stdout.contains("Signed 'charter' as head-of-sales for sam, as their delegate"), "\(sign.stdout)")
    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.last?["by"] as? String == "pat")
    #expect(log.last?["holder"] as? String == "sam")
    #expect(log.last?["onBehalfOf"] == nil)

    #expect(try accord("complete", "acme", "kick-off").status == 0)
    let gate = try accord("sign", "acme", "charter", as: "sid")
    #expect(gate.stdout.contains("stage two: gated -> active"), "\(gate.stdout)")
    // pat completes the head of sales's milestone too, for sam.
    let pilot = try accord("complete", "acme", "pilot", as: "pat")
    #expect(pilot.status == 0, "\(pilot.stderr)")
    #expect(pilot.stdout.contains("Completed 'pilot' for sam, as their delegate."), "\(pilot.stdout)")

    let show = try accord("show", "acme", "charter")
    #expect(show.stdout.contains("head-of-sales: signed by pat for sam, as their delegate at"), "\(show.stdout)")
    let csv = try accord("log", "acme", "--format", "csv").stdout
    let row = try #require(csv.split(separator: "\r\n").first { $0.contains(",signed,pat,") })
    #expect(row.contains(",signed,pat,sam,head-of-sales,charter,"), "\(row)")

    // Ended early: pat may no longer act; ending again has nothing to end.
    let end = try accord("delegate", "acme", "head-of-sales", "--end", as: "sam")
    #expect(end.status == 0, "\(end.stderr)")
    #expect(end.stdout.contains("Ended the delegation of 'head-of-sales' (pat for sam)."))
    #expect(try accord("status", "acme", "--json").json() as? [String: Any] != nil)
    #expect(!(try accord("status", "acme").stdout.contains("Delegations")))
    #expect(try accord("revoke", "acme", "charter", "--role", "sponsor", "--reason", "x", as: "pat").status == 1)
    #expect(try accord("check", "acme").status == 0)
  }

  @Test func aHandOverEndsTheDelegation() throws {
    #expect(try accord("delegate", "acme", "head-of-sales", "pat", "--until", Self.day(3), "--reason", "leave").status == 0)
    let handOver = try accord("assign", "acme", "head-of-sales", "sue")
    #expect(handOver.stdout.contains("The hand-over ends pat's delegation of 'head-of-sales'."), "\(handOver.stdout)")
    let sign = try accord("sign", "acme", "charter", "--json", as: "pat")
    #expect(sign.status == 1)
    #expect(sign.stderr.contains("\"not-permitted\""), "\(sign.stderr)")
  }

  @Test func aSignatureOnPaperIsRecordedWithItsEvidence() throws {
    let scan = try write("%PDF signed by sam on paper\n", to: "charter-signed.pdf")
    let hash = TermsHashTests.sha256(Data("%PDF signed by sam on paper\n".utf8))
    let sign = try accord("sign", "acme", "charter", "--on-behalf-of", "sam", "--evidence", scan, as: "alice")
    #expect(sign.status == 0, "\(sign.stderr)")
    #expect(
      sign.stdout.contains(
        "Recorded sam's signature on 'charter' as head-of-sales, entered by alice "
          + "(evidence charter-signed.pdf, sha256 \(hash.prefix(12)))"), "\(sign.stdout)")

    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    let event = try #require(log.last)
    #expect(event["by"] as? String == "alice")
    #expect(event["onBehalfOf"] as? String == "sam")
    #expect((event["evidence"] as? [String: String]) == ["name": "charter-signed.pdf", "sha256": hash])
    #expect(try accord("log", "acme").stdout.contains("on behalf of sam, entered by alice"))
    let csv = try accord("log", "acme", "--format", "csv").stdout
    #expect(csv.contains(",signed,alice,sam,head-of-sales,charter,"), "\(csv)")

    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let agreement = try #require((status["agreements"] as? [[String: Any]])?.first)
    let signature = try #require((agreement["signatures"] as? [[String: Any]])?.first)
    #expect(signature["person"] as? String == "sam")
    #expect(signature["enteredBy"] as? String == "alice")
    #expect((signature["evidence"] as? [String: String])?["sha256"] == hash)
    #expect(try accord("show", "acme", "charter").stdout.contains("signed by sam, entered by alice (evidence charter-signed.pdf"))
    #expect(try accord("check", "acme").status == 0)
  }

  @Test func badInputIsRefusedAndLeavesTheFileAsItWas() throws {
    let scan = try write("scan", to: "scan.pdf")
    let cases: [([String], String, Int32, String?)] = [
      (["delegate", "acme", "head-of-sales", "sam", "--until", Self.day(1), "--reason", "r"], "alice", 1, "delegate-is-holder"),
      (["delegate", "acme", "head-of-sales", "pat", "--until", "2020-01-01", "--reason", "r"], "alice", 1, "until-in-past"),
      (["delegate", "acme", "head-of-sales", "pat", "--until", "2026-02-30", "--reason", "r"], "alice", 64, "usage"),
      (["delegate", "acme", "head-of-sales", "pat", "--until", "tomorrow", "--reason", "r"], "alice", 64, "usage"),
      (["delegate", "acme", "head-of-sales", "pat", "--reason", "r"], "alice", 64, "usage"),
      (["delegate", "acme", "head-of-sales", "pat", "--until", Self.day(1), "--reason", " "], "alice", 64, "usage"),
      (["delegate", "acme", "head-of-sales", "pat", "--until", Self.day(1)], "alice", 64, "usage"),
      (["delegate", "acme", "head-of-sale", "pat", "--until", Self.day(1), "--reason", "r"], "alice", 64, "unknown-role"),
      (["delegate", "acme", "head-of-sales", "pat", "--until", Self.day(1), "--reason", "r"], "sid", 1, "not-permitted"),
      (["delegate", "acme", "head-of-sales", "--end"], "sam", 1, "not-delegated"),
      (["delegate", "acme", "head-of-sales", "pat", "--end"], "sam", 64, "usage"),
      (["sign", "acme", "charter", "--on-behalf-of", "sam"], "alice", 1, "evidence-required"),
      (["sign", "acme", "charter", "--evidence", scan], "sam", 64, "usage"),
      (["sign", "acme", "charter", "--on-behalf-of", "sam", "--evidence", scan], "sid", 1, "not-permitted"),
      (["sign", "acme", "charter", "--on-behalf-of", "sam", "--evidence", scan + ".missing"], "alice", 66, "no-such-file"),
      (["sign", "acme", "charter", "--role", "sponsor", "--on-behalf-of", "sam", "--evidence", scan], "alice", 1, "not-permitted"),
      (["complete", "acme", "kick-off", "--on-behalf-of", "sid", "--evidence", scan], "carol", 1, "not-permitted"),
    ]
    let before = try accord.stateFile("acme")
    for (arguments, person, status, code) in cases {
      let run = try accord.run(arguments + ["--json"], as: person)
      #expect(run.status == status, "\(arguments) by \(person): \(run.stderr)")
      if let code {
        let error = try? JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: [String: Any]]
        #expect(error?["error"]?["code"] as? String == code, "\(arguments): \(run.stderr)")
      }
      #expect(try accord.stateFile("acme") == before, "\(arguments) changed the file")
    }
    // The unassigned role: a fresh client with nobody as sponsor.
    #expect(try accord("start", "beta", "--playbook", accord.folder.appendingPathComponent("deleg.yaml").path).status == 0)
    let beta = try accord.stateFile("beta")
    let unassigned = try accord("delegate", "beta", "sponsor", "pat", "--until", Self.day(1), "--reason", "r", "--json")
    #expect(unassigned.status == 1)
    #expect(unassigned.stderr.contains("\"role-unassigned\""), "\(unassigned.stderr)")
    #expect(try accord.stateFile("beta") == beta)
  }

  /// On a terminal, recording someone else's signature asks whether to record it, not
  /// whether the person at the keyboard signs. util-linux's `script` gives the terminal.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
  func onATerminalItAsksToRecordNotToSign() throws {
    let scan = try write("scan", to: "scan.pdf")
    func sign(answer: String) throws -> (Int32, String) {
      try accord.onTerminal(
        ["sign", "acme", "charter", "--on-behalf-of", "sam", "--evidence", scan], as: "alice", answering: answer)
    }
    let before = try accord.stateFile("acme")
    let (declined, shown) = try sign(answer: "n\n")
    #expect(declined == 1, "\(shown)")
    #expect(shown.contains("Record that sam signed these terms, as scan.pdf (sha256 "), "\(shown)")
    #expect(!shown.contains("Sign these terms?"), "\(shown)")
    #expect(shown.contains("Not recorded; nothing changed."), "\(shown)")
    #expect(try accord.stateFile("acme") == before)
    let (accepted, said) = try sign(answer: "y\n")
    #expect(accepted == 0, "\(said)")
    #expect(said.contains("Recorded sam's signature on 'charter' as head-of-sales"), "\(said)")
  }
}
