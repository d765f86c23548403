import Foundation
import Testing

/// `accord sign` signs the terms the signer was shown, and only those: the terms it showed
/// on a terminal, or those named with --terms (as next, status or show printed them). A
/// playbook upgraded to other terms in between is refused by the engine (`terms-changed`,
/// exit 1) with nothing written, as the API and the pages refuse it.
@Suite("Commands: a signature on the terms shown")
struct SignTermsTests {
  /// The test playbook with the charter's terms changed, as version 2.
  static let reworded = TermsHashTests.playbook
    .replacingOccurrences(of: "version: 1\n", with: "version: 2\n")
    .replacingOccurrences(of: "to meet weekly", with: "to meet monthly")

  /// Moves acme to `reworded`, as the consultant; answers the charter's terms hash then.
  static func upgrade(_ accord: AccordBinary) throws -> String {
    let path = accord.folder.appendingPathComponent("terms-v2.yaml")
    try reworded.write(to: path, atomically: true, encoding: .utf8)
    let upgrade = try accord("upgrade", "acme", "--playbook", path.path, "--reason", "monthly meetings")
    #expect(upgrade.status == 0, "\(upgrade.stderr)")
    return try termsHash(accord)
  }

  /// The charter's terms hash as `show --json` prints it.
  static func termsHash(_ accord: AccordBinary) throws -> String {
    let show = try #require(try accord("show", "acme", "charter", "--json").json() as? [String: Any])
    return try #require(show["termsHash"] as? String)
  }

  @Test func anUpgradeBetweenShowAndSignIsRefused() throws {
    let accord = try TermsHashTests.signedClient()
    let shown = try Self.termsHash(accord)
    #expect(shown == TermsHashTests.expected)
    let inForce = try Self.upgrade(accord)
    #expect(inForce != shown)
    let before = try accord.stateFile("acme")
    for given in [shown, String(shown.prefix(12))] {
      let refused = try accord("sign", "acme", "charter", "--terms", given, "--json", as: "sam")
      #expect(refused.status == 1, "\(refused.stderr)")
      let error = try #require(
        (try JSONSerialization.jsonObject(with: Data(refused.stderr.utf8)) as? [String: Any])?["error"]
          as? [String: Any])
      #expect(error["code"] as? String == "terms-changed")
      #expect(error["agreement"] as? String == "charter")
      #expect(error["terms"] as? String == given)
      #expect(error["termsInForce"] as? String == inForce)
      #expect(try accord.stateFile("acme") == before)
    }
    let text = try accord("sign", "acme", "charter", "--terms", shown, as: "sam")
    #expect(text.status == 1)
    #expect(text.stderr.contains("the terms of 'charter' changed since you read them"), "\(text.stderr)")
    #expect(try accord.stateFile("acme") == before)
    // The terms in force, named whole or by the 12 characters next and show print, sign.
    let signed = try accord("sign", "acme", "charter", "--terms", String(inForce.prefix(12)).uppercased(), as: "sam")
    #expect(signed.status == 0, "\(signed.stderr)")
    #expect(signed.stdout.contains("on terms sha256 \(inForce)"), "\(signed.stdout)")
    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.last?["terms"] as? String == inForce)
  }

  @Test(arguments: ["abc", String(repeating: "g", count: 64), String(repeating: "a", count: 65), "0123456789ab "])
  func aHashThatIsNoneIsAUsageError(given: String) throws {
    let accord = try TermsHashTests.signedClient()
    let before = try accord.stateFile("acme")
    let run = try accord("sign", "acme", "charter", "--terms", given, as: "sam")
    #expect(run.status == 64, "\(run.stderr)")
    #expect(run.stderr.contains("--terms must be a SHA-256 in hex"), "\(run.stderr)")
    #expect(try accord.stateFile("acme") == before)
  }

  /// On a terminal: the playbook is upgraded while sign waits for the answer to the terms it
  /// showed. Saying yes to them does not sign the new ones.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
  func anUpgradeWhileTheQuestionWaitsIsRefused() throws {
    let accord = try TermsHashTests.signedClient()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qec", [accord.executable.path, "sign", "acme", "charter"].joined(separator: " "), "/dev/null"]
    process.environment = accord.environment(as: "sam")
    let input = Pipe.unshared()
    let output = Pipe.unshared()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    var text = ""
    var before: Data?
    while true {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      text += String(decoding: chunk, as: UTF8.self)
      if before == nil, text.contains("Sign these terms? [y/N]") {
        // The question is on the screen, with the terms shown: now the terms change.
        #expect(text.contains("to meet weekly"))
        _ = try Self.upgrade(accord)
        before = try accord.stateFile("acme")
        input.fileHandleForWriting.write(Data("y\n".utf8))
      }
    }
    process.waitUntilExit()
    #expect(before != nil, "\(text)")
    #expect(process.terminationStatus == 1, "\(text)")
    #expect(text.contains("changed since you read them (you read \(TermsHashTests.expected.prefix(12))"), "\(text)")
    #expect(try accord.stateFile("acme") == before)
  }

  /// On a terminal, --terms that are not the ones in force are refused before anything is
  /// asked; the ones in force are shown and asked about as ever.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
  func onATerminalTermsNamedAreCheckedBeforeTheQuestion() throws {
    let accord = try TermsHashTests.signedClient()
    let shown = try Self.termsHash(accord)
    _ = try Self.upgrade(accord)
    let before = try accord.stateFile("acme")
    let (refused, said) = try accord.onTerminal(
      ["sign", "acme", "charter", "--terms", shown], as: "sam", answering: "y\n")
    #expect(refused == 1, "\(said)")
    #expect(!said.contains("Sign these terms?"), "\(said)")
    #expect(said.contains("changed since you read them"), "\(said)")
    #expect(try accord.stateFile("acme") == before)
    let inForce = try Self.termsHash(accord)
    let (signed, asked) = try accord.onTerminal(
      ["sign", "acme", "charter", "--terms", inForce], as: "sam", answering: "y\n")
    #expect(signed == 0, "\(asked)")
    #expect(asked.contains("Sign these terms? [y/N]"), "\(asked)")
    #expect(asked.contains("on terms sha256 \(inForce)"), "\(asked)")
  }
}
