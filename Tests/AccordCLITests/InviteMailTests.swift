import Foundation
import Testing
import WorkspaceStore

/// `accord invite` mails the link to its person, over TLS with a login, through the outbox;
/// the link is never shown to the inviter, and never crosses the network in the clear.
@Suite("End to end: invitations by mail", .serialized)
struct InviteMailTests {
  let accord: AccordBinary
  let certificates: TestCertificates
  let password = "correct horse battery"

  init() throws {
    accord = try AccordBinary()
    certificates = try TestCertificates()
    try #require(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    try #require(try accord("assign", "acme", "czar", "carol").status == 0)
    try #require(try accord("address", "sid", "sid@example.com").status == 0)
  }

  var accessFile: URL { accord.workspace.appendingPathComponent(".accord-access.json") }
  var outbox: URL { accord.workspace.appendingPathComponent(".accord-outbox") }

  func passwordFile() throws -> String {
    let file = try AccordBinary.temporaryFolder().appendingPathComponent("smtp-password")
    try Data((password + "\n").utf8).write(to: file)
    return file.path
  }

  func files(in folder: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent(folder).path))?
      .filter { $0.hasSuffix(".json") } ?? []
  }

  /// The secret of the link in a mailed message, its quoted-printable soft line breaks undone.
  func secret(in message: SMTPSink.Message) throws -> String {
    let body = message.data.replacingOccurrences(of: "=\r\n", with: "")
    let match = try #require(body.firstMatch(of: /\/sign-in\/([A-Za-z0-9_-]{43})/))
    return String(match.1)
  }

  @Test func theLinkIsMailedOverSTARTTLSWithALoginAndOnlyTheAddressIsPrinted() throws {
    let sink = try SMTPSink(security: .startTLS, certificate: certificates.server, login: ("accord", password))
    defer { sink.stop() }
    let run = try accord(
      "invite", "acme", "sid", "--smtp", "smtp://accord@127.0.0.1:\(sink.port)", "--smtp-password-file",
      try passwordFile(), "--smtp-ca-file", certificates.caFile, "--url", "https://accord.example.com")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Mailed their one-time sign-in link to sid@example.com"))
    #expect(!run.stdout.contains("/sign-in/"))
    let message = try #require(sink.messages.first)
    #expect(sink.messages.count == 1)
    #expect(message.overTLS)
    #expect(message.user == "accord")
    #expect(message.recipients == ["sid@example.com"])
    #expect(message.data.contains("https://accord.example.com/sign-in/"))
    // The link mailed is the one the access file keeps the hash of, made for sid, not printed.
    let book = try AccessStore(Workspace(directory: accord.workspace, holder: "test")).read()
    let link = try #require(book.link(secret: try secret(in: message)))
    #expect(link.person == "sid")
    #expect(link.printed == nil)
    // Nothing crossed the wire in the clear after STARTTLS, and the password never as text.
    let starttls = try #require(sink.lines.firstIndex(of: "STARTTLS"))
    #expect(sink.lines[..<starttls].allSatisfy { !$0.hasPrefix("AUTH") && !$0.hasPrefix("MAIL") })
    #expect(!sink.lines.contains { $0.contains(password) })
    // Sent: the outbox keeps a record without the message, and nothing queued.
    #expect(files(in: "queued").isEmpty)
    let sent = try #require(files(in: "sent").first)
    let record = try String(contentsOf: outbox.appendingPathComponent("sent").appendingPathComponent(sent), encoding: .utf8)
    #expect(!record.contains("/sign-in/"))
    #expect(!record.contains(password))
  }

  @Test func implicitTLSOnSMTPSWithThePasswordFromTheEnvironment() throws {
    let sink = try SMTPSink(security: .implicitTLS, certificate: certificates.server, login: ("accord", password))
    defer { sink.stop() }
    let run = try accord(
      "invite", "acme", "sid", "--smtp", "smtps://accord@127.0.0.1:\(sink.port)", "--smtp-ca-file",
      certificates.caFile, "--json", environment: ["ACCORD_SMTP_PASSWORD": password])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try #require(try run.json() as? [String: Any])
    #expect(object["mailedTo"] as? String == "sid@example.com")
    #expect(object["link"] == nil)
    #expect(sink.messages.first?.overTLS == true)
    #expect(sink.messages.first?.user == "accord")
  }

  /// A relay whose certificate no trusted CA signed: refused, nothing sent, the link kept in the
  /// outbox (exit 75), and sent by the next run that trusts it.
  @Test func anUntrustedCertificateIsRefusedAndTheMailKept() throws {
    let sink = try SMTPSink(security: .startTLS, certificate: certificates.server, login: ("accord", password))
    defer { sink.stop() }
    let url = "smtp://accord@127.0.0.1:\(sink.port)"
    let refused = try accord("invite", "acme", "sid", "--smtp", url, "--smtp-password-file", try passwordFile())
    #expect(refused.status == 75, "\(refused.stderr)")
    #expect(refused.stderr.contains("not trusted"))
    #expect(!refused.stdout.contains("/sign-in/") && !refused.stderr.contains("/sign-in/"))
    #expect(sink.messages.isEmpty)
    #expect(!sink.lines.contains { $0.hasPrefix("AUTH") || $0.hasPrefix("MAIL") })
    #expect(files(in: "queued").count == 1)

    let retried = try accord(
      "remind", "--smtp", url, "--smtp-password-file", try passwordFile(), "--smtp-ca-file", certificates.caFile)
    #expect(retried.status == 0, "\(retried.stderr)")
    #expect(retried.stdout.contains("Sent sid's sign-in link to sid@example.com."))
    #expect(sink.messages.count == 1)
    #expect(files(in: "queued").isEmpty)
  }

  /// `serve --smtp` over TLS sends what the outbox holds, a link kept from a failed send
  /// included, and its log names where it went, never the link or the password.
  @Test func serveSendsAKeptLinkOverTLSAndLogsNoSecret() throws {
    let sink = try SMTPSink(security: .implicitTLS, certificate: certificates.server, login: ("accord", password))
    defer { sink.stop() }
    let url = "smtps://accord@127.0.0.1:\(sink.port)"
    let kept = try accord("invite", "acme", "sid", "--smtp", url, environment: ["ACCORD_SMTP_PASSWORD": password])
    #expect(kept.status == 75)
    #expect(files(in: "queued").count == 1)
    let server = try accord.start(
      ["serve", "--port", "0", "--smtp", url, "--smtp-ca-file", certificates.caFile],
      environment: ["ACCORD_SMTP_PASSWORD": password])
    defer {
      server.send(SIGTERM)
      _ = server.wait()
    }
    let deadline = Date().addingTimeInterval(60)
    while !server.stderr.contains("Sent sid's sign-in link") {
      guard Date() < deadline, !server.hasEnded else {
        Issue.record("the kept link was not sent by accord serve: \(server.stderr)")
        return
      }
      usleep(20_000)
    }
    #expect(server.stderr.contains("reminders: Sent sid's sign-in link to sid@example.com."))
    #expect(!server.stderr.contains("/sign-in/") && !server.stderr.contains(password))
    #expect(sink.messages.first?.overTLS == true)
    #expect(files(in: "queued").isEmpty)
  }

  @Test func withoutAnAddressItIsRefusedNamingAddressAndPrint() throws {
    let sink = try SMTPSink()
    defer { sink.stop() }
    let run = try accord("invite", "acme", "mia", "--smtp", sink.url)
    #expect(run.status == 64)
    #expect(run.stderr.contains("accord address"))
    #expect(run.stderr.contains("--print"))
    #expect(!FileManager.default.fileExists(atPath: accessFile.path))
    let json = try accord("invite", "acme", "mia", "--smtp", sink.url, "--json")
    #expect(json.stderr.contains("\"no-address\""))
    // Without a relay either, the refusal names --smtp and --print.
    let noRelay = try accord("invite", "acme", "sid")
    #expect(noRelay.status == 64)
    #expect(noRelay.stderr.contains("--smtp") && noRelay.stderr.contains("--print"))
    #expect(!FileManager.default.fileExists(atPath: accessFile.path))
  }

  /// The password never on the command line, and never sent to a relay that does not speak TLS.
  @Test func thePasswordIsNeverOnTheCommandLineNorSentInTheClear() throws {
    let inURL = try accord("invite", "acme", "sid", "--smtp", "smtp://accord:\(password)@127.0.0.1:25")
    #expect(inURL.status == 64)
    #expect(inURL.stderr.contains("--smtp-password-file"))
    #expect(!inURL.stderr.contains(password))
    let plain = try SMTPSink(login: ("accord", password))
    defer { plain.stop() }
    let run = try accord(
      "invite", "acme", "sid", "--smtp", "smtp://accord@127.0.0.1:\(plain.port)", "--smtp-password-file",
      try passwordFile())
    #expect(run.status == 75)
    #expect(run.stderr.contains("will not send the password in the clear"))
    #expect(!plain.lines.contains { $0.hasPrefix("AUTH") })
    #expect(!run.stderr.contains(password))
  }
}

/// `accord invite CLIENT --roster` mails everyone on the roster their own link, at the
/// roster's address, through the outbox.
@Suite("End to end: a roster invited by mail", .serialized)
struct RosterInviteMailTests {
  @Test func everyoneOnTheRosterIsMailedTheirOwnLinkAtTheRostersAddress() throws {
    let accord = try AccordBinary()
    let certificates = try TestCertificates()
    try #require(try accord("start", "acme", "--name", "Acme Ltd", "--playbook", RosterWorkspace.playbook.path).status == 0)
    try #require(try accord("assign", "acme", "czar", "carol").status == 0)
    let csv = accord.folder.appendingPathComponent("staff.csv")
    try Data("name,email,team,level\nSam Seller,sam@acme.example,sales,staff\nMia Marketer,mia@acme.example,marketing,manager\nLee Lead,lee@acme.example,sales,manager\n".utf8).write(to: csv)
    try #require(try accord("people", "import", "acme", csv.path, as: "carol").status == 0)
    let sink = try SMTPSink(security: .implicitTLS, certificate: certificates.server)
    defer { sink.stop() }
    // Not the keeper: refused before anything is granted or mailed.
    var run = try accord(
      "invite", "acme", "--roster", "--smtp", "smtps://127.0.0.1:\(sink.port)", "--smtp-ca-file", certificates.caFile,
      as: "sam")
    #expect(run.status != 0)
    #expect(sink.messages.isEmpty)
    run = try accord(
      "invite", "acme", "--roster", "--smtp", "smtps://127.0.0.1:\(sink.port)", "--smtp-ca-file", certificates.caFile,
      "--json", as: "carol")
    #expect(run.status == 0, "\(run.stderr)")
    let json = try #require(try run.json() as? [String: Any])
    #expect(json["people"] as? Int == 3)
    #expect(json["mailed"] as? Int == 3)
    #expect(!run.stdout.contains("/sign-in/"))
    #expect(Set(sink.messages.flatMap(\.recipients)) == ["sam@acme.example", "mia@acme.example", "lee@acme.example"])
    // Each link signs in its own person, and none was printed.
    let book = try AccessStore(Workspace(directory: accord.workspace, holder: "test")).read()
    for message in sink.messages {
      let body = message.data.replacingOccurrences(of: "=\r\n", with: "")
      let match = try #require(body.firstMatch(of: /\/sign-in\/([A-Za-z0-9_-]{43})/))
      let link = try #require(book.link(secret: String(match.1)))
      let expected = ["sam@acme.example": "Sam Seller", "mia@acme.example": "Mia Marketer", "lee@acme.example": "Lee Lead"]
      #expect(link.person == expected[message.recipients.first ?? ""])
      #expect(link.client == "acme")
      #expect(link.printed == nil)
    }
  }
}
