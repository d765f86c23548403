import Foundation
import Testing

/// `accord remind --smtp` through the built binary, against a loopback SMTP sink: each digest
/// with an address is delivered once per person and day; a refused send is reported, kept in
/// the outbox and delivered on the next run; nothing is sent twice.
@Suite("End to end: remind by mail")
struct RemindMailEndToEndTests {
  let accord: AccordBinary
  let sink: SMTPSink

  init() throws {
    accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("reminders.yaml")
    try RemindEndToEndTests.playbook.write(to: path, atomically: true, encoding: .utf8)
    try ok(accord("start", "acme", "--name", "Acme Ltd", "--playbook", path.path))
    try ok(accord("assign", "acme", "head-of-sales", "sam"))
    try ok(accord("address", "sam", "sam@example.com"))
    try ok(accord("address", "alice", "alice@example.com"))
    sink = try SMTPSink()
  }

  static func day(_ days: Int) -> String { RemindEndToEndTests.day(days) }

  var outbox: URL { accord.workspace.appendingPathComponent(".accord-outbox", isDirectory: true) }

  func names(_ folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent(folder).path)
      .filter { !$0.hasPrefix(".") }.sorted()
  }

  func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: outbox.appendingPathComponent(path).path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
  }

  @Test func eachDigestWithAnAddressIsDeliveredOncePerDay() throws {
    defer { sink.stop() }
    let out = accord.folder.appendingPathComponent("out")
    let run = try accord("remind", "--as-of", Self.day(8), "--out", out.path, "--smtp", sink.url)
    ok(run)
    let messages = sink.messages
    #expect(messages.map(\.recipients) == [["alice@example.com"], ["sam@example.com"]])
    #expect(messages.allSatisfy { $0.from == "accord@localhost" })
    // What the relay took is the .eml file, byte for byte.
    #expect(
      messages.map(\.data)
        == (try ["alice.eml", "sam.eml"].map {
          try String(contentsOf: out.appendingPathComponent($0), encoding: .utf8)
        }))
    #expect(run.stdout.contains("Mail through \(sink.url):"))
    #expect(run.stdout.contains("Sent sam's reminders for \(Self.day(8)) to sam@example.com."))
    #expect(run.stdout.contains("The reminders for roles nobody holds are not mailed: assign the roles."))
    #expect(try names("queued").isEmpty)
    #expect(try names("sent") == ["\(Self.day(8)).alice.json", "\(Self.day(8)).sam.json"])
    #expect(try mode("sent/\(Self.day(8)).sam.json") == 0o600)
    #expect(try mode("") == 0o700)
    let record = try String(contentsOf: outbox.appendingPathComponent("sent/\(Self.day(8)).sam.json"), encoding: .utf8)
    #expect(!record.contains("Due "), "a sent record keeps no body")

    // The same day again: nothing sent, and it says so.
    let again = try accord("remind", "--as-of", Self.day(8), "--smtp", sink.url, "--json")
    ok(again)
    #expect(sink.messages.count == 2)
    let json = try #require(try again.json() as? [String: Any])
    let mail = try #require(json["mail"] as? [[String: Any]])
    #expect(mail.compactMap { $0["status"] as? String } == ["already-sent", "already-sent", "no-address"])
    #expect((json["digests"] as? [[String: Any]])?.compactMap { $0["person"] as? String } == ["alice", "sam"])

    // A person without an address is told how to give one.
    try ok(accord("address", "alice", "--remove"))
    let noAddress = try accord("remind", "--as-of", Self.day(9), "--smtp", sink.url)
    ok(noAddress)
    #expect(noAddress.stdout.contains("alice's reminders are not mailed: no address (accord address alice EMAIL)."))
    #expect(sink.messages.map(\.recipients) == [["alice@example.com"], ["sam@example.com"], ["sam@example.com"]])
  }

  @Test func aRefusedSendIsKeptAndDeliveredOnTheNextRun() throws {
    defer { sink.stop() }
    sink.fail(with: "451 4.3.0 Mailbox busy, try again later")
    let failed = try accord("remind", "--as-of", Self.day(8), "--smtp", sink.url)
    #expect(failed.status == 75, "\(failed.stderr)")
    #expect(sink.messages.isEmpty)
    #expect(
      failed.stderr.contains(
        "accord: error: could not send sam's reminders for \(Self.day(8)) to sam@example.com: \(sink.url) refused "
          + "RCPT TO: 451 4.3.0 Mailbox busy, try again later; kept in the outbox and tried again on the next run"),
      "\(failed.stderr)")
    #expect(!failed.stderr.contains("weekly-sync") && !failed.stdout.contains("weekly-sync"), "never a body in a log")
    #expect(failed.stdout.contains("2 not sent"))
    #expect(try names("queued") == ["\(Self.day(8)).alice.json", "\(Self.day(8)).sam.json"])
    #expect(try mode("queued/\(Self.day(8)).sam.json") == 0o600)
    #expect(try names("sent").isEmpty)

    // The next run, a day later, delivers yesterday's and today's.
    sink.fail(with: nil)
    let retried = try accord("remind", "--as-of", Self.day(9), "--smtp", sink.url)
    ok(retried)
    let delivered = sink.messages
    #expect(delivered.count == 4)
    #expect(delivered.filter { $0.data.contains("Subject: Accord reminders for sam, \(Self.day(8))") }.count == 1)
    #expect(delivered.filter { $0.data.contains("Subject: Accord reminders for sam, \(Self.day(9))") }.count == 1)
    #expect(retried.stdout.contains("Sent sam's reminders for \(Self.day(8)) to sam@example.com."))
    #expect(try names("queued").isEmpty)
    #expect(try names("sent").count == 4)

    // Neither day is sent again.
    ok(try accord("remind", "--as-of", Self.day(8), "--smtp", sink.url))
    ok(try accord("remind", "--as-of", Self.day(9), "--smtp", sink.url))
    #expect(sink.messages.count == 4)
  }

  @Test func nothingToMailMakesNoOutbox() throws {
    defer { sink.stop() }
    let empty = accord.folder.appendingPathComponent("no-workspace-yet")
    let run = try accord("remind", "--smtp", sink.url, "--workspace", empty.path)
    ok(run)
    #expect(run.stdout.hasSuffix("Mail through \(sink.url):\n  Nothing to mail.\n"), "\(run.stdout)")
    #expect(!FileManager.default.fileExists(atPath: empty.path))
    #expect(sink.connections == 0)
  }

  @Test func aRelayThatIsDownIsReportedAndTheMailKept() throws {
    let port = sink.port
    sink.stop()
    let down = try accord("remind", "--as-of", Self.day(8), "--smtp", "smtp://127.0.0.1:\(port)")
    #expect(down.status == 75)
    #expect(down.stderr.contains("cannot connect to smtp://127.0.0.1:\(port)"), "\(down.stderr)")
    #expect(try names("queued").count == 2)
    // With --json, each failure is a JSON error on stderr, and in the output's mail list.
    let json = try accord("remind", "--as-of", Self.day(8), "--smtp", "smtp://127.0.0.1:\(port)", "--json")
    #expect(json.status == 75)
    let errors = json.stderr.split(separator: "\n{").count
    #expect(errors == 2, "\(json.stderr)")
    let first = try #require(
      try JSONSerialization.jsonObject(with: Data(("{" + json.stderr.split(separator: "\n{")[1]).utf8))
        as? [String: Any])
    let error = try #require(first["error"] as? [String: Any])
    #expect(error["code"] as? String == "not-sent")
    #expect(error["person"] as? String == "sam")
    let mail = try #require((try json.json() as? [String: Any])?["mail"] as? [[String: Any]])
    #expect(mail.compactMap { $0["status"] as? String } == ["no-address", "failed", "failed"])
  }

  /// `accord serve --smtp` mails the day's reminders as it starts (and then daily at
  /// --remind-at, which no test waits for), logging one line a message.
  @Test func serveMailsTheRemindersWhenItStarts() throws {
    defer { sink.stop() }
    let server = try accord.start(["serve", "--port", "0", "--smtp", sink.url, "--remind-at", "06:30"])
    defer {
      server.send(SIGTERM)
      _ = server.wait()
    }
    // Today kick-off (alice) is due in 3 days and weekly-sync (sam) in 7: both digests go.
    let deadline = Date().addingTimeInterval(60)
    while !(sink.messages.count == 2 && server.stderr.contains("Sent sam's") && server.stderr.contains("Sent alice's"))
    {
      guard Date() < deadline, !server.hasEnded else {
        Issue.record("no reminders from accord serve: \(server.stderr)")
        return
      }
      usleep(20_000)
    }
    #expect(sink.messages.map(\.recipients).sorted { $0[0] < $1[0] } == [["alice@example.com"], ["sam@example.com"]])
    let today = Self.day(0)
    #expect(
      server.stderr.contains("reminders: Sent sam's reminders for \(today) to sam@example.com."), "\(server.stderr)")
    #expect(!server.stderr.contains("weekly-sync"), "never a body in the log")
    #expect(try names("sent") == ["\(today).alice.json", "\(today).sam.json"])
    // Mailed by the server: `remind` the same day sends nothing more.
    ok(try accord("remind", "--smtp", sink.url))
    #expect(sink.messages.count == 2)

    // The reminders are a service of the server's: waiting for tomorrow's run, they stop
    // with it when it is asked to stop, at once, and it ends as it should.
    while !server.stderr.contains("reminders: next run at") {
      guard Date() < deadline, !server.hasEnded else {
        Issue.record("the reminders do not wait for their next run: \(server.stderr)")
        return
      }
      usleep(20_000)
    }
    let asked = Date()
    server.send(SIGTERM)
    let ending = server.wait().ending
    #expect(ending == .exited(0), "\(server.stderr)")
    #expect(Date().timeIntervalSince(asked) < 10, "took \(Date().timeIntervalSince(asked)) s to stop")
    #expect(server.stderr.contains("accord: stopped serving"), "\(server.stderr)")
  }

  @Test func serveRefusesABadReminderTimeOrRelay() throws {
    defer { sink.stop() }
    for arguments in [
      ["--smtp", sink.url, "--remind-at", "25:00"], ["--smtp", "ftp://x"], ["--smtp", sink.url, "--from", "a@b@c"],
    ] {
      let run = try accord.run(["serve", "--port", "0"] + arguments)
      #expect(run.status == 64, "\(arguments): \(run.stderr)")
    }
  }
}

private func ok(_ run: AccordBinary.Run, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(run.status == 0, "exit \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
}
