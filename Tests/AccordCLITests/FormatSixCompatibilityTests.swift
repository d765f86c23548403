import Foundation
import Testing

/// Client files in format 6 (Tests/Fixtures/compat/format6, never regenerated): a client
/// whose every event has an id, with a delegate, notes and a reopening, must load, print what
/// the accord that wrote it printed, pass `check`, fingerprint as it did, and be left as it was.
@Suite("Compatibility: format-6 files (event ids)")
struct FormatSixCompatibilityTests {
  static let fixtures = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures/compat/format6")

  static func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: fixtures.appendingPathComponent(name))
  }

  @Test(arguments: [
    (["status", "epsilon", "--json", "--as-of", "2027-01-15"], "epsilon.status.json"),
    (["log", "epsilon", "--json"], "epsilon.log.json"),
    (["next", "epsilon", "--json", "--as-of", "2027-01-15"], "epsilon.next.json"),
    (["status", "epsilon", "--as-of", "2027-01-15"], "epsilon.status.txt"),
    (["next", "epsilon", "--as-of", "2027-01-15"], "epsilon.next.txt"),
    (["log", "epsilon"], "epsilon.log.txt"),
    (["check"], "check.txt"),
  ])
  func readsPrintWhatTheyPrintedAndLeaveTheFileAsItWas(arguments: [String], output: String) throws {
    try CompatibilityTests.printsAsBefore(
      arguments, output, client: "epsilon", in: Self.fixtures, besides: [".accord-workspace.json"])
  }

  @Test func theFileIsFormatSixAndEveryEventHasItsOwnID() throws {
    let file = try #require(try JSONSerialization.jsonObject(with: Self.fixture("epsilon.json")) as? [String: Any])
    #expect(file["format"] as? Int == 6)
    let ids = (file["events"] as? [[String: Any]] ?? []).map { $0["id"] as? String }
    #expect(ids.count >= 8)
    #expect(ids.allSatisfy(EventIDEndToEndTests.isVersion7), "\(ids)")
    #expect(Set(ids).count == ids.count)
  }

  /// The memory this accord keeps of the history is the chain's link at its end (the
  /// file's `head`); a memory an earlier accord kept (seen-history.txt: the fingerprint of
  /// every event) is still judged by that fingerprint and found the same.
  @Test func theHistoryFingerprintIsTheOneItHad() throws {
    let accord = try AccordBinary()
    try FileManager.default.createDirectory(at: accord.workspace, withIntermediateDirectories: true)
    let data = try Self.fixture("epsilon.json")
    try data.write(to: accord.workspace.appendingPathComponent("epsilon.json"))
    let file = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(try accord("status", "epsilon").status == 0)
    let folder = accord.stateHome.appendingPathComponent("accord/seen")
    var found: (name: String, mark: [String: Any])?
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".json") {
      let mark = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name)))
      if let mark = mark as? [String: Any], mark["client"] as? String == "epsilon" { found = (name, mark) }
    }
    let mark = try #require(found)
    #expect(mark.mark["chain"] as? String == file["head"] as? String && file["head"] != nil)

    let expected = String(decoding: try Self.fixture("seen-history.txt"), as: UTF8.self)
      .split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    #expect(expected.count == 2 && expected[0] == "epsilon")
    var old = mark.mark
    old["chain"] = nil
    old["history"] = expected.last
    try JSONSerialization.data(withJSONObject: old, options: [.sortedKeys])
      .write(to: folder.appendingPathComponent(mark.name))
    let check = try accord("check", "epsilon")
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    #expect(!(check.stdout + check.stderr).contains("does not carry on"), "\(check.stdout)")
  }

  /// A change to it adds an event with an id of its own, and the file stays format 6.
  @Test func aChangeAddsAnEventWithANewID() throws {
    let accord = try AccordBinary()
    try FileManager.default.createDirectory(at: accord.workspace, withIntermediateDirectories: true)
    try Self.fixture("epsilon.json").write(to: accord.workspace.appendingPathComponent("epsilon.json"))
    let run = try accord("assign", "epsilon", "marketing-manager", "meg")
    #expect(run.status == 0, "\(run.stderr)")
    let file = try #require(try JSONSerialization.jsonObject(with: accord.stateFile("epsilon")) as? [String: Any])
    #expect(file["format"] as? Int == 6)
    let ids = (file["events"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(Set(ids).count == ids.count)
    #expect(try accord("check").status == 0)
  }
}
