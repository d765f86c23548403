import AccordRemote
import Foundation
import Glibc
import Testing

/// `accord remote`, `login` and `logout` as built, as a person uses them: the remotes kept
/// in the config folder given through $XDG_CONFIG_HOME, replicas under $XDG_DATA_HOME, and
/// signing in against a real `accord serve` on loopback with a token from `accord token create`.
@Suite("Remotes and sign-in end to end", .serialized)
struct RemoteEndToEndTests {
  /// The binary with a data folder of its own too, for the replicas.
  struct Laptop {
    let accord: AccordBinary
    var dataHome: URL { accord.folder.appendingPathComponent("data", isDirectory: true) }
    var configFolder: String { accord.configHome.appendingPathComponent("accord").path }

    init(_ accord: AccordBinary) {
      self.accord = accord
    }

    @discardableResult
    func callAsFunction(_ arguments: String..., stdin: String? = nil) throws -> AccordBinary.Run {
      try run(arguments, stdin: stdin)
    }

    func run(_ arguments: [String], stdin: String? = nil) throws -> AccordBinary.Run {
      let environment = ["XDG_DATA_HOME": dataHome.path, "ACCORD_REMOTE_TIMEOUT": "5"]
      guard let stdin else { return try accord.run(arguments, environment: environment) }
      let process = Process()
      process.executableURL = accord.executable
      process.arguments = arguments
      process.currentDirectoryURL = accord.folder
      process.environment = accord.environment(as: "alice", adding: environment)
      let input = Pipe.unshared()
      let out = Pipe.unshared()
      let err = Pipe.unshared()
      process.standardInput = input
      process.standardOutput = out
      process.standardError = err
      try process.run()
      input.fileHandleForWriting.write(Data(stdin.utf8))
      try input.fileHandleForWriting.close()
      // Small outputs: neither pipe fills while the other is read.
      let stdout = out.fileHandleForReading.readDataToEndOfFile()
      let stderr = err.fileHandleForReading.readDataToEndOfFile()
      return AccordBinary.Run(
        status: AccordBinary.exitStatus(of: process), stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
    }

    func mode(_ path: String) -> mode_t {
      var info = stat()
      lstat(path, &info)
      return info.st_mode & 0o777
    }
  }

  @Test func remotesAreAddedListedChosenAndRemoved() throws {
    let laptop = Laptop(try AccordBinary())
    #expect(try laptop("remote", "list").stdout == "No remotes yet: accord remote add NAME URL.\n")

    let added = try laptop("remote", "add", "firm", "https://Accord.Example.com/")
    #expect(added.status == 0, "\(added.stderr)")
    #expect(added.stdout.contains("Added remote firm: https://accord.example.com, the current remote."))
    #expect(added.stderr.isEmpty)
    // The token would cross the network in clear: said, and done all the same.
    let clear = try laptop("remote", "add", "staging", "http://10.0.0.5:8080", "--json")
    #expect(clear.status == 0)
    #expect(clear.stderr.contains("accord: warning: http://10.0.0.5:8080 is plain http to another machine"))
    #expect(try jsonObject(clear.stdout)["current"] as? Bool == false)
    #expect(try laptop("remote", "add", "local", "http://127.0.0.1:8080").stderr.isEmpty)

    #expect(laptop.mode(laptop.configFolder) == 0o700)
    #expect(laptop.mode(laptop.configFolder + "/remotes.json") == 0o600)

    let taken = try laptop("remote", "add", "firm", "https://elsewhere.example.com", "--json")
    #expect(taken.status == 1)
    #expect(try errorOf(taken.stderr)["code"] as? String == "remote-exists")
    let moved = try laptop("remote", "add", "firm", "https://elsewhere.example.com", "--force")
    #expect(moved.status == 0)
    #expect(moved.stdout.contains("(was https://accord.example.com)"))

    for (name, url) in [("my firm", "https://x.example.com"), ("firm2", "ftp://x.example.com"), ("firm3", "x.example.com")] {
      let bad = try laptop("remote", "add", name, url, "--json")
      #expect(bad.status == 64, "\(name) \(url)")
    }

    let listed = try jsonArray(laptop("remote", "list", "--json").stdout) as? [[String: Any]] ?? []
    #expect(listed.map { $0["name"] as? String } == ["firm", "local", "staging"])
    #expect(listed.map { $0["current"] as? Bool } == [true, false, false])
    #expect(listed.allSatisfy { $0["person"] == nil })
    let text = try laptop("remote", "list").stdout
    #expect(text.contains("* firm     https://elsewhere.example.com  not signed in"))
    #expect(text.contains("  staging  http://10.0.0.5:8080"))

    #expect(try laptop("remote", "use", "staging").status == 0)
    let typo = try laptop("remote", "use", "stagign", "--json")
    #expect(typo.status == 64)
    let error = try errorOf(typo.stderr)
    #expect(error["code"] as? String == "unknown-remote")
    #expect(error["suggestion"] as? String == "staging")
    #expect((error["known"] as? [String]) == ["firm", "local", "staging"])
    #expect(try laptop("remote", "list").stdout.contains("* staging"))
    // Back to no remote, the remotes kept; then staging again.
    let none = try laptop("remote", "use", "--none", "--json")
    #expect(none.status == 0, "\(none.stderr)")
    #expect(none.stdout.contains("\"current\" : null"))
    #expect(!(try laptop("remote", "list").stdout.contains("* ")))
    #expect(try laptop("remote", "use", "staging", "--none").status == 64)
    #expect(try laptop("remote", "use").status == 64)
    #expect(try laptop("remote", "use", "staging").status == 0)

    // Removing the current remote leaves none current, and its replica where it was.
    let replica = laptop.dataHome.appendingPathComponent("accord/remotes/staging")
    try FileManager.default.createDirectory(at: replica, withIntermediateDirectories: true)
    let removed = try laptop("remote", "remove", "staging")
    #expect(removed.status == 0)
    #expect(removed.stdout.contains("No remote is current now"))
    #expect(removed.stdout.contains("Its replica is left in \(replica.path)"))
    #expect(FileManager.default.fileExists(atPath: replica.path))
    let rest = try jsonArray(laptop("remote", "list", "--json").stdout) as? [[String: Any]] ?? []
    #expect(rest.map { $0["name"] as? String } == ["firm", "local"])
    #expect(rest.allSatisfy { $0["current"] as? Bool == false })
    #expect(try laptop("remote", "remove", "staging").status == 64)

    // Signing out where nobody is signed in says so; a name never kept is a usage error.
    let logout = try laptop("logout", "firm")
    #expect(logout.status == 0)
    #expect(logout.stdout == "Not signed in to firm; nothing to forget.\n")
    #expect(try laptop("logout", "nowhere").status == 64)
  }

  @Test func remoteNamesComplete() throws {
    let laptop = Laptop(try AccordBinary())
    try laptop("remote", "add", "firm", "https://accord.example.com")
    try laptop("remote", "add", "fieldwork", "https://field.example.com")
    try laptop("remote", "add", "staging", "https://staging.example.com")
    #expect(try CompletionTests.complete("remote use f", laptop.accord) == ["fieldwork", "firm"])
    #expect(try CompletionTests.complete("login st", laptop.accord) == ["staging"])
    #expect(try CompletionTests.complete("logout ", laptop.accord) == ["fieldwork", "firm", "staging"])
  }

  @Test func aTokenAndACodeTogetherAreAUsageError() throws {
    let laptop = Laptop(try AccordBinary())
    try laptop("remote", "add", "firm", "https://accord.example.com")
    let both = try laptop("login", "firm", "--token", "accord_x", "--code", "123456")
    #expect(both.status == 64)
    #expect(try laptop("login", "nowhere", "--token", "accord_x").status == 64)
  }

  @Test func aServerThatIsNotThereIsUnreachableAndNothingIsKept() throws {
    let laptop = Laptop(try AccordBinary())
    // Port 1 on loopback: nothing listens there.
    try laptop("remote", "add", "dead", "http://127.0.0.1:1")
    let login = try laptop("login", "dead", "--token", "accord_abcdefgh_secret", "--json")
    #expect(login.status == 75, "\(login.stderr)")
    #expect(try errorOf(login.stderr)["code"] as? String == "unreachable")
    #expect(!login.stderr.contains("accord_abcdefgh_secret"))
    #expect(!FileManager.default.fileExists(atPath: laptop.configFolder + "/credentials.json"))
  }

  /// Needs the server's `GET /api/v1/me` (issue 23's server side): signs in with a token
  /// made by `accord token create`, as the person it acts as.
  @Test func loginWithATokenKeepsItAsItsPersonAndLogoutForgetsIt() throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let token = try served.token(for: "carol")
    // The laptop is another machine: its own config and data folders, the server's address.
    let laptop = Laptop(try AccordBinary())
    try laptop("remote", "add", "firm", served.base.absoluteString)

    let login = try laptop("login", "firm", "--token", token, "--json")
    #expect(login.status == 0, "\(login.stderr)")
    let signedIn = try jsonObject(login.stdout)
    #expect(signedIn["remote"] as? String == "firm")
    #expect(signedIn["person"] as? String == "carol")
    #expect(signedIn["clients"] as? [String] == ["acme"])
    #expect(!login.stdout.contains(token) && !login.stderr.contains(token))
    #expect(laptop.mode(laptop.configFolder + "/credentials.json") == 0o600)

    let listed = try laptop("remote", "list", "--json")
    #expect(!listed.stdout.contains(token))
    #expect((try jsonArray(listed.stdout).first as? [String: Any])?["person"] as? String == "carol")
    let text = try laptop("remote", "list").stdout
    #expect(text.contains("signed in as carol"))

    // The token on standard input, kept out of the shell's history; --person must match it.
    let piped = try laptop("login", "firm", "--token", "-", stdin: token + "\n")
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(piped.stdout.hasPrefix("Signed in to firm (\(served.base.absoluteString)) as carol"))
    let someoneElse = try laptop("login", "firm", "--token", token, "--person", "sam")
    #expect(someoneElse.status == 64)
    #expect(someoneElse.stderr.contains("the token acts as carol, not sam"))

    // A token the server does not know is its 401, and what was kept stays.
    let wrong = try laptop("login", "firm", "--token", "accord_zzzzzzzz_wrong", "--json")
    #expect(wrong.status == 1, "\(wrong.stderr)")
    #expect(try errorOf(wrong.stderr)["httpStatus"] as? String == "401")
    #expect(try laptop("remote", "list").stdout.contains("signed in as carol"))

    let logout = try laptop("logout", "firm")
    #expect(logout.stdout == "Signed out of firm: forgot the sign-in as carol.\n")
    #expect(try laptop("remote", "list").stdout.contains("not signed in"))
    #expect(!(try String(contentsOfFile: laptop.configFolder + "/credentials.json", encoding: .utf8)).contains(token))
  }

  @Test func aCredentialsFileOthersCanReadIsRefusedUntilMadePrivate() throws {
    let laptop = Laptop(try AccordBinary())
    try laptop("remote", "add", "firm", "https://accord.example.com")
    let path = laptop.configFolder + "/credentials.json"
    try #"{"firm": {"person": "carol", "token": "accord_x"}}"#.write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o644)
    let listed = try laptop("remote", "list", "--json")
    #expect(listed.status == 65)
    let error = try errorOf(listed.stderr)
    #expect(error["code"] as? String == "insecure-credentials")
    #expect((error["message"] as? String ?? "").contains("chmod 600 \(path)"))
    chmod(path, 0o600)
    #expect(try laptop("remote", "list").stdout.contains("signed in as carol"))
  }
}

/// `HTTPRemote`, the transport `accord sync` talks through, against `accord serve` as built.
@Suite("HTTPRemote against accord serve", .serialized)
struct HTTPRemoteServeTests {
  @Test func clientsAndTheChangeFeedAreThoseTheTokenOpens() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let carol = HTTPRemote(base: served.base, token: try served.token(for: "carol"))
    #expect(try await carol.clients() == ["acme"])

    var clients: Set<String> = []
    var count = 0
    var cursor: String?
    while true {
      let page = try await carol.changes(after: cursor, limit: 4)
      #expect(page.count <= 4)
      clients.formUnion(page.clients)
      count += page.count
      cursor = page.cursor ?? cursor
      if page.count == 0 { break }
    }
    #expect(clients == ["acme"])
    #expect(count == (try jsonArray(space.cli("log", "acme"))).count)

    // A cursor the feed never gave is the server's 400, with its code.
    await #expect(throws: RemoteFailure.self) { try await carol.changes(after: "yesterday", limit: 4) }
    do {
      _ = try await carol.changes(after: "yesterday", limit: 4)
    } catch let RemoteFailure.answered(status, code, _, _) {
      #expect(status == 400)
      #expect(code == "bad-request")
    }

    // A wrong token is the server's 401; a stopped server is unreachable.
    let stranger = HTTPRemote(base: served.base, token: "accord_zzzzzzzz_wrong")
    do {
      _ = try await stranger.clients()
      Issue.record("a wrong token was let in")
    } catch let RemoteFailure.answered(status, _, _, _) {
      #expect(status == 401)
    }
    #expect(served.stop() == .exited(0))
    do {
      _ = try await carol.clients()
      Issue.record("a stopped server answered")
    } catch let RemoteFailure.unreachable(reason) {
      #expect(reason.contains("refused the connection"), "\(reason)")
    }
  }
}
