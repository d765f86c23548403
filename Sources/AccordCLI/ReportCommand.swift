import AccordKit
import ArgumentParser
import Foundation
import ProgrammeEngine

extension Accord {
  /// `accord report`: the client report, one HTML file to hand the client.
  struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: "Write the client report: one self-contained HTML file.",
      discussion: """
        Where the programme stands (stages, milestones, dates and what is overdue), each \
        gate and agreement with who signed, when, on which terms (hash), for whom and who \
        holds the role now, the teams' acknowledgements as counts, the benchmark of the \
        latest survey round (index by dimension and team, perception gaps, the change since \
        the first round) under the same anonymity rule as `accord benchmark`, the \
        opportunity calculation, and each metric's readings against baseline and target. \
        Charts are inline SVG, each followed by a table of its figures; the file fetches \
        nothing and prints on A4. The same client on the same --as-of gives the same bytes. \
        Written to standard output unless --out FILE; an existing FILE is only replaced \
        with --force. The server shows the same report at /clients/CLIENT/report.
        """)

    @OptionGroup var client: ClientArgument
    @Option(
      help: ArgumentHelp("Write the report to this file instead of printing it.", valueName: "file"),
      completion: .file())
    var out: String?
    @Flag(help: "Replace --out FILE if it exists.")
    var force = false
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      try OutputFile.checkForce(force, out: out)
    }

    func run() throws {
      // Refused before anything is read or closed: a file that may not be replaced.
      if let out { try OutputFile(path: out, force: force).checkWritable() }
      let desk = try Desk(workspace, command: "report")
      // A round past its last day is closed first, as `accord benchmark` closes it, so the
      // report measures what the benchmark measures.
      // Not on a remote's copy: the server closes its rounds, and sync brings the closing.
      if RemoteSession.current == nil { try SurveyWeb.closeDue(client.id, on: desk) }
      let programme = try desk.programme(client.id)
      let clock = try desk.clock(asOf: asOf.asOf)
      let dates = programme.hasDates ? ItemDates.of(programme, clock: clock) : .none
      let text = ClientReport(programme: programme, dates: dates, asOf: clock.today).html()
      guard let out else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
      }
      try OutputFile(path: out, force: force).write(text)
      emit(["Wrote \(out): the client report of \(programme.headline), as of \(clock.today)."])
    }
  }
}
