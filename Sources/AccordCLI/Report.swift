import AgreementCertificates
import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine
import SurveyCSV
import WorkspaceStore

/// What `accord` says about an error, decided in one place for every command: the exit
/// status, a stable code, the sentence a person reads and, for `--json`, the ids involved.
struct Report {
  var status: ExitStatus
  var code: String
  var message: String
  var details: [String: Detail] = [:]
  /// The text printed without `--json`, whole lines.
  var text: String

  /// The report for `error`, or nil for one ArgumentParser reports itself (help, version,
  /// and its own usage errors).
  init?(_ error: any Error) {
    switch error {
    case let refusal as Refusal:
      let status = Self.status(of: refusal)
      self.init(
        status, refusal.code, refusal.description, refusal.details,
        prefix: status == .usage ? "error" : "refused")
    case let error as StoreError:
      self.init(
        Self.status(of: error), error.code, error.description, error.details.mapValues(Detail.text),
        prefix: "error")
    case let error as PlaybookError:
      // Diagnostics are whole lines of their own: file:line:column: error: message.
      self.init(
        status: .dataError, code: "invalid-playbook", message: error.description,
        details: ["diagnostics": .list(error.diagnostics.map(\.description))], text: error.description)
    case let error as SurveyFileError:
      let count = error.diagnostics.count
      let file = error.diagnostics.first?.location.file ?? "the file"
      self.init(
        status: .dataError, code: "invalid-survey-file", message: error.description,
        details: ["diagnostics": .list(error.diagnostics.map(\.description))],
        text: error.description + "\naccord: nothing was imported: "
          + "\(count == 1 ? "1 problem" : "\(count) problems") in \(file)")
    case let error as KeyFileError:
      self.init(Self.status(of: error), error.code, error.description, ["path": .text(error.path)], prefix: "error")
    case let refusal as CertificateRefusal:
      var details: [String: Detail] = [:]
      switch refusal {
      case let .unknownAgreement(id, suggestion):
        details["agreement"] = .text(id)
        if let suggestion { details["suggestion"] = .text(suggestion) }
      case let .noSignatures(agreement, unsigned):
        details["agreement"] = .text(agreement)
        details["roles"] = .list(unsigned)
      }
      let status = Self.status(of: refusal)
      self.init(status, refusal.code, refusal.description, details, prefix: status == .usage ? "error" : "refused")
    case let refusal as AccessRefusal:
      self.init(
        refusal.status, refusal.code, refusal.description, refusal.details,
        prefix: refusal.status == .refused ? "refused" : "error")
    case let hinted as HintedRefusal:
      self.init(hinted.refusal)!
      if let suggestion = hinted.suggestion {
        details["suggestion"] = .text(suggestion)
        text += "\n  did you mean '\(suggestion)'? Names are compared exactly."
      }
    case let refusal as CommandRefusal:
      self.init(.refused, refusal.code, refusal.description, refusal.details, prefix: "refused")
    case let error as UsageError:
      self.init(.usage, "usage", error.message, [:], prefix: "error")
      text += error.hint.map { "\n" + $0 } ?? ""
    case let error as FileProblem:
      var details: [String: Detail] = ["path": .text(error.path)]
      if let suggestion = error.suggestion { details["suggestion"] = .text(suggestion) }
      self.init(error.status, error.code, error.description, details, prefix: "error")
    default:
      return nil
    }
  }

  private init(
    _ status: ExitStatus, _ code: String, _ message: String, _ details: [String: Detail], prefix: String
  ) {
    self.init(status: status, code: code, message: message, details: details, text: "accord: \(prefix): \(message)")
  }

  init(status: ExitStatus, code: String, message: String, details: [String: Detail] = [:], text: String) {
    self.status = status
    self.code = code
    self.message = message
    self.details = details
    self.text = text
  }

  /// A refusal about what was typed (an id the playbook does not have, a blank name) is a
  /// usage error; the others are the programme's rules saying no.
  static func status(of refusal: Refusal) -> ExitStatus {
    switch refusal {
    case .unknownMilestone, .unknownAgreement, .unknownRole, .unknownItem, .invalidPerson, .invalidName, .invalidNote,
      .invalidRoundName, .invalidDay,
      .invalidDate:
      .usage
    // A round that is not there is "nothing there to read", as `benchmark --round` says.
    case .unknownRound: .noInput
    default: .refused
    }
  }

  /// The store's errors by what a person can do about them.
  static func status(of error: StoreError) -> ExitStatus {
    switch error {
    case .invalidClientID: .usage
    case .noSuchClient: .noInput
    case .clientExists: .refused
    case .corrupt, .brokenChain, .newerFormat, .notRegularFile: .dataError
    case .locked, .changedOnDisk: .tryAgain
    case .io: .ioError
    case .interrupted: .interrupted
    }
  }

  /// The firm key file's problems: none there to read (66), one there already (73), one
  /// that cannot be trusted (65), one the system would not read or write (74).
  static func status(of error: KeyFileError) -> ExitStatus {
    switch error {
    case .missing: .noInput
    case .exists: .cannotCreate
    case .insecure, .malformed: .dataError
    case .io: .ioError
    }
  }

  /// An agreement the playbook lacks is a mistyped id (64); one with nothing to certify is
  /// the programme's state saying no (1).
  static func status(of refusal: CertificateRefusal) -> ExitStatus {
    switch refusal {
    case .unknownAgreement: .usage
    case .noSignatures: .refused
    }
  }

  /// When a change was refused to the login name because nobody said who was at the
  /// keyboard (no --by, no ACCORD_USER), says so: `root may not complete` is about root.
  mutating func hintAtLoginName(_ error: any Error, arguments: [String]) {
    let refusal = (error as? Refusal) ?? (error as? HintedRefusal)?.refusal
    guard let person = refusal?.refusedPerson, Environment.value("ACCORD_USER") == nil,
      !arguments.contains(where: { $0 == "--by" || $0.hasPrefix("--by=") }),
      person == Environment.loginName
    else { return }
    details["loginName"] = .text(person)
    text += "\n  '\(person)' is your login name: nobody said who is making the change. "
      + "Say who with --by PERSON, or set ACCORD_USER."
  }

  /// Prints the report on stderr: `{"error": {"code", "message", ...the ids}}` for
  /// `--json`, else its text.
  func print(json: Bool) {
    printError(rendered(json: json))
  }

  /// The error as `--json` gives it: the code, the message and the ids involved.
  var fields: [String: Detail] {
    var fields = details
    fields["code"] = .text(code)
    fields["message"] = .text(message)
    return fields
  }

  /// What `print` writes, without the final newline.
  func rendered(json: Bool) -> String {
    guard json else { return text }
    let bytes = (try? PrettyJSONEncoder.encodeOrFallBack(["error": fields])) ?? []
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A command stopped by Ctrl-C or SIGTERM before it began to change anything.
  static let interruptedEarly = Report(
    status: .interrupted, code: "interrupted", message: "interrupted: nothing was changed.",
    text: "accord: interrupted: nothing was changed.")
}

extension Accord {
  /// Runs the command line, and ends the process with the status of what happened.
  ///
  /// Every error any command throws is reported here, once: ours through `Report`, and
  /// ArgumentParser's own (usage, help, version) as it words them, as JSON with `--json`.
  public static func commandLine() async {
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
        try command.run()
      } else {
        var command = try parseAsRoot(arguments)
        // `serve` runs as a service; every other command is plain, synchronous work. The root
        // is an AsyncParsableCommand only so that `serve` may be one; its own run is help.
        if var service = command as? AsyncParsableCommand, !(command is Accord) {
          try await service.run()
        } else {
          try command.run()
        }
      }
      status = .success
    } catch {
      status = report(error, json: json, arguments: arguments)
    }
    Foundation.exit(status.rawValue)
  }

  /// The options every command shares (`--workspace`, `--by`, `--json`), when given before
  /// the command's name (`accord --workspace DIR survey import ...`), moved to just after
  /// it, where ArgumentParser reads them. Anything else is left for ArgumentParser to judge.
  static func globalOptionsAfterCommand(_ arguments: [String]) -> [String] {
    guard let first = arguments.first, first.hasPrefix("--") else { return arguments }
    let takesValue: Set<String> = ["--workspace", "--by"]
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

/// A command line that parsed but cannot be used, found once the command runs.
struct UsageError: Error {
  var message: String
  /// A line on where to read more, printed below the message.
  var hint: String?

  init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }
}

/// A file or name on the command line that cannot be used.
struct FileProblem: Error, CustomStringConvertible {
  var path: String
  var problem: String
  var status: ExitStatus
  /// A stable name for programs, such as `no-such-file`.
  var code: String
  var suggestion: String?

  init(path: String, problem: String, status: ExitStatus, code: String, suggestion: String? = nil) {
    self.path = path
    self.problem = problem
    self.status = status
    self.code = code
    self.suggestion = suggestion
  }

  var description: String { "\(path): \(problem)" + didYouMean(suggestion) }
}

/// Writes a line to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The name a command is typed as.
private func commandName(_ command: any ParsableCommand.Type) -> String {
  command._commandName
}
