import AccordKit
import AccordRemote
import ArgumentParser
import Foundation
import ProgrammeEngine

extension Accord.SurveyCommand {
  /// `accord survey status`: the client's rounds, open and closed.
  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Show a client's survey rounds: the open ones with their number of answers.",
      discussion: """
        Of a round open on the web only the number of answers is shown: nothing of what \
        they say until it is closed. A round whose last day (--closes) has passed is \
        closed first, and recorded. With --remote, the server answers, since the answers \
        wait in its survey box (online only); the copy is then brought up to date.
        """)

    @OptionGroup var client: ClientArgument
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let status: SurveyStatusJSON
      if let session = RemoteSession.current {
        // The answers are in the server's survey box: it counts them, and closes what is due.
        status = try RemoteSession.onServer(session) {
          "the answers to a survey round wait on \(session.name)'s server, and it cannot be reached (\($0)): "
            + "accord status shows the rounds as this laptop's copy holds them"
        } _: { [client] in
          try await $0.surveyStatus(client.id.rawValue)
        }
        RemoteSession.catchUp(for: "survey status", person: session.person, json: output.json)
      } else {
        let desk = try Desk(workspace, command: "survey status")
        let closed = try SurveyWeb.closeDue(client.id, on: desk)
        let programme = try desk.programme(client.id)
        let counts = try SurveyWeb.counts(client.id, of: programme, on: desk)
        status = SurveyStatusJSON(programme, counts: counts, closedNow: closed)
      }
      let closed = status.closedNow
      if output.json {
        try JSONOutput.print(status)
        return
      }
      var lines = closed.map { "Closed round '\($0)': its last day had passed." }
      if status.rounds.isEmpty { lines.append("No survey round yet.") }
      var table = Table()
      for round in status.rounds {
        var state = round.state
        if round.state == "open" {
          state += round.links.map { ", \($0) single-use links" } ?? ", one shared link"
          if let closes = round.closes { state += ", closes after \(closes)" }
        }
        table.append([round.round, "\(round.answers) answer\(round.answers == 1 ? "" : "s")", state])
      }
      lines += table.render()
      AccordKit.emit(lines)
    }
  }
}
