import AccordKit
import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine

extension Accord {
  /// Runs the command line, and ends the process with the status of what happened.
  ///
  /// Every error any command throws is reported here, once: ours through `Report`, and
  /// ArgumentParser's own (usage, help, version) as it words them, as JSON with `--json`.
  /// `accord serve` hands its options to `serving`.
  package static func commandLine(serving: Serving) async {
    let arguments = globalOptionsAfterCommand(Array(CommandLine.arguments.dropFirst()))
    if arguments.first != "serve" { MemoryTuning.forOneCommand() }
    // `--json` (or `--format json`) anywhere before a `--` asks for JSON, even on a line
    // that did not parse.
    let options = Array(arguments.prefix { $0 != "--" })
    let json =
      options.contains("--json") || options.contains("--format=json")
      || zip(options, options.dropFirst()).contains { $0 == "--format" && $1 == "json" }
    if json { Interruption.prepare(report: Report.interruptedEarly.rendered(json: true)) }
    let status: ExitStatus
    do {
      if let (quick, workspace) = QuickNext.parse(arguments) {
        var command = quick
        // As ArgumentParser would: the options' checks, then the command's own.
        try workspace.validate()
        try command.validate()
        try await onMainThread(command)
      } else {
        var command = try parseAsRoot(arguments)
        // `serve` runs as a service; every other command is plain, synchronous work. The root
        // is an AsyncParsableCommand only so that `serve` may be one; its own run is help.
        if let serve = command as? Serve {
          try await serve.run(serving: serving)
        } else if var work = command as? any AsyncParsableCommand, !(command is Accord) {
          // The commands that await work of their own (a database, the relay), on the main
          // actor too: a desk they open on a database waits there (BlockingBridge), never
          // on a thread of the cooperative pool.
          let box = AsyncCommandBox(work)
          try await box.runOnMainActor()
        } else {
          try await onMainThread(command)
        }
      }
      // A change made on a remote's copy is sent now, when the server answers.
      status = RemoteSession.finish() ?? .success
    } catch {
      status = report(error, json: json, arguments: arguments)
    }
    // A database a command opened (`--database`) is closed, whatever became of the command.
    await OpenDatabases.closeAll()
    Foundation.exit(status.rawValue)
  }

  /// Runs a synchronous command on the main thread, never on a thread of Swift's
  /// cooperative pool: a command on a database waits there for the store's async work
  /// (`BlockingBridge`), which needs the pool's threads free.
  private static func onMainThread(_ command: any ParsableCommand) async throws {
    let box = CommandBox(command)
    try await MainActor.run { try box.command.run() }
  }

  /// The options every command shares (`--workspace`, `--by`, `--json`), when given before
  /// the command's name (`accord --workspace DIR survey import ...`), moved to just after
  /// it, where ArgumentParser reads them. Anything else is left for ArgumentParser to judge.
  static func globalOptionsAfterCommand(_ arguments: [String]) -> [String] {
    guard let first = arguments.first, first.hasPrefix("--") else { return arguments }
    let takesValue: Set<String> = ["--workspace", "--by", "--remote"]
    let flags: Set<String> = ["--json"]
    var moved: [String] = []
    var rest = arguments[...]
    while let word = rest.first, word.hasPrefix("--"), word != "--" {
      let name = String(word.prefix { $0 != "=" })
      if flags.contains(word) || (takesValue.contains(name) && word.contains("=")) {
        moved.append(word)
        rest = rest.dropFirst()
      } else if takesValue.contains(word), rest.count >= 2 {
        moved += rest.prefix(2)
        rest = rest.dropFirst(2)
      } else {
        return arguments
      }
    }
    // The command's path: the words naming a subcommand, then a sub-subcommand.
    var subcommands = Accord.configuration.subcommands
    var path: [String] = []
    while let word = rest.first, !word.hasPrefix("-"),
      let next = subcommands.first(where: { $0._commandName == word })
    {
      path.append(word)
      rest = rest.dropFirst()
      subcommands = next.configuration.subcommands
    }
    guard !path.isEmpty else { return arguments }
    return path + moved + rest
  }

  /// ArgumentParser's own words in the style of every other error: its "Error: Missing
  /// value" as "accord: error: missing value", with its usage lines below unchanged.
  static func inHouseStyle(_ message: String) -> String {
    guard message.hasPrefix("Error: ") else { return message }
    let rest = message.dropFirst("Error: ".count)
    guard let first = rest.first else { return "accord: error:" }
    // Lower-case a leading word ("Missing"), not a name or an option ("'--days'").
    let second = rest.dropFirst().first
    let lower = first.isUppercase && (second?.isLowercase ?? false)
    return "accord: error: " + (lower ? first.lowercased() : String(first)) + rest.dropFirst()
  }

  /// Refuses a mistyped command name (`accord nxt`, `accord survey imprt`) with the nearest
  /// one, where ArgumentParser would only say that the arguments were unexpected.
  static func checkCommandNames(_ arguments: [String]) throws {
    var subcommands = Accord.configuration.subcommands
    var path = ["accord"]
    for word in arguments {
      guard !word.hasPrefix("-"), !subcommands.isEmpty, word != "help" else { return }
      let names = subcommands.map(commandName)
      guard let position = names.firstIndex(of: word) else {
        let command = path.joined(separator: " ")
        throw UsageError(
          "'\(word)' is not a command of '\(command)'" + didYouMean(closestMatch(to: word, among: names)),
          hint: "Commands: \(names.joined(separator: ", ")). See '\(command) --help'.")
      }
      subcommands = subcommands[position].configuration.subcommands
      path.append(word)
    }
  }

  /// Reports `error` and answers the status to exit with.
  static func report(_ error: any Error, json: Bool, arguments: [String]) -> ExitStatus {
    if let exit = error as? CommandExit { return exit.status }
    if var report = Report(error) {
      report.hintAtLoginName(error, arguments: arguments)
      report.print(json: json)
      return report.status
    }
    let code = exitCode(for: error)
    // ArgumentParser only says that a mistyped command's words were unexpected; name the
    // nearest command instead. Looked for only now: naming commands costs a reflection
    // each, too much for every run.
    if code != .success {
      do {
        try checkCommandNames(arguments)
      } catch {
        return report(error, json: json, arguments: [])
      }
    }
    let message = fullMessage(for: error)
    if code == .success {
      // Help and the version, asked for: stdout, as text.
      if !message.isEmpty { Swift.print(message) }
      return .success
    }
    let status = ExitStatus(rawValue: code.rawValue) ?? .refused
    let text = Self.inHouseStyle(message)
    Report(status: status, code: status == .usage ? "usage" : "failed", message: text, text: text)
      .print(json: json)
    return status
  }
}

/// The name a command is typed as.
private func commandName(_ command: any ParsableCommand.Type) -> String {
  command._commandName
}

/// A command handed to the main thread, which alone runs it while the caller waits.
private final class CommandBox: @unchecked Sendable {
  var command: any ParsableCommand
  init(_ command: any ParsableCommand) { self.command = command }
}

/// An async command handed to the main actor, as `CommandBox` hands a synchronous one.
private final class AsyncCommandBox: @unchecked Sendable {
  var command: any AsyncParsableCommand
  init(_ command: any AsyncParsableCommand) { self.command = command }
  @MainActor func runOnMainActor() async throws { try await command.run() }
}
