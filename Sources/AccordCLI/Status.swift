import AccordKit
import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord status`: every stage, milestone and agreement with its state.
  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Show every stage, milestone and agreement of a client with its state.",
      discussion: """
        Work with a date (the playbook's due, target and every, or a date set with accord \
        schedule) shows when it is due, how many days are left, or how long it is overdue, \
        judged on today in the workspace's time zone or on the day --as-of names.
        """)

    @OptionGroup var client: ClientArgument
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let desk = try Desk(workspace, command: "status")
      let (record, programme) = try desk.read(client.id)
      let dates = try desk.dates(of: programme, asOf: asOf.asOf)
      if output.json {
        try JSONOutput.print(StatusJSON(record: record, programme: programme, dates: dates))
      } else {
        emit(TextOutput().status(programme, sha256: record.playbook.sha256, revision: record.revision, dates: dates))
      }
    }
  }
}
