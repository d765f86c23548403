import AgreementCertificates
import Foundation
import ProgrammeEngine
import Testing

/// Certificates through the binary: issued in each format, verified, tampered with in each
/// way a person would, checked against the client's history; and every refusal leaves the
/// workspace byte for byte as it was.
@Suite("Commands: certificates the client can keep")
struct CertificateEndToEndTests {
  static let playbook = """
    playbook: terms
    version: 2
    title: Terms
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
            title: The <charter> & "co"
            terms: |
              We agree to meet weekly.
              </script><script>alert(1)</script> | * _
            signatories: [head-of-sales, sponsor]
          - id: pledge
            title: The pledge
            signatories: [sponsor]

    """

  /// A client whose charter both signatories signed, and the firm's key.
  static func signedClient() throws -> AccordBinary {
    let accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("terms.yaml")
    try playbook.write(to: path, atomically: true, encoding: .utf8)
    #expect(try accord("start", "acme", "--playbook", path.path, "--name", "Acme Ltd").status == 0)
    #expect(try accord("assign", "acme", "head-of-sales", "sam").status == 0)
    #expect(try accord("assign", "acme", "sponsor", "sid").status == 0)
    #expect(try accord("sign", "acme", "charter", "--note", "for sales", as: "sam").status == 0)
    #expect(try accord("sign", "acme", "charter", as: "sid").status == 0)
    #expect(try accord("key", "create").status == 0)
    return accord
  }

  /// Every file in the workspace, hidden ones too, by name.
  static func snapshot(_ accord: AccordBinary) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: accord.workspace.path) {
      files[name] = try Data(contentsOf: accord.workspace.appendingPathComponent(name))
    }
    return files
  }

  static func issue(_ accord: AccordBinary, _ format: String, to name: String? = nil) throws -> URL {
    let file = accord.folder.appendingPathComponent(name ?? "charter.\(format)")
    let run = try accord("certificate", "acme", "charter", "--format", format, "--out", file.path)
    #expect(run.status == 0, "\(run.stderr)")
    return file
  }

  /// `verify --json`'s answer, with its exit status.
  static func verify(_ accord: AccordBinary, _ arguments: String..., config: URL? = nil) throws
    -> (status: Int32, body: [String: Any])
  {
    var machine = accord
    if let config { machine.configHome = config }
    let run = try machine.run(["verify"] + arguments + ["--json"])
    let body = try #require(try run.json() as? [String: Any], "\(run.stdout)\(run.stderr)")
    return (run.status, body)
  }

  static func codes(_ body: [String: Any], _ key: String = "problems") -> [String] {
    (body[key] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
  }

  static func edit(_ url: URL, _ from: String, _ to: String, first: Bool = false) throws -> URL {
    let text = try String(contentsOf: url, encoding: .utf8)
    let range = try #require(first ? text.range(of: from) : text.range(of: from, options: .backwards), "no '\(from)'")
    let edited = url.deletingLastPathComponent().appendingPathComponent("edited-" + url.lastPathComponent)
    try text.replacingCharacters(in: range, with: to).write(to: edited, atomically: true, encoding: .utf8)
    return edited
  }

  @Test(arguments: ["md", "json", "html"])
  func aCertificateRoundTripsInEachFormat(_ format: String) throws {
    let accord = try Self.signedClient()
    let before = try Self.snapshot(accord)
    let file = try Self.issue(accord, format)
    let publicKey = try accord("key", "show").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let keyFile = accord.folder.appendingPathComponent("firm.pub")
    try (publicKey + "\n").write(to: keyFile, atomically: true, encoding: .utf8)

    let text = try accord("verify", file.path)
    #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
    #expect(text.stdout.hasPrefix("valid: \(file.path) is a certificate of 'charter' for Acme Ltd [acme], 2 signatures"))
    for arguments in [[file.path], [file.path, "--key", publicKey], [file.path, "--key", keyFile.path]] {
      let run = try accord.run(["verify"] + arguments + ["--json"])
      let body = try #require(try run.json() as? [String: Any])
      #expect(run.status == 0)
      #expect(body["valid"] as? Bool == true)
      #expect(body["format"] as? String == format)
      #expect(Self.codes(body).isEmpty)
    }
    let (status, body) = try Self.verify(accord, file.path, "--workspace", accord.workspace.path)
    #expect(status == 0, "\(body)")
    #expect(body["workspaceChecked"] as? Bool == true)
    #expect(Self.codes(body, "notes").isEmpty)
    // Issuing and verifying read the workspace and never write it.
    #expect(try Self.snapshot(accord) == before)
  }

  @Test func theJSONCertificateSaysEverythingTheIssueAsks() throws {
    let accord = try Self.signedClient()
    let run = try accord("certificate", "acme", "charter", "--json", as: "alice")
    #expect(run.status == 0)
    let body = try #require(try run.json() as? [String: Any])
    #expect(body["format"] as? String == "accord-certificate/1")
    let client = try #require(body["client"] as? [String: Any])
    #expect(client["id"] as? String == "acme" && client["name"] as? String == "Acme Ltd")
    let playbook = try #require(body["playbook"] as? [String: Any])
    #expect(playbook["id"] as? String == "terms" && playbook["version"] as? Int == 2)
    let agreement = try #require(body["agreement"] as? [String: Any])
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let agreements = try #require(status["agreements"] as? [[String: Any]])
    #expect(agreement["termsHash"] as? String == agreements.first { $0["id"] as? String == "charter" }?["termsHash"] as? String)
    #expect((agreement["terms"] as? String)?.hasPrefix("We agree to meet weekly.") == true)
    let signatures = try #require(body["signatures"] as? [[String: Any]])
    #expect(signatures.map { $0["person"] as? String } == ["sam", "sid"])
    #expect(signatures.map { $0["enteredBy"] as? String } == ["sam", "sid"])
    #expect(signatures.allSatisfy { $0["onBehalfOf"] is NSNull })
    #expect(signatures[0]["note"] as? String == "for sales")
    #expect(signatures[0]["terms"] as? String == agreement["termsHash"] as? String)
    // The chain head after the last signature is the file's head: nothing came after it.
    let file = try #require(try JSONSerialization.jsonObject(with: accord.stateFile("acme")) as? [String: Any])
    #expect(body["chainHead"] as? String == file["head"] as? String)
    #expect(body["issuedBy"] as? String == "alice")
    #expect((body["key"] as? String)?.hasPrefix("accord-ed25519:") == true)
    #expect((body["seal"] as? String).flatMap { Data(base64Encoded: $0) }?.count == 64)
  }

  @Test func aDelegatesAndAPaperSignatureSayWhoEnteredThemAndForWhom() throws {
    let accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("terms.yaml")
    try Self.playbook.write(to: path, atomically: true, encoding: .utf8)
    let scan = accord.folder.appendingPathComponent("charter-signed.pdf")
    try Data("%PDF-1.4 signed by sid".utf8).write(to: scan)
    for (arguments, person) in [
      (["start", "acme", "--playbook", path.path], "alice"), (["assign", "acme", "head-of-sales", "sam"], "alice"),
      (["assign", "acme", "sponsor", "sid"], "alice"),
      (["delegate", "acme", "head-of-sales", "pat", "--until", "2999-12-31", "--reason", "sam away"], "sam"),
      (["sign", "acme", "charter"], "pat"),
      (["sign", "acme", "charter", "--on-behalf-of", "sid", "--evidence", scan.path], "alice"),
      (["key", "create"], "alice"),
    ] {
      let run = try accord.run(arguments, as: person)
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
    }
    let run = try accord("certificate", "acme", "charter", "--json")
    let body = try #require(try run.json() as? [String: Any], "\(run.stderr)")
    let signatures = try #require(body["signatures"] as? [[String: Any]])
    #expect(signatures.map { $0["person"] as? String } == ["pat", "sid"])
    #expect(signatures.map { $0["enteredBy"] as? String } == ["pat", "alice"])
    #expect(signatures.map { $0["onBehalfOf"] as? String } == ["sam", "sid"])
    let file = accord.folder.appendingPathComponent("charter.json")
    try Data(run.stdout.utf8).write(to: file)
    let verified = try Self.verify(accord, file.path, "--workspace", accord.workspace.path)
    #expect(verified.status == 0 && Self.codes(verified.body).isEmpty, "\(verified.body)")
    // Saying the delegate signed in their own right is an edit the history catches.
    let edited = try Self.edit(file, "\"onBehalfOf\": \"sam\"", "\"onBehalfOf\": null", first: true)
    let refused = try Self.verify(accord, edited.path, "--workspace", accord.workspace.path)
    #expect(refused.status == 65)
    #expect(Self.codes(refused.body).contains("signature-not-in-history"), "\(refused.body)")
  }

  @Test func aCertificateFromBeforeAnUpgradeStillVerifiesAgainstTheWorkspace() throws {
    let accord = try Self.signedClient()
    let certificate = try Self.issue(accord, "json")
    let newer = accord.folder.appendingPathComponent("terms-v3.yaml")
    try Self.playbook.replacingOccurrences(of: "version: 2", with: "version: 3")
      .replacingOccurrences(of: "meet weekly", with: "meet monthly")
      .write(to: newer, atomically: true, encoding: .utf8)
    let upgraded = try accord("upgrade", "acme", "--playbook", newer.path, "--reason", "monthly")
    #expect(upgraded.status == 0, "\(upgraded.stderr)")
    let verified = try Self.verify(accord, certificate.path, "--workspace", accord.workspace.path)
    #expect(verified.status == 0, "\(verified.body)")
    #expect(Self.codes(verified.body).isEmpty, "\(verified.body)")
    #expect(Set(Self.codes(verified.body, "notes")).isSuperset(of: ["upgraded-since", "stale-now"]), "\(verified.body)")
    // A playbook the client never ran on is still a problem.
    let foreign = try Self.edit(certificate, "\"sha256\": \"", "\"sha256\": \"0", first: true)
    #expect(try Self.verify(accord, foreign.path, "--workspace", accord.workspace.path).status == 65)
  }

  @Test func theOutFilesExtensionPicksTheFormat() throws {
    let accord = try Self.signedClient()
    for (name, format) in [("c.json", "json"), ("c.html", "html"), ("c.HTM", "html"), ("c.md", "md"), ("c.txt", "md")] {
      let file = accord.folder.appendingPathComponent(name)
      #expect(try accord("certificate", "acme", "charter", "--out", file.path).status == 0)
      let (status, body) = try Self.verify(accord, file.path)
      #expect(status == 0)
      #expect(body["format"] as? String == format, "\(name)")
    }
  }

  @Test func editedTermsAreNamed() throws {
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, "json")
    let edited = try Self.edit(file, "meet weekly", "meet monthly")
    let (status, body) = try Self.verify(accord, edited.path)
    #expect(status == 65)
    #expect(body["valid"] as? Bool == false)
    #expect(Self.codes(body) == ["seal-broken", "terms-edited"])
  }

  @Test(arguments: [("\"person\": \"sid\"", "\"person\": \"sue\""), ("\"note\": \"for sales\"", "\"note\": \"for all\"")])
  func anEditedSignatureIsNamedAndTheHistorySaysWhich(_ from: String, _ to: String) throws {
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, "json")
    let edited = try Self.edit(file, from, to)
    let (status, body) = try Self.verify(accord, edited.path)
    #expect(status == 65)
    #expect(Self.codes(body) == ["seal-broken"])
    let text = try accord("verify", edited.path)
    #expect(text.stdout.contains("the seal does not match the content"))
    if from.contains("person") {
      let (_, checked) = try Self.verify(accord, edited.path, "--workspace", accord.workspace.path)
      #expect(Self.codes(checked) == ["seal-broken", "signature-not-in-history"])
      let messages = (checked["problems"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
      #expect(messages.last?.contains("sponsor signature by sue") == true)
    }
  }

  @Test func anEditedSignatureTimeIsNamedAgainstTheHistory() throws {
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, "json")
    let body = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    let at = try #require((body["signatures"] as? [[String: Any]])?.last?["at"] as? String)
    let edited = try Self.edit(file, "\"at\": \"\(at)\"", "\"at\": \"2020-01-01T00:00:00Z\"")
    let (status, checked) = try Self.verify(accord, edited.path, "--workspace", accord.workspace.path)
    #expect(status == 65)
    #expect(Self.codes(checked) == ["seal-broken", "signature-not-in-history"])
  }

  @Test(arguments: ["md", "html"])
  func anEditToTheReadableTermsIsNamed(_ format: String) throws {
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, format)
    let edited = try Self.edit(file, "We agree to meet weekly.", "We agree to meet monthly.", first: true)
    let (status, body) = try Self.verify(accord, edited.path)
    #expect(status == 65)
    #expect(Self.codes(body) == ["text-differs"])
    let text = try accord("verify", edited.path)
    #expect(text.stdout.contains("the readable text was edited: line "))
    #expect(text.stdout.contains("monthly"))
  }

  @Test(arguments: ["md", "json", "html"])
  func aRemovedSealIsNamed(_ format: String) throws {
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, format)
    let text = try String(contentsOf: file, encoding: .utf8)
    let stripped = text.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.contains("\"seal\"") }.joined(separator: "\n")
    let edited = accord.folder.appendingPathComponent("unsealed.\(format)")
    try stripped.write(to: edited, atomically: true, encoding: .utf8)
    let (status, body) = try Self.verify(accord, edited.path)
    #expect(status == 65)
    #expect(Self.codes(body) == ["seal-missing"])
  }

  @Test func anotherKeyIsNamedWithBothFingerprints() throws {
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, "json")
    // Another firm's machine: its own key, and the certificate checked against it.
    let other = accord.folder.appendingPathComponent("other-config")
    var elsewhere = accord
    elsewhere.configHome = other
    #expect(try elsewhere("key", "create").status == 0)
    let (status, body) = try Self.verify(accord, file.path, config: other)
    #expect(status == 65)
    #expect(Self.codes(body) == ["wrong-key"])
    let otherKey = try elsewhere("key", "show").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let (given, _) = try Self.verify(accord, file.path, "--key", otherKey)
    #expect(given == 65)
    // With no key at all: valid for integrity only, and said so.
    let (alone, integrity) = try Self.verify(accord, file.path, config: accord.folder.appendingPathComponent("none"))
    #expect(alone == 0)
    #expect(Self.codes(integrity, "notes") == ["integrity-only"])
    #expect((integrity["key"] as? [String: Any])?["source"] as? String == "embedded")
  }

  @Test(arguments: ["", "not a certificate\n", "{\"format\": \"something else\"}\n", "# Notes\n\nNothing sealed here.\n"])
  func aFileThatIsNotACertificateIsRefusedByName(_ contents: String) throws {
    let accord = try Self.signedClient()
    let file = accord.folder.appendingPathComponent("notes.md")
    try contents.write(to: file, atomically: true, encoding: .utf8)
    let before = try Self.snapshot(accord)
    let run = try accord("verify", file.path, "--json")
    #expect(run.status == 65)
    let error = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: [String: Any]])
    #expect(error["error"]?["code"] as? String == "not-a-certificate")
    #expect(error["error"]?["path"] as? String == file.path)
    #expect(try accord("verify", file.path).stderr.hasPrefix("accord: error: \(file.path): is not an Accord certificate"))
    #expect(try Self.snapshot(accord) == before)
  }

  @Test func aMissingFileOrAMalformedKeyIsRefused() throws {
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, "json")
    #expect(try accord("verify", accord.folder.appendingPathComponent("nope.json").path).status == 66)
    let bad = try accord("verify", file.path, "--key", "accord-ed25519:AAAA", "--json")
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("invalid-public-key"))
    let garbage = accord.folder.appendingPathComponent("garbage.pub")
    try "hello\n".write(to: garbage, atomically: true, encoding: .utf8)
    let fromFile = try accord("verify", file.path, "--key", garbage.path)
    #expect(fromFile.status == 65)
    #expect(fromFile.stderr.contains("\(garbage.path): does not hold a public key"))
  }

  @Test func aSignatureRevokedAfterIssuingIsReportedAgainstTheHistory() throws {
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, "json")
    #expect(try accord("revoke", "acme", "charter", "--reason", "targets changed", as: "sid").status == 0)
    let before = try Self.snapshot(accord)
    let (status, body) = try Self.verify(accord, file.path, "--workspace", accord.workspace.path)
    #expect(status == 0)
    #expect(body["valid"] as? Bool == true)
    #expect(Self.codes(body, "notes") == ["revoked-since"])
    let text = try accord("verify", file.path, "--workspace", accord.workspace.path)
    #expect(text.stdout.contains("note: the sponsor signature was revoked since, by sid at "))
    #expect(try Self.snapshot(accord) == before)
    // The revoked signature no longer counts: a new certificate has only sam's.
    let newer = try #require(try accord("certificate", "acme", "charter", "--json").json() as? [String: Any])
    #expect((newer["signatures"] as? [Any])?.count == 1)
    #expect(newer["unsigned"] as? [String] == ["sponsor"])
  }

  /// Edits the note on the client's first signature, in the file as it is.
  static func editNote(_ accord: AccordBinary, relink: Bool) throws {
    let path = accord.workspace.appendingPathComponent("acme.json")
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    var events = try JSONDecoder().decode([Event].self, from: JSONSerialization.data(withJSONObject: object["events"]!))
    let position = try #require(events.firstIndex { $0.note == "for sales" })
    events[position].note = "for nobody"
    if relink {
      // What someone who holds the file and knows the chain would do: every link again.
      HistoryChain.link(&events, from: 1)
      object["head"] = HistoryChain.head(of: events)
    }
    let encoder = JSONEncoder()
    object["events"] = try JSONSerialization.jsonObject(with: encoder.encode(events))
    try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: path)
  }

  @Test(arguments: [false, true])
  func aHistoryEditedAfterIssuingIsCaughtByTheCertificate(relinked: Bool) throws {
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, "json")
    try Self.editNote(accord, relink: relinked)
    // A rewrite with every link recomputed passes `check` on a machine that never saw the
    // client: only a copy of the old head, such as the certificate, shows it.
    var fresh = accord
    fresh.stateHome = accord.folder.appendingPathComponent("fresh-state")
    #expect(try fresh("check", "acme").status == (relinked ? 0 : 65))
    let (status, body) = try Self.verify(accord, file.path, "--workspace", accord.workspace.path)
    #expect(status == 65)
    // Relinked, the certificate's chain head is nowhere in the history any more.
    #expect(Self.codes(body) == (relinked ? ["signature-not-in-history", "chain-head-differs"] : ["signature-not-in-history"]))
    // With the note put back as it was, only the chain can tell.
    let path = accord.workspace.appendingPathComponent("acme.json")
    let text = try String(contentsOf: path, encoding: .utf8)
    try text.replacingOccurrences(of: "for nobody", with: "for sales").write(to: path, atomically: true, encoding: .utf8)
    if relinked {
      // The links now hold the edited note's hashes: the history up to the sponsor's
      // signature breaks, though the signatures read as certified.
      let (again, checked) = try Self.verify(accord, file.path, "--workspace", accord.workspace.path)
      #expect(again == 65)
      #expect(Self.codes(checked) == ["history-edited"] || Self.codes(checked) == ["chain-head-differs"])
    } else {
      let (again, _) = try Self.verify(accord, file.path, "--workspace", accord.workspace.path)
      #expect(again == 0)
    }
  }

  @Test func aRewriteOfHistoryBeforeTheLastSignatureShowsAsAnotherChainHead() throws {
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, "json")
    // Rewrite the assignment of the sponsor (before both signatures) and relink everything.
    let path = accord.workspace.appendingPathComponent("acme.json")
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    var events = try JSONDecoder().decode([Event].self, from: JSONSerialization.data(withJSONObject: object["events"]!))
    events[0].note = "rewritten"
    HistoryChain.link(&events, from: 1)
    object["head"] = HistoryChain.head(of: events)
    object["events"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(events))
    try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: path)
    var fresh = accord
    fresh.stateHome = accord.folder.appendingPathComponent("fresh-state")
    #expect(try fresh("check", "acme").status == 0)
    let (status, body) = try Self.verify(accord, file.path, "--workspace", accord.workspace.path)
    #expect(status == 65)
    #expect(Self.codes(body) == ["chain-head-differs"])
  }

  @Test func refusalsLeaveTheWorkspaceAsItWas() throws {
    let accord = try Self.signedClient()
    let before = try Self.snapshot(accord)
    let unknown = try accord("certificate", "acme", "chartr", "--json")
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("\"suggestion\" : \"charter\""))
    let unsigned = try accord("certificate", "acme", "pledge", "--json")
    #expect(unsigned.status == 1)
    #expect(unsigned.stderr.contains("\"code\" : \"no-signatures\""))
    #expect(try accord("certificate", "nobody", "charter").status == 66)
    #expect(try accord("certificate", "acme", "charter", "--format", "pdf").status == 64)
    #expect(try accord("certificate", "acme", "charter", "--json", "--format", "md").status == 64)
    #expect(try accord("certificate", "acme", "charter", "--by", " ").status == 64)

    // --out never replaces a file without --force, and with it replaces it whole.
    let out = accord.folder.appendingPathComponent("kept.md")
    try "mine\n".write(to: out, atomically: true, encoding: .utf8)
    let exists = try accord("certificate", "acme", "charter", "--out", out.path)
    #expect(exists.status == 73)
    #expect(exists.stderr.contains("already exists; use --force"))
    #expect(try String(contentsOf: out, encoding: .utf8) == "mine\n")
    #expect(try accord("certificate", "acme", "charter", "--out", out.path, "--force").status == 0)
    #expect(try accord("verify", out.path).status == 0)

    // Not among the client files, where acme-charter.json would be taken for a client.
    let inside = try accord("certificate", "acme", "charter", "--out", accord.workspace.appendingPathComponent("acme-charter.json").path)
    #expect(inside.status == 64)
    #expect(inside.stderr.contains("inside the workspace"))

    // Without the firm's key there is nothing to seal with.
    var keyless = accord
    keyless.configHome = accord.folder.appendingPathComponent("no-key")
    let noKey = try keyless("certificate", "acme", "charter")
    #expect(noKey.status == 66)
    #expect(noKey.stderr.contains("accord key create"))
    #expect(try Self.snapshot(accord) == before)
  }

  /// The seal can be checked with standard tools, as docs/state-format.md shows: Python
  /// for the canonical form, OpenSSL for Ed25519.
  @Test func theSealChecksOutWithStandardTools() throws {
    // scripts/test installs both when they are missing: this test is never skipped.
    for tool in ["/usr/bin/openssl", "/usr/bin/python3"] {
      try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: run scripts/test")
    }
    let accord = try Self.signedClient()
    let file = try Self.issue(accord, "json")
    let script = """
      set -e
      cd "$1"
      /usr/bin/python3 - "$2" <<'PY'
      import base64, json, sys
      c = json.load(open(sys.argv[1], encoding="utf-8"))
      open("seal.bin", "wb").write(base64.b64decode(c.pop("seal")))
      open("content.bin", "wb").write(json.dumps(c, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
      raw = base64.b64decode(c["key"].split(":", 1)[1])
      open("key.der", "wb").write(bytes.fromhex("302a300506032b6570032100") + raw)
      PY
      openssl pkey -pubin -inform DER -in key.der -out key.pem
      openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in content.bin -sigfile seal.bin
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script, "sh", accord.folder.path, file.path]
    let output = Pipe.unshared()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(text)")
    #expect(text.contains("Signature Verified Successfully"))
  }
}

/// Every code a certificate command or `verify` can give is in the guide: the table of
/// docs/guide/commands.md, or the certificates' own table in docs/guide/czar-and-signatory.md.
@Suite struct CertificateCodesTests {
  @Test func everyCertificateCodeIsInTheGuide() throws {
    let readme = try ["docs/guide/commands.md", "docs/guide/czar-and-signatory.md"].map {
      try String(contentsOf: AccordBinary.packageRoot.appendingPathComponent($0), encoding: .utf8)
    }.joined()
    let problems: [CertificateProblem] = [
      .sealMissing, .sealMalformed, .embeddedKeyMalformed(""), .wrongKey(expected: "", sealedBy: ""),
      .sealBroken(hint: ""), .termsEdited(recorded: "", computed: ""),
      .signatureOnOtherTerms(role: "", signed: "", terms: ""), .visibleTextDiffers(line: 1, sealed: "", found: ""),
      .otherClient(certificate: "", workspace: ""), .otherPlaybook(certificate: "", workspace: ""),
      .otherTerms(agreement: "", certificate: "", workspace: nil),
      .signatureNotInHistory(role: "", person: "", at: ""), .historyEdited(event: 0),
      .chainHeadDiffers(certificate: "", workspace: nil),
    ]
    let notes: [CertificateNote] = [
      .integrityOnly(fingerprint: ""), .revokedSince(role: "", by: "", at: ""),
      .signedAgainSince(role: "", person: "", at: ""), .staleNow(role: ""),
    ]
    let refusals: [CertificateRefusal] = [
      .unknownAgreement("", suggestion: nil), .noSignatures(agreement: "", unsigned: []),
    ]
    let codes =
      problems.map(\.code) + notes.map(\.code) + refusals.map(\.code)
      + ["not-a-certificate", "invalid-public-key", "file-exists"]
    for code in codes {
      #expect(readme.contains("`\(code)`"), "the guide lacks \(code)")
    }
  }
}
