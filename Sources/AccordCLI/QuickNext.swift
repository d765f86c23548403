import ArgumentParser
import ProgrammeEngine
import WorkspaceStore

/// `accord next`, the command everyone runs most, read without ArgumentParser when its
/// command line is one of the plain forms: ArgumentParser builds its whole argument model by
/// reflection on every run, which is most of what `next` costs beyond starting the process
/// (docs/benchmarks.md). Anything but the plain forms (help, a mistake, an unknown or repeated
/// option, `--`, a value that looks like an option) is left to ArgumentParser, so what a
/// person sees for those is exactly what it says; `QuickNextTests` holds the two readings to
/// the same command for every form this one takes.
enum QuickNext {
  /// The command `arguments` (without the program's name) ask for, or nil to leave them
  /// to ArgumentParser.
  static func parse(_ arguments: [String]) -> Accord.Next? {
    guard arguments.first == "next" else { return nil }
    var client: ClientID?
    var values: [String: String] = [:]
    var flags: Set<String> = []
    var rest = arguments.dropFirst()[...]
    while let word = rest.popFirst() {
      switch word {
      case "--json", "--long":
        guard flags.insert(word).inserted else { return nil }
      case "--workspace", "--role", "--person", "--as-of":
        guard values[word] == nil, let value = rest.popFirst(), !value.hasPrefix("-") else { return nil }
        values[word] = value
      default:
        guard !word.hasPrefix("-"), client == nil, let id = try? ClientID(word) else { return nil }
        client = id
      }
    }
    guard let client, values["--role"] == nil || values["--person"] == nil else { return nil }
    var asOf: CalendarDate?
    if let text = values["--as-of"] {
      guard let date = CalendarDate(parsing: text) else { return nil }
      asOf = date
    }
    var next = Accord.Next()
    next.client = ClientArgument()
    next.client.id = client
    next.role = values["--role"]
    next.person = values["--person"]
    next.long = flags.contains("--long")
    next.asOf = AsOfOption()
    next.asOf.asOf = asOf
    next.output = OutputOptions()
    next.output.json = flags.contains("--json")
    next.workspace = WorkspaceOptions()
    next.workspace.workspace = values["--workspace"]
    return next
  }
}
