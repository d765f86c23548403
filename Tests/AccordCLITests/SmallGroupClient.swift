import Foundation
import Testing

extension AccordBinary {
  /// Starts `zed` ("Zed Ltd") on a copy of the alignment playbook whose third team and top
  /// level have names found nowhere else (`zephyr`, "Zephyr board"; `zenith`, "Zenith level"),
  /// and imports a round in which both have two respondents: too few to be shown. Returns the
  /// groups `benchmark --json` hides, which hold those and whichever others would let them be
  /// worked out (the benchmark's rule).
  func startClientWithSmallGroups() throws -> [String] {
    let text = try String(
      contentsOf: AccordBinary.packageRoot.appendingPathComponent("playbooks/alignment.yaml"), encoding: .utf8)
    let renamed = text.replacingOccurrences(of: "    leadership: Leadership\n", with: "    zephyr: Zephyr board\n")
      .replacingOccurrences(of: "    executive: Executives\n", with: "    zenith: Zenith level\n")
    #expect(renamed != text)
    let playbook = folder.appendingPathComponent("renamed.yaml")
    try Data(renamed.utf8).write(to: playbook)
    let start = try self("start", "zed", "--name", "Zed Ltd", "--playbook", playbook.path)
    try #require(start.status == 0, "\(start.stderr)")
    let header = try self("survey", "template", "zed").stdout.trimmingCharacters(in: .newlines)
    let fours = Array(repeating: "4", count: 26).joined(separator: ",")
    let twos = Array(repeating: "2", count: 26).joined(separator: ",")
    var rows = (1...4).map { "s\($0),sales,individual,\(fours)" } + (1...4).map { "m\($0),marketing,manager,\(fours)" }
    rows += (1...2).map { "z\($0),zephyr,zenith,\(twos)" }
    let file = folder.appendingPathComponent("small-group.csv")
    try Data((([header] + rows).joined(separator: "\n") + "\n").utf8).write(to: file)
    let imported = try self("survey", "import", "zed", file.path)
    try #require(imported.status == 0, "\(imported.stderr)")
    let measured = try #require(try self("benchmark", "zed", "--json").json() as? [String: Any])
    let hidden = try #require((measured["anonymity"] as? [String: Any])?["hidden"] as? [String])
    #expect(Set(hidden).isSuperset(of: ["zephyr", "zenith", "zephyr/zenith"]))
    return hidden
  }

  /// What no page or report may hold for `zed`: the small groups' ids and titles.
  static let smallGroupNames = ["zephyr", "Zephyr", "zenith", "Zenith"]
}
