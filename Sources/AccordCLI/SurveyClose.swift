import AccordKit
import AccordRemote
import ArgumentParser
import ProgrammeEngine
import WorkspaceStore

extension Accord.SurveyCommand {
  /// `accord survey close`: stops a round taking answers and records them.
  struct Close: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "close",
      abstract: "Close a survey round open on the web: its answers become the round's responses.",
      discussion: """
        The round takes no more answers; its answers are recorded as the round's \
        responses in one event (the same a CSV import records, so accord benchmark, the \
        pages and the API read them alike), under respondent ids given in a shuffled \
        order (w01, w02...), and the survey box is emptied. The consultant or the czar \
        closes a round. A round opened with --closes closes by itself after that day: \
        the next accord survey status or accord benchmark records it.
        """)

    @OptionGroup var client: ClientArgument
    @Option(help: ArgumentHelp("The round's name.", valueName: "name"))
    var round: String
    @Option(help: ArgumentHelp("A note kept with the event.", valueName: "text"))
    var note: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let (before, after): (Programme, Programme)
      if let session = RemoteSession.current {
        (before, after) = try closeOnServer(session)
      } else {
        let desk = try Desk(workspace, person: actor.person, command: "survey close")
        (before, after) = try SurveyWeb.close(client.id, round: round, by: actor.person, note: note, on: desk)
      }
      let count = after.surveyRounds.last { $0.name == round }?.responses.count ?? 0
      let lines = [
        "Closed round '\(round)': \(count) answer\(count == 1 ? "" : "s") recorded as its responses.",
        "`accord benchmark \(client.id.rawValue) --round \(round)` measures it.",
      ]
      try ChangeJSON.show(lines, before: before, after: after, json: output.json, workspace: workspace)
    }

    /// On a remote, the server closes the round: its answers are in the server's survey box.
    /// Online only. The copy is brought up to date, and the closing is shown from it, as the
    /// programme stood before and after the event the server made.
    private func closeOnServer(_ session: RemoteSession.Session) throws -> (Programme, Programme) {
      try RemoteSession.check(person: actor.person, on: session)
      let made = try RemoteSession.onServer(session) {
        "a survey round is closed on \(session.name)'s server, which holds its answers, and it cannot be reached "
          + "(\($0)): run accord survey close again once it can"
      } _: { [client, round, note] in
        try await $0.closeSurvey(client.id.rawValue, round: round, note: note)
      }
      let desk = try Desk(workspace, person: actor.person, command: "survey close")
      let (record, programme) = try desk.read(client.id)
      let compiled = desk.workspace?.compiled
      guard let position = programme.position(ofEventID: made),
        let before = record.programme(after: position, compiled: compiled),
        let after = record.programme(after: position + 1, compiled: compiled)
      else {
        throw CommandRefusal(
          code: "not-synced",
          description: "round '\(round)' was closed on \(session.name)'s server, but this laptop's copy could not be "
            + "brought up to date to show it: run accord sync")
      }
      return (before, after)
    }
  }
}
