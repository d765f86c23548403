import Foundation
import Testing

/// The fixture files under Tests/Fixtures, found from this source file's path so the
/// tests run the same from any working directory.
enum Fixtures {
  static let root = URL(filePath: #filePath)
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .appending(path: "Fixtures")

  /// The playbooks we ship, at the package root.
  static let playbooks = root
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .appending(path: "playbooks")

  /// Fixture names relative to `root`, such as `invalid/unknown-role.yaml`, sorted.
  static func yamlFiles(in folder: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appending(path: folder).path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(folder)/\($0)" }
  }

  static func data(_ name: String) throws -> Data {
    try Data(contentsOf: root.appending(path: name))
  }

  /// `invalid/x.yaml` -> `invalid/x.expected.txt`.
  static func expectedName(for name: String) -> String {
    String(name.dropLast(".yaml".count)) + ".expected.txt"
  }

  /// Set `ACCORD_RECORD=1` to rewrite golden files from the current output instead of
  /// comparing; then read the diff, since a recorded mistake would pass from then on.
  static var isRecording: Bool {
    ProcessInfo.processInfo.environment["ACCORD_RECORD"] == "1"
  }

  /// Compares `actual` with the golden file `name`, or records it.
  static func assertGolden(
    _ actual: String, matches name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = root.appending(path: name)
    if isRecording {
      try actual.write(to: url, atomically: true, encoding: .utf8)
      Issue.record("recorded \(name); check it by eye, then run again without ACCORD_RECORD", sourceLocation: sourceLocation)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record("no golden file \(name); run with ACCORD_RECORD=1 to create it", sourceLocation: sourceLocation)
      return
    }
    #expect(actual == expected, sourceLocation: sourceLocation)
  }
}
