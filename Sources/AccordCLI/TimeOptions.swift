import ArgumentParser
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension CalendarDate: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
}

/// `--as-of DATE`: the day to evaluate dates at, instead of today in the workspace's zone.
struct AsOfOption: ParsableArguments {
  @Option(
    name: .customLong("as-of"),
    help: ArgumentHelp(
      "Work out what is due and overdue as on this date (YYYY-MM-DD), for planning ahead.",
      discussion: "Defaults to today in the workspace's time zone (accord zone).",
      valueName: "date"))
  var asOf: CalendarDate?
}
