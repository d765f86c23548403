import Foundation
import Glibc
import Testing

/// `accord login NAME` as built, with no terminal, against `accord serve --smtp` on loopback:
/// the server mails a link, the person opens it in a browser and presses its button, and the
/// command, which has been waiting, signs the laptop in and keeps the token.
@Suite("accord login by a mailed link, end to end", .serialized)
struct LoginLinkEndToEndTests {
  /// sam, with access to acme and an address; a server that mails through a sink; and a
  /// laptop that knows it as `firm`, not signed in yet.
  static func samsServer() throws -> (SyncWorkspace, SMTPSink, ServedWorkspace, RemoteEndToEndTests.Laptop) {
    let sync = try SyncWorkspace()
    try #require(try sync.accord("invite", "acme", "sam", "--print").status == 0)
    try #require(try sync.accord("address", "sam", "sam@example.com").status == 0)
    let sink = try SMTPSink()
    let served = try ServedWorkspace(sync.space, options: ["--smtp", sink.url])
    let laptop = RemoteEndToEndTests.Laptop(try AccordBinary())
    try #require(try laptop("remote", "add", "firm", served.base.absoluteString).status == 0)
    return (sync, sink, served, laptop)
  }

  @Test func theCommandWaitsForTheMailedLinkAndKeepsTheSignIn() async throws {
    let (_, sink, served, laptop) = try Self.samsServer()
    defer { sink.stop() }

    // Standard input is /dev/null: no terminal, so it waits for the link alone.
    let login = try laptop.accord.start(
      ["login", "firm", "--person", "sam"], environment: ["XDG_DATA_HOME": laptop.dataHome.path])
    defer { if !login.hasEnded { login.send(SIGKILL) } }
    // Generous: the tests around run servers and builds of their own on two cores.
    let mail = try #require(
      try await mailedSignIn(sink, after: 0, wait: 90), "no mail: \(login.stderr) \(served.server.stderr)")
    #expect(mail.body.contains("Or type this code where accord login asks for it"))
    // The command said what it waits for, and the check the page will show.
    let said = try await waitFor(login, toSay: "Waiting until")
    #expect(said.contains("A sign-in link was mailed to sam: open it"), "\(said)")
    let page = try await openLink(mail.link)
    let check = try #require(page.answer.body.firstMatch(of: /the check <strong>([0-9A-F-]{7})<\/strong>/))
    #expect(said.contains("Its page shows the check \(check.1)."), "\(said)")
    #expect(!login.hasEnded)

    let approved = try await approveInBrowser(mail.link)
    #expect(approved.status == 200, "\(approved.body)")
    let deadline = Date().addingTimeInterval(60)
    while !login.hasEnded, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
    #expect(login.wait().ending == .exited(0), "\(login.stderr)")
    #expect(login.stdout.hasPrefix("Signed in to firm (\(served.base.absoluteString)) as sam"), "\(login.stdout)")
    #expect(laptop.mode(laptop.configFolder + "/credentials.json") == 0o600)
    #expect(try laptop("remote", "list").stdout.contains("signed in as sam"))
    // The sign-in works: sync brings sam's client.
    let synced = try laptop("sync", "--remote", "firm")
    #expect(synced.status == 0, "\(synced.stderr)")
    // The link has done its work.
    #expect(try await openLink(mail.link).answer.status == 410)
    #expect(served.stop() == .exited(0))
    let secret = mail.link.lastPathComponent
    #expect(!served.server.stderr.contains(secret) && !login.stderr.contains(secret))
  }

  @Test func withJSONItPrintsNothingButTheFinalJSON() async throws {
    let (_, sink, served, laptop) = try Self.samsServer()
    defer { sink.stop() }
    let login = try laptop.accord.start(
      ["login", "firm", "--person", "sam", "--json"], environment: ["XDG_DATA_HOME": laptop.dataHome.path])
    defer { if !login.hasEnded { login.send(SIGKILL) } }
    let mail = try #require(
      try await mailedSignIn(sink, after: 0, wait: 90), "no mail: \(login.stderr) \(served.server.stderr)")
    #expect(try await approveInBrowser(mail.link).status == 200)
    let deadline = Date().addingTimeInterval(60)
    while !login.hasEnded, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
    #expect(login.wait().ending == .exited(0), "\(login.stderr)")
    #expect(login.stderr.isEmpty, "\(login.stderr)")
    let signedIn = try jsonObject(login.stdout)
    #expect(signedIn["person"] as? String == "sam")
    #expect(signedIn["clients"] as? [String] == ["acme"])
    #expect(served.stop() == .exited(0))
  }

  /// At a terminal (`script` gives the command one), the code typed signs in while the
  /// link waits, and the link is then spent.
  @Test func atATerminalTheCodeTypedSignsInWhileTheLinkWaits() async throws {
    let (_, sink, served, laptop) = try Self.samsServer()
    defer { sink.stop() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qec", "\(laptop.accord.executable.path) login firm --person sam", "/dev/null"]
    process.currentDirectoryURL = laptop.accord.folder
    process.environment = laptop.accord.environment(as: "alice", adding: ["XDG_DATA_HOME": laptop.dataHome.path])
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = output
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    let mail = try #require(try await mailedSignIn(sink, after: 0, wait: 90))
    input.fileHandleForWriting.write(Data((mail.code.lowercased() + "\n").utf8))
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
    let typed = try #require(process.isRunning ? nil : process, "accord login did not end")
    let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(typed.terminationStatus == 0, "\(said)")
    #expect(said.contains("A sign-in link was mailed to sam: open it, or type the code it shows."), "\(said)")
    #expect(said.contains("Signed in to firm"), "\(said)")
    #expect(try laptop("remote", "list").stdout.contains("signed in as sam"))
    #expect(try await openLink(mail.link).answer.status == 410)
    #expect(served.stop() == .exited(0))
  }

  /// Waits until `child` has written `text` to standard error; what it wrote.
  func waitFor(_ child: Child, toSay text: String) async throws -> String {
    let deadline = Date().addingTimeInterval(60)
    while !child.stderr.contains(text), !child.hasEnded, Date() < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    return child.stderr
  }
}
