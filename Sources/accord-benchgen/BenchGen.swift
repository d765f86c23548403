// accord-benchgen: the seeded inputs for scripts/bench. Not shipped; built only by the
// benchmark. Every client it writes is a valid history made through the engine itself,
// so the benchmark measures files Accord would really have written.
import SeededRandom
import ArgumentParser
import BundledPlaybooks
import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

@main
struct BenchGen: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "accord-benchgen",
    abstract: "Generate seeded inputs for scripts/bench.",
    subcommands: [Client.self, Completed.self, Prose.self, Portfolio.self, LargePlaybook.self])
}

struct Seed: ParsableArguments {
  @Option(help: "The seed: the same seed gives the same files.")
  var seed: UInt64 = 2026
}

extension BenchGen {
  struct Client: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write one client on the standard playbook with about N events.")

    @Argument var client: String
    @Option var events: Int
    @Option var workspace: String
    @Option(help: "Another text of the standard playbook (an earlier version) instead of the bundled one.")
    var playbook: String?
    @Flag(
      help: """
        Write the client as an accord from before issue 19 did: its started event without \
        the playbook text's SHA-256, in the format that accord reads (4 or lower).
        """)
    var unsealed = false
    @OptionGroup var seed: Seed

    func run() throws {
      var random = SeededRandom(seed: seed.seed)
      let source = try playbook.map { try String(contentsOfFile: $0, encoding: .utf8) }
      try HistoryGenerator.write(
        client, events: events, to: workspace, source: source, sealed: !unsealed, random: &random)
    }
  }

  struct Completed: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write one client on a generated playbook of N milestones, all completed.")

    @Argument var client: String
    @Option var milestones: Int
    @Option var workspace: String
    @OptionGroup var seed: Seed

    func run() throws {
      var random = SeededRandom(seed: seed.seed)
      try CompletedGenerator.write(client, milestones: milestones, to: workspace, random: &random)
    }
  }

  struct Prose: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: """
        Write one client with a short history on a generated playbook of N milestones whose \
        descriptions and terms are BYTES of prose each.
        """)

    @Argument var client: String
    @Option var milestones: Int
    @Option(help: "The bytes of prose in each milestone's description and each agreement's terms.")
    var prose: Int
    @Option(help: "The events in the history (roles assigned, then milestones completed in order).")
    var events: Int
    @Option var workspace: String
    @OptionGroup var seed: Seed

    func run() throws {
      var random = SeededRandom(seed: seed.seed)
      try CompletedGenerator.write(
        client, milestones: milestones, prose: prose, events: events, to: workspace, random: &random)
    }
  }

  struct Portfolio: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write N clients with between 10 and 120 events each.")

    @Option var clients: Int
    @Option var workspace: String
    @OptionGroup var seed: Seed

    func run() throws {
      var random = SeededRandom(seed: seed.seed)
      for number in 0..<clients {
        let events = Int.random(in: 10...120, using: &random)
        try HistoryGenerator.write(
          String(format: "client-%04d", number), events: events, to: workspace, random: &random)
      }
    }
  }

  struct LargePlaybook: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print a valid playbook of N milestones with needs, agreements and gates.")

    @Option var milestones: Int
    @Option var perStage: Int = 100
    @OptionGroup var seed: Seed

    func run() throws {
      var random = SeededRandom(seed: seed.seed)
      print(PlaybookGenerator.yaml(milestones: milestones, perStage: perStage, random: &random), terminator: "")
    }
  }
}
