import Foundation
import ProgrammeEngine
import Testing

/// Signatures bound to the terms, through the binary: the hash every command shows is the
/// one anyone can recompute from the documented canonical form, and a signature on other
/// terms is stale everywhere it shows.
@Suite("Commands: signatures bound to the terms")
struct TermsHashTests {
  static let playbook = """
    playbook: terms
    version: 1
    title: Terms
    roles:
      consultant: Consultant
      czar: Czar
      head-of-sales: Head of sales
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
            terms: |
              We agree, "firmly", to meet weekly.
            signatories: [head-of-sales]
      - id: two
        title: Two
        gate:
          agreements: [charter]
        milestones:
          - id: pilot
            title: Pilot
            owner: consultant

    """

  /// The documented canonical content, built independently: JSON with sorted keys and no
  /// white space (JSONSerialization escapes as the form says for this text: no slashes).
  static let expected: String = {
    let content: [String: Any] = [
      "id": "charter", "title": "The charter", "signatories": ["head-of-sales"],
      "terms": "We agree, \"firmly\", to meet weekly.\n",
    ]
    let data = try! JSONSerialization.data(withJSONObject: content, options: [.sortedKeys])
    return sha256(data)
  }()

  static func sha256(_ data: Data) -> String {
    // The system's sha256sum, so that the test does not trust the code under test.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe.unshared()
    let output = Pipe.unshared()
    process.standardInput = input
    process.standardOutput = output
    try! process.run()
    input.fileHandleForWriting.write(data)
    try! input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
  }

  static func signedClient() throws -> AccordBinary {
    let accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("terms.yaml")
    try playbook.write(to: path, atomically: true, encoding: .utf8)
    #expect(try accord("start", "acme", "--playbook", path.path).status == 0)
    #expect(try accord("assign", "acme", "head-of-sales", "sam").status == 0)
    return accord
  }

  @Test func everyCommandShowsTheHashAnyoneCanRecompute() throws {
    let accord = try Self.signedClient()
    let hash = Self.expected
    let short = String(hash.prefix(12))
    let next = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
    let actions = try #require(next["actions"] as? [[String: Any]])
    #expect(actions.first { $0["kind"] as? String == "sign" }?["terms"] as? String == hash)
    #expect(try accord("next", "acme").stdout.contains("(terms \(short))"))

    let sign = try accord("sign", "acme", "charter", as: "sam")
    #expect(sign.status == 0, "\(sign.stderr)")
    #expect(sign.stdout.contains("on terms sha256 \(hash)"), "\(sign.stdout)")

    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let agreement = try #require((status["agreements"] as? [[String: Any]])?.first)
    #expect(agreement["termsHash"] as? String == hash)
    let signature = try #require((agreement["signatures"] as? [[String: Any]])?.first)
    #expect(signature["terms"] as? String == hash)
    #expect(signature["stale"] as? Bool == false)
    #expect(try accord("status", "acme").stdout.contains("signed by sam at"))
    let show = try #require(try accord("show", "acme", "charter", "--json").json() as? [String: Any])
    #expect(show["termsHash"] as? String == hash)
    #expect(try accord("show", "acme", "charter").stdout.contains("terms hash  \(short)"))
    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.last?["terms"] as? String == hash)
    #expect(try accord("log", "acme").stdout.contains("charter as head-of-sales on terms \(short)"))
  }

  /// A file whose signature records other terms (as after a change to the agreement): the
  /// signature is stale, the gate closed, and the signatory asked to sign again.
  @Test func aSignatureOnOtherTermsIsStaleEverywhere() throws {
    let accord = try Self.signedClient()
    #expect(try accord("sign", "acme", "charter", as: "sam").status == 0)
    #expect(try accord("complete", "acme", "kick-off").status == 0)
    let old = String(repeating: "ab", count: 32)
    let file = accord.workspace.appendingPathComponent("acme.json")
    // Edited, then every link and the head recomputed, as someone who knows the chain would:
    // every command but check reads only a history whose chain holds.
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    var events = try JSONDecoder().decode([Event].self, from: JSONSerialization.data(withJSONObject: object["events"]!))
    let position = try #require(events.firstIndex { if case .signed = $0.change { true } else { false } })
    guard case let .signed(id, role, _) = events[position].change else { return }
    events[position].change = .signed(agreement: id, role: role, terms: old)
    HistoryChain.link(&events, from: 1)
    object["head"] = HistoryChain.head(of: events)
    object["events"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(events))
    try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: file)

    let next = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
    let sign = try #require((next["actions"] as? [[String: Any]])?.first { $0["kind"] as? String == "sign" })
    #expect(sign["staleTerms"] as? String == old)
    #expect(sign["terms"] as? String == Self.expected)
    let blocked = try #require((next["blocked"] as? [[String: Any]])?.first)
    let unsigned = try #require((blocked["agreements"] as? [[String: Any]])?.first)
    #expect(unsigned["termsChanged"] as? [String] == ["head-of-sales"])
    #expect(try accord("next", "acme").stdout.contains("the terms changed since \(old.prefix(12)) was signed: sign again"))
    #expect(try accord("status", "acme").stdout.contains("stale, must sign again"))
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let agreement = try #require((status["agreements"] as? [[String: Any]])?.first)
    #expect(agreement["state"] as? String == "open")
    #expect((agreement["signatures"] as? [[String: Any]])?.first?["stale"] as? Bool == true)
    // The rewrite passes the chain; this machine's memory of the history still catches it.
    #expect(try accord("check", "acme").status == 65)
  }

  /// On a terminal, sign shows the terms and asks; only y signs. util-linux's `script`
  /// gives the command a terminal for stdin and stdout.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
  func onATerminalSignAsksFirst() throws {
    let accord = try Self.signedClient()
    func sign(answer: String, _ extra: String = "") throws -> (Int32, String) {
      try accord.onTerminal(["sign", "acme", "charter"] + (extra.isEmpty ? [] : [extra.trimmingCharacters(in: .whitespaces)]), as: "sam", answering: answer)
    }
    let before = try accord.stateFile("acme")
    let (declined, shown) = try sign(answer: "n\n")
    #expect(declined == 1, "\(shown)")
    #expect(shown.contains("We agree, \"firmly\", to meet weekly."), "\(shown)")
    #expect(shown.contains("terms sha256 \(Self.expected)"), "\(shown)")
    #expect(shown.contains("Sign these terms? [y/N]"), "\(shown)")
    #expect(try accord.stateFile("acme") == before)
    let (accepted, said) = try sign(answer: "y\n")
    #expect(accepted == 0, "\(said)")
    #expect(said.contains("Signed 'charter' as head-of-sales on terms sha256 \(Self.expected)"), "\(said)")
    #expect(try accord("revoke", "acme", "charter", "--reason", "again", as: "sam").status == 0)
    // --yes: no question, even on a terminal.
    let (yes, quiet) = try sign(answer: "", " --yes")
    #expect(yes == 0, "\(quiet)")
    #expect(!quiet.contains("Sign these terms?"), "\(quiet)")
  }
}
