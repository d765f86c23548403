import Foundation
import Glibc
import Testing

@testable import AccordRemote

/// The remotes and their credentials as files: where they are, their modes, which remote a
/// command goes to, and the errors a person reads.
@Suite struct RemoteConfigTests {
  /// A fresh home with a config folder not yet made.
  static func home() throws -> (home: String, variables: @Sendable (String) -> String?) {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("accord-remote-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    return (home, { $0 == "HOME" ? home : nil })
  }

  static func mode(_ path: String) -> mode_t {
    var info = stat()
    lstat(path, &info)
    return info.st_mode & 0o777
  }

  @Test func theFilesAre0600InA0700FolderAndTheModesAreRepairedOnEveryWrite() throws {
    let (home, variables) = try Self.home()
    var config = try RemoteConfig.load(variable: variables)
    #expect(config.folder == home + "/.config/accord")
    #expect(config.remotes.isEmpty)
    config.remotes["firm"] = .init(url: "https://accord.example.com")
    config.current = "firm"
    try config.save()
    try config.keep(Credentials(person: "alice", token: "accord_x", expires: nil), for: "firm")
    #expect(Self.mode(config.folder) == 0o700)
    #expect(Self.mode(config.remotesPath) == 0o600)
    #expect(Self.mode(config.credentialsPath) == 0o600)
    #expect(try RemoteConfig.load(variable: variables) == config)

    // Loosened by hand (or by a careless copy): the next write makes them private again.
    chmod(config.folder, 0o755)
    chmod(config.remotesPath, 0o644)
    try config.save()
    try config.keep(Credentials(person: "alice", token: "accord_y", expires: nil), for: "firm")
    #expect(Self.mode(config.folder) == 0o700)
    #expect(Self.mode(config.remotesPath) == 0o600)
    #expect(try config.credentials(for: "firm").token == "accord_y")
  }

  @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o606] as [mode_t])
  func aCredentialsFileOthersCanReachIsRefusedWithHowToFixIt(_ mode: mode_t) throws {
    let (_, variables) = try Self.home()
    let config = try RemoteConfig.load(variable: variables)
    try config.keep(Credentials(person: "alice", token: "accord_x", expires: nil), for: "firm")
    chmod(config.credentialsPath, mode)
    #expect {
      try config.credentials(for: "firm")
    } throws: { error in
      guard case let .insecureFile(path, problem) = error as? RemoteConfigError else { return false }
      return path == config.credentialsPath && problem.contains("chmod 600 \(config.credentialsPath)")
        && problem.contains("mode \(String(mode, radix: 8))")
    }
    // Nor is it written over, which would hide that it was exposed.
    #expect(throws: RemoteConfigError.self) {
      try config.keep(Credentials(person: "bob", token: "accord_z", expires: nil), for: "other")
    }
    chmod(config.credentialsPath, 0o600)
    #expect(try config.credentials(for: "firm").person == "alice")
  }

  @Test func theRemoteIsTheFlagThenTheVariableThenTheCurrentOne() throws {
    let (home, _) = try Self.home()
    let config = RemoteConfig(folder: home, remotes: ["a": .init(url: "https://a"), "b": .init(url: "https://b")], current: "a")
    func with(_ value: String?) -> (String) -> String? { { $0 == "ACCORD_REMOTE" ? value : nil } }
    #expect(config.selected(flag: "b", variable: with("c")) == "b")
    #expect(config.selected(flag: nil, variable: with("c")) == "c")
    #expect(config.selected(flag: nil, variable: with(nil)) == "a")
    // Empty means none: the folder, whatever is current.
    #expect(config.selected(flag: nil, variable: with("")) == nil)
    #expect(config.selected(flag: "", variable: with("c")) == nil)
    #expect(RemoteConfig(folder: home).selected(flag: nil, variable: with(nil)) == nil)
  }

  @Test func theStaticSelectionReadsTheCurrentRemoteOnlyWhenItMust() throws {
    let (home, variables) = try Self.home()
    var config = try RemoteConfig.load(variable: variables)
    config.remotes["firm"] = .init(url: "https://accord.example.com")
    config.current = "firm"
    try config.save()
    #expect(try RemoteConfig.selected(flag: nil, variable: variables) == "firm")
    #expect(try RemoteConfig.selected(flag: "other", variable: variables) == "other")
    let empty: @Sendable (String) -> String? = { $0 == "HOME" ? home : $0 == "ACCORD_REMOTE" ? "" : nil }
    #expect(try RemoteConfig.selected(flag: nil, variable: empty) == nil)
    // No home at all: no remote, not an error (commands on a folder need none).
    #expect(try RemoteConfig.selected(flag: nil, variable: { _ in nil }) == nil)
  }

  @Test func anUnknownRemoteNamesTheKnownOnesAndTheNearest() throws {
    let config = RemoteConfig(
      folder: "/nowhere", remotes: ["firm": .init(url: "https://a"), "staging": .init(url: "https://b")])
    #expect(throws: RemoteConfigError.unknownRemote(name: "frim", known: ["firm", "staging"], suggestion: "firm")) {
      try config.remote(named: "frim")
    }
    let error = RemoteConfigError.unknownRemote(name: "frim", known: ["firm", "staging"], suggestion: "firm")
    #expect(error.description == "no remote named 'frim' (did you mean 'firm'?) (known: firm, staging)")
    #expect(error.report.status == .usage)
    #expect(try config.remote(named: "firm") == Remote(name: "firm", url: URL(string: "https://a")!))
  }

  @Test func withoutCredentialsTheMessageSaysToLogIn() throws {
    let (_, variables) = try Self.home()
    let config = try RemoteConfig.load(variable: variables)
    #expect(throws: RemoteConfigError.notSignedIn(name: "firm")) { try config.credentials(for: "firm") }
    #expect(RemoteConfigError.notSignedIn(name: "firm").description == "not signed in to firm: run accord login firm")
  }

  @Test func anExpiredSignInSaysSo() throws {
    let (_, variables) = try Self.home()
    let config = try RemoteConfig.load(variable: variables)
    try config.keep(Credentials(person: "alice", token: "accord_x", expires: "2026-01-01T00:00:00Z"), for: "firm")
    let now = try #require(Credentials.time("2026-06-01T00:00:00Z"))
    #expect(throws: RemoteConfigError.signInExpired(name: "firm", person: "alice", expires: "2026-01-01T00:00:00Z")) {
      try config.credentials(for: "firm", now: now)
    }
    let before = try #require(Credentials.time("2025-12-31T23:59:59Z"))
    #expect(try config.credentials(for: "firm", now: before).person == "alice")
  }

  @Test func forgettingRemovesOnlyThatRemotesCredentials() throws {
    let (_, variables) = try Self.home()
    let config = try RemoteConfig.load(variable: variables)
    #expect(try config.forget("firm") == nil)
    try config.keep(Credentials(person: "alice", token: "accord_x", expires: nil), for: "firm")
    try config.keep(Credentials(person: "al", token: "accord_y", expires: nil), for: "staging")
    #expect(try config.forget("firm")?.person == "alice")
    #expect(try config.allCredentials().keys.sorted() == ["staging"])
  }

  @Test(arguments: ["firm", "acme-firm_2", "A1"])
  func goodNames(_ name: String) throws {
    try RemoteConfig.validate(name: name)
  }

  @Test(arguments: ["", "-firm", "my firm", "firm/x", "fírm", "..", String(repeating: "a", count: 65)])
  func badNames(_ name: String) {
    #expect(throws: RemoteConfigError.self) { try RemoteConfig.validate(name: name) }
  }

  @Test(arguments: [
    ("https://Accord.Example.com/", "https://accord.example.com"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("HTTPS://accord.example.com/firm//", "https://accord.example.com/firm"),
  ])
  func addressesAreTidied(_ given: String, _ kept: String) throws {
    #expect(try Remote.address(given).absoluteString == kept)
  }

  @Test(arguments: [
    "accord.example.com", "ftp://accord.example.com", "https://", "https://alice:pw@accord.example.com",
    "https://accord.example.com/?x=1", "https://accord.example.com/#top", "not a url",
  ])
  func badAddresses(_ given: String) {
    #expect(throws: RemoteConfigError.self) { try Remote.address(given) }
  }

  @Test func onlyPlainHTTPToAnotherMachineSendsTheTokenInClear() throws {
    func clear(_ text: String) throws -> Bool { Remote(name: "x", url: try Remote.address(text)).sendsTokenInClear }
    #expect(try clear("http://accord.example.com"))
    #expect(try clear("http://10.0.0.5:8080"))
    #expect(try !clear("https://accord.example.com"))
    #expect(try !clear("http://127.0.0.1:8080"))
    #expect(try !clear("http://localhost:8080"))
    #expect(try !clear("http://[::1]:8080"))
  }

  @Test func theReplicaIsUnderTheDataFolder() throws {
    #expect(
      try RemoteConfig.replicaFolder(for: "firm", variable: { $0 == "XDG_DATA_HOME" ? "/data" : "/home/a" }).path
        == "/data/accord/remotes/firm")
    #expect(
      try RemoteConfig.replicaFolder(for: "firm", variable: { $0 == "HOME" ? "/home/a" : nil }).path
        == "/home/a/.local/share/accord/remotes/firm")
    #expect(throws: RemoteConfigError.self) { try RemoteConfig.replicaFolder(for: "../x", variable: { _ in "/h" }) }
  }

  @Test func aDamagedRemotesFileIsNamed() throws {
    let (_, variables) = try Self.home()
    let config = try RemoteConfig.load(variable: variables)
    try config.save()
    try Data("{not json".utf8).write(to: URL(fileURLWithPath: config.remotesPath))
    #expect {
      try RemoteConfig.load(variable: variables)
    } throws: { error in
      (error as? RemoteConfigError)?.code == "invalid-remote-file"
    }
  }

  @Test func everyCodeIsInTheCommandsGuideWithItsExitStatus() throws {
    let errors: [RemoteConfigError] = [
      .noUserFolder(variable: ""), .invalidName(name: "", problem: ""), .invalidURL(url: "", problem: ""),
      .unknownRemote(name: "", known: [], suggestion: nil), .remoteExists(name: "", url: ""), .noRemote(known: []),
      .notSignedIn(name: ""), .signInExpired(name: "", person: "", expires: ""),
      .insecureFile(path: "", problem: ""), .invalidFile(path: "", problem: ""), .io(path: "", problem: ""),
    ]
    let guide = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/guide/commands.md"), encoding: .utf8)
    #expect(Set(errors.map(\.code)).count == errors.count)
    let rows = guide.split(separator: "\n").filter { $0.hasPrefix("| `") }
    for error in errors {
      let row = rows.first { $0.split(separator: "|").first?.contains("`\(error.code)`") == true }
      #expect(row != nil, "docs/guide/commands.md's table of codes lacks \(error.code)")
      if let row {
        #expect(row.contains("| \(error.status.rawValue) |"), "\(error.code) exits \(error.status.rawValue): \(row)")
      }
    }
    #expect(rows.contains { $0.hasPrefix("| `unreachable` | 75 |") })
  }
}
