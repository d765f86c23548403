import Foundation
import Testing
import WorkspaceStore

/// The firm's key through the binary: made once, private, shown as text, and a key file
/// that others can read or that holds something else refused, naming the file.
@Suite("Commands: the firm's key")
struct KeyCommandTests {
  static func keyFile(_ accord: AccordBinary) -> URL {
    accord.configHome.appendingPathComponent("accord/firm-key")
  }

  static func mode(_ url: URL) throws -> Int {
    try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
  }

  @Test func createMakesAPrivateKeyOnceAndShowPrintsItsPublicKey() throws {
    let accord = try AccordBinary()
    let created = try accord("key", "create", "--json")
    #expect(created.status == 0, "\(created.stderr)")
    let body = try #require(try created.json() as? [String: Any])
    let publicKey = try #require(body["publicKey"] as? String)
    #expect(publicKey.hasPrefix("accord-ed25519:"))
    #expect(body["path"] as? String == Self.keyFile(accord).path)
    #expect((body["fingerprint"] as? String)?.count == 19)
    #expect(try Self.mode(Self.keyFile(accord)) == 0o600)
    #expect(try Self.mode(Self.keyFile(accord).deletingLastPathComponent()) == 0o700)
    let line = try String(contentsOf: Self.keyFile(accord), encoding: .utf8)
    #expect(line.hasPrefix("accord-ed25519-private:") && line.hasSuffix("\n"))
    // No temporary file is left beside it.
    #expect(try FileManager.default.contentsOfDirectory(atPath: accord.configHome.path + "/accord") == ["firm-key"])

    let shown = try accord("key", "show")
    #expect(shown.status == 0)
    #expect(shown.stdout == publicKey + "\n")
    let json = try #require(try accord("key", "show", "--json").json() as? [String: Any])
    #expect(json["publicKey"] as? String == publicKey)

    // Never replaced: the same key, byte for byte, and exit 73.
    let before = try Data(contentsOf: Self.keyFile(accord))
    let again = try accord("key", "create", "--json")
    #expect(again.status == 73)
    let error = try #require(
      try JSONSerialization.jsonObject(with: Data(again.stderr.utf8)) as? [String: [String: Any]])
    #expect(error["error"]?["code"] as? String == "key-exists")
    #expect(error["error"]?["path"] as? String == Self.keyFile(accord).path)
    #expect(try Data(contentsOf: Self.keyFile(accord)) == before)
  }

  @Test func createMakesTheConfigFolderItCreatesPrivate() throws {
    let accord = try AccordBinary()
    let run = try accord("key", "create")
    #expect(run.status == 0)
    #expect(run.stdout.contains("accord-ed25519:"))
    #expect(try Self.mode(accord.configHome) == 0o700)
  }

  @Test func showWithoutAKeySaysHowToMakeOne() throws {
    let accord = try AccordBinary()
    let run = try accord("key", "show")
    #expect(run.status == 66)
    #expect(run.stderr.contains(Self.keyFile(accord).path))
    #expect(run.stderr.contains("accord key create"))
    #expect(!FileManager.default.fileExists(atPath: accord.configHome.path))
  }

  @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o700])
  func aKeyFileOthersCanReachIsRefused(_ mode: Int) throws {
    let accord = try AccordBinary()
    #expect(try accord("key", "create").status == 0)
    let file = Self.keyFile(accord)
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
    let before = try Data(contentsOf: file)
    let run = try accord("key", "show", "--json")
    if mode & 0o077 == 0 {
      #expect(run.status == 0)
      return
    }
    #expect(run.status == 65)
    let error = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: [String: Any]])
    #expect(error["error"]?["code"] as? String == "insecure-key-file")
    #expect((error["error"]?["message"] as? String)?.contains(file.path) == true)
    #expect((error["error"]?["message"] as? String)?.contains(String(mode, radix: 8)) == true)
    #expect(try Data(contentsOf: file) == before)
    #expect(try Self.mode(file) == mode)
  }

  @Test(arguments: [
    "", "garbage\n", "accord-ed25519-private:\n", "accord-ed25519-private:AAAA\n",
    "accord-ed25519:" + Data(repeating: 1, count: 32).base64EncodedString() + "\n",
  ])
  func aKeyFileHoldingSomethingElseIsRefused(_ contents: String) throws {
    let accord = try AccordBinary()
    let file = Self.keyFile(accord)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    #expect(FileManager.default.createFile(atPath: file.path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600]))
    let run = try accord("key", "show")
    #expect(run.status == 65)
    #expect(run.stderr.contains("accord: error: \(file.path): "))
    #expect(run.stderr.contains("not") || run.stderr.contains("does not hold a key"))
    // And `create` still never replaces it.
    #expect(try accord("key", "create").status == 73)
    #expect(try String(contentsOf: file, encoding: .utf8) == contents)
  }

  @Test func aKeyFileThatIsALinkIsRefused() throws {
    let accord = try AccordBinary()
    #expect(try accord("key", "create").status == 0)
    let file = Self.keyFile(accord)
    let real = accord.folder.appendingPathComponent("elsewhere")
    try FileManager.default.moveItem(at: file, to: real)
    try FileManager.default.createSymbolicLink(at: file, withDestinationURL: real)
    let run = try accord("key", "show")
    #expect(run.status == 65)
    #expect(run.stderr.contains("a symbolic link"))
  }
}

/// Every code the key file's errors have is in the table of docs/guide/commands.md.
@Suite struct KeyFileCodesTests {
  @Test func everyKeyFileCodeIsInTheGuide() throws {
    let readme = try String(
      contentsOf: AccordBinary.packageRoot.appendingPathComponent("docs/guide/commands.md"), encoding: .utf8)
    let errors: [KeyFileError] = [
      .missing(path: "p"), .exists(path: "p"), .insecure(path: "p", problem: "x"), .malformed(path: "p", problem: "x"),
      .io(path: "p", problem: "x"),
    ]
    for error in errors {
      #expect(readme.contains("`\(error.code)`"), "docs/guide/commands.md's table of codes lacks \(error.code)")
    }
  }
}
