import AccordKit
import ArgumentParser
import Foundation
import ProgrammeEngine

extension Accord {
  /// `accord complete`: marks a milestone done.
  struct Complete: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "complete",
      abstract: "Mark a ready milestone done.",
      discussion: """
        Only a ready milestone can be completed (its stage open, the milestones it needs \
        done, its own gate open), and only by the person holding its owner role or the \
        client's czar, or their delegate (accord delegate). When it is not ready, the \
        refusal says what holds it.

        With --on-behalf-of PERSON --evidence FILE, the consultant or czar records that \
        PERSON completed it elsewhere: PERSON must be allowed to complete it, and the \
        event keeps who entered it, for whom, and the file's name and SHA-256.

        Recurring work is completed one occurrence at a time: complete says which \
        occurrence it completed and when it was due. An occurrence due more than \
        \(earlyDays) days from today is not completed without --early (on a terminal, \
        complete asks), so that running the command twice does not complete next \
        month's occurrence by mistake.
        """)

    /// How many days before its date an occurrence of recurring work may be completed
    /// without --early.
    static let earlyDays = 3

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The milestone's id.", valueName: "milestone"),
      completion: .custom(Completions.milestones))
    var milestone: String
    @Option(help: ArgumentHelp("A note kept with the event.", valueName: "text"))
    var note: String?
    @Flag(help: "Complete an occurrence of recurring work that is not due for a while yet.")
    var early = false
    @OptionGroup var onBehalf: OnBehalfOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let acting = try onBehalf.acting()
      let desk = try Desk(workspace, person: actor.person, command: "complete")
      var early = early
      if !early, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1,
        let current = try Self.currentOccurrence(of: milestone, in: desk.programme(client.id), desk: desk),
        let due = current.due, current.isEarly
      {
        FileHandle.standardError.write(
          Data("\(current.name) of '\(milestone)' is due \(due), in \(current.daysAhead) days. Complete it now? [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
          printError("Not completed; nothing changed.")
          throw CommandExit(status: .refused)
        }
        early = true
      }
      // Which occurrence this completes, and its date, as the programme stood under the lock.
      var completed: CurrentOccurrence?
      let (before, after) = try desk.apply(
        to: client.id, by: actor.person, note: note, acting: acting
      ) { programme in
        completed = try Self.currentOccurrence(of: milestone, in: programme, desk: desk)
        if let current = completed, let due = current.due, current.isEarly, !early {
          throw CommandRefusal.occurrenceEarly(
            milestone: milestone, occurrence: current.name, due: due, days: current.daysAhead)
        }
        return .completed(milestone: milestone)
      }
      let what = completed.map { "\($0.name) of '\(milestone)'" + ($0.due.map { " (due \($0))" } ?? "") }
        ?? "'\(milestone)'"
      var lines = ["Completed \(what)\(TextOutput.actingFor(after.history.last!))."]
      if completed != nil, let progress = after.recurrence(of: milestone) {
        lines.append(
          progress.current.map { "Occurrence \($0)" + (progress.times.map { " of \($0)" } ?? "") + " is next." }
            ?? "It recurs no more: '\(milestone)' is done.")
      }
      try ChangeJSON.show(
        lines + TextOutput().transitions(from: before, to: after),
        before: before, after: after, json: output.json, workspace: workspace)
    }

    /// "occurrence 2 of 6", or "occurrence 2" when the playbook does not fix their number.
    static func occurrence(_ number: Int, of progress: RecurrenceProgress) -> String {
      "occurrence \(number)" + (progress.times.map { " of \($0)" } ?? "")
    }

    /// The occurrence of recurring work that completing it now completes.
    struct CurrentOccurrence {
      /// "occurrence 2 of 6".
      var name: String
      /// Its date, when the client's work has dates.
      var due: CalendarDate?
      /// How many days from today it is due (negative when overdue); 0 without a date.
      var daysAhead: Int

      /// Due more than `earlyDays` from today: completing it now is more likely a second
      /// run than a plan.
      var isEarly: Bool { daysAhead > earlyDays }
    }

    /// The current occurrence of `milestone`, or nil when it does not recur (or recurs no
    /// more). The workspace's settings are read only for a client whose work has dates.
    static func currentOccurrence(of milestone: String, in programme: Programme, desk: Desk) throws
      -> CurrentOccurrence?
    {
      guard let progress = programme.recurrence(of: milestone), let current = progress.current else { return nil }
      let dates = try desk.dates(of: programme)
      let due = dates[milestone]?.date
      return CurrentOccurrence(
        name: occurrence(current, of: progress), due: due, daysAhead: due.map { dates.today.days(until: $0) } ?? 0)
    }
  }
}
