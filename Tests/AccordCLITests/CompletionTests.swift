import Foundation
import Testing

/// Shell completion as a person meets it: bash sources the script `accord` generates, and
/// the completion function answers for a half-typed line, reading the workspace.
@Suite("Shell completion through bash")
struct CompletionTests {
  /// What bash offers for `line` (the words after `accord`), typed in `accord.folder`.
  static func complete(_ line: String, _ accord: AccordBinary) throws -> [String] {
    let script = """
      source <("$ACCORD" --generate-completion-script bash)
      COMP_LINE="$ACCORD $LINE"; COMP_POINT=${#COMP_LINE}
      read -ra COMP_WORDS <<<"$COMP_LINE"
      [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
      COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
      _accord "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
      printf '%s\\n' "${COMPREPLY[@]}"
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", script]
    process.currentDirectoryURL = accord.folder
    var environment = accord.environment(as: "alice")
    environment["ACCORD"] = accord.executable.path
    environment["LINE"] = line
    process.environment = environment
    let out = Pipe.unshared()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
  }

  @Test func idsCompleteFromTheWorkspaceAndTheClientsPlaybook() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme").status == 0)
    try #require(accord("start", "acorn").status == 0)
    try #require(accord("start", "beta").status == 0)

    #expect(try Self.complete("next ac", accord) == ["acme", "acorn"])
    #expect(try Self.complete("complete acme stake", accord) == ["stakeholder-map"])
    #expect(try Self.complete("sign acme collab", accord) == ["collaboration-charter"])
    #expect(try Self.complete("assign acme head-of-", accord) == ["head-of-marketing", "head-of-sales"])
    #expect(try Self.complete("show acme metrics-", accord) == ["metrics-agreement", "metrics-drafted", "metrics-review"])
    // Nothing to offer for a client that does not exist, rather than an error.
    #expect(try Self.complete("complete nobody stake", accord) == [])
  }

  @Test func filesCompleteByKindAndFolders() throws {
    let accord = try AccordBinary()
    let folder = accord.folder.appendingPathComponent("playbooks")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "x".write(to: accord.folder.appendingPathComponent("plan.yaml"), atomically: true, encoding: .utf8)
    try "x".write(to: accord.folder.appendingPathComponent("plan.txt"), atomically: true, encoding: .utf8)
    #expect(try Self.complete("validate pl", accord) == ["plan.yaml", "playbooks"])
    #expect(try Self.complete("start beta --playbook pl", accord) == ["plan.yaml", "playbooks"])
    try "x".write(to: accord.folder.appendingPathComponent("answers.csv"), atomically: true, encoding: .utf8)
    try "x".write(to: accord.folder.appendingPathComponent("answers.txt"), atomically: true, encoding: .utf8)
    #expect(try Self.complete("survey import acme an", accord) == ["answers.csv"])
    #expect(try Self.complete("survey template acme --out an", accord) == ["answers.csv"])
  }
}
