import AccordKit
import AccordRemote
import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// Shell completions that read the workspace: client ids, and the ids of the client's
/// playbook. Each is given the words on the command line (`accord complete acme st`), the
/// position of the word being completed and what has been typed of it; it answers the
/// candidates, or none when the workspace or the client cannot be read.
enum Completions {
  @Sendable static func clients(_ words: [String], _ position: Int, _ prefix: String) -> [String] {
    let ids = (try? workspace(words).clientIDs()) ?? []
    return ids.map(\.rawValue).filter { $0.hasPrefix(prefix) }
  }

  /// The remotes' names (`accord remote add`).
  @Sendable static func remotes(_ words: [String], _ position: Int, _ prefix: String) -> [String] {
    ((try? RemoteConfig.load())?.names ?? []).filter { $0.hasPrefix(prefix) }
  }

  @Sendable static func milestones(_ words: [String], _ position: Int, _ prefix: String) -> [String] {
    ids(words, prefix) { $0.stages.flatMap { $0.milestones.map(\.id) } }
  }

  @Sendable static func agreements(_ words: [String], _ position: Int, _ prefix: String) -> [String] {
    ids(words, prefix) { $0.stages.flatMap { $0.agreements.map(\.id) } }
  }

  @Sendable static func roles(_ words: [String], _ position: Int, _ prefix: String) -> [String] {
    ids(words, prefix) { $0.roles.map(\.id) }
  }

  @Sendable static func playbookIDs(_ words: [String], _ position: Int, _ prefix: String) -> [String] {
    ids(words, prefix) { playbook in
      playbook.stages.flatMap { [$0.id] + $0.milestones.map(\.id) + $0.agreements.map(\.id) }
    }
  }

  /// The ids `list` picks from the playbook of the client named on the line.
  private static func ids(_ words: [String], _ prefix: String, _ list: (Playbook) -> [String]) -> [String] {
    guard let client = client(in: words), let id = try? ClientID(client),
      let programme = try? workspace(words).programme(id).programme
    else { return [] }
    return list(programme.playbook).filter { $0.hasPrefix(prefix) }
  }

  /// The workspace the line names (`--workspace DIR`), or the one a command would find.
  private static func workspace(_ words: [String]) -> Workspace {
    var flag: String?
    for (position, word) in words.enumerated() {
      if word == "--workspace", position + 1 < words.count { flag = words[position + 1] }
      if word.hasPrefix("--workspace=") { flag = String(word.dropFirst("--workspace=".count)) }
    }
    let location = WorkspaceLocation.resolve(
      flag: flag,
      currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
    return Workspace(directory: location.directory, lockTimeout: .zero, holder: "completion")
  }

  /// The client: the first word after the command's name that is neither an option nor
  /// an option's value.
  private static func client(in words: [String]) -> String? {
    let commands = Set(Accord.configuration.subcommands.map { $0._commandName } + ["template", "import"])
    var skipNext = false
    for word in words.dropFirst() {
      if skipNext {
        skipNext = false
        continue
      }
      if word.hasPrefix("-") {
        skipNext = !word.contains("=") && !flags.contains(word)
        continue
      }
      if commands.contains(word) { continue }
      return word
    }
    return nil
  }

  /// Options that take no value.
  private static let flags: Set<String> = ["--json", "--force", "--accept", "--long", "--help", "-h"]
}
