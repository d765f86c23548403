import ArgumentParser
import ProgrammeEngine
import WorkspaceStore

/// `accord next` and `accord status`, the commands people run most, read without
/// ArgumentParser when their command line is one of the plain forms: ArgumentParser builds
/// its whole argument model by reflection on every run, which is most of what `next` costs
/// beyond starting the process (docs/benchmarks.md). Anything but the plain forms (help, a
/// mistake, an unknown or repeated option, `--`, a value that looks like an option) is left
/// to ArgumentParser, so what a person sees for those is exactly what it says;
/// `QuickNextTests` holds the two readings to the same command for every form this one takes.
enum QuickNext {
  /// The command `arguments` (without the program's name) ask for, with its workspace
  /// options (checked before it runs), or nil to leave them to ArgumentParser.
  static func parse(_ arguments: [String]) -> (command: any ParsableCommand, workspace: WorkspaceOptions)? {
    switch arguments.first {
    case "next": next(arguments).map { ($0, $0.workspace) }
    case "status": status(arguments).map { ($0, $0.workspace) }
    default: nil
    }
  }

  /// `next CLIENT [--json] [--long] [--workspace DIR] [--role ROLE | --person NAME] [--as-of DATE]`.
  static func next(_ arguments: [String]) -> Accord.Next? {
    guard let line = Line(arguments, flags: ["--json", "--long"], options: ["--workspace", "--role", "--person", "--as-of"]),
      line.values["--role"] == nil || line.values["--person"] == nil
    else { return nil }
    var next = Accord.Next()
    next.client = line.client
    next.role = line.values["--role"]
    next.person = line.values["--person"]
    next.long = line.flags.contains("--long")
    next.asOf = line.asOf
    next.output = line.output
    next.workspace = line.workspace
    return next
  }

  /// `status CLIENT [--json] [--workspace DIR] [--as-of DATE]`.
  static func status(_ arguments: [String]) -> Accord.Status? {
    guard let line = Line(arguments, flags: ["--json"], options: ["--workspace", "--as-of"]) else { return nil }
    var status = Accord.Status()
    status.client = line.client
    status.asOf = line.asOf
    status.output = line.output
    status.workspace = line.workspace
    return status
  }

  /// A command line of one client id, each flag at most once and each option at most once
  /// with a value that does not look like an option.
  private struct Line {
    var client = ClientArgument()
    var flags: Set<String> = []
    var values: [String: String] = [:]
    var asOf = AsOfOption()
    var output = OutputOptions()
    var workspace = WorkspaceOptions()

    init?(_ arguments: [String], flags known: Set<String>, options: Set<String>) {
      var id: ClientID?
      var rest = arguments.dropFirst()[...]
      while let word = rest.popFirst() {
        if known.contains(word) {
          guard flags.insert(word).inserted else { return nil }
        } else if options.contains(word) {
          guard values[word] == nil, let value = rest.popFirst(), !value.hasPrefix("-") else { return nil }
          values[word] = value
        } else {
          guard !word.hasPrefix("-"), id == nil, let parsed = try? ClientID(word) else { return nil }
          id = parsed
        }
      }
      guard let id else { return nil }
      client.id = id
      asOf.asOf = nil
      if let text = values["--as-of"] {
        guard let date = CalendarDate(parsing: text) else { return nil }
        asOf.asOf = date
      }
      output.json = flags.contains("--json")
      workspace.workspace = values["--workspace"]
      // --database is ArgumentParser's to read; $ACCORD_DATABASE is read when the command runs.
      workspace.database = nil
      // --remote is ArgumentParser's too; $ACCORD_REMOTE and accord remote use are read when the options are checked.
      workspace.remote = nil
    }
  }
}
