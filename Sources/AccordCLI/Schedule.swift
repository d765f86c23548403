import AccordKit
import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord schedule`: sets or moves the date an item is due.
  struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "schedule",
      abstract: "Set or move the date a milestone, agreement or stage is due, with a reason.",
      discussion: """
        The date replaces the one the playbook's due or target gives (counted from when \
        the item became ready); for recurring work it is the date of the current \
        occurrence, the later ones following at the playbook's interval. Only the \
        client's consultant or czar may set dates. Dates are calendar dates in the \
        workspace's time zone (accord zone).

        With --cascade, every later item that waits for this one and has a date moves \
        by the same number of days, and each is listed. A date before today is refused \
        (it would make the work overdue at once, and is most often a mistyped year) \
        unless --force is given.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The milestone, agreement or stage.", valueName: "item"),
      completion: .custom(Completions.milestones))
    var item: String
    @Argument(help: ArgumentHelp("The new date, YYYY-MM-DD.", valueName: "date"))
    var date: CalendarDate
    @Option(help: ArgumentHelp("Why the date is set or moved (required).", valueName: "text"))
    var reason: String
    @Flag(help: "Move the later dated items that wait for this one by the same number of days.")
    var cascade = false
    @Flag(help: "Set a date before today (otherwise refused, as more likely a mistyped year).")
    var force = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      try requireReason(reason)
    }

    func run() throws {
      let desk = try Desk(workspace, person: actor.person, command: "schedule")
      let clock = try desk.clock()
      if date < clock.today, !force { throw CommandRefusal.dateInPast(item: item, date: date, today: clock.today) }
      var moved: [ChangeJSON.Moved] = []
      var previous: CalendarDate?
      let (before, after) = try desk.applyAll(to: client.id, by: actor.person, note: reason) { programme in
        moved = []
        let dates = programme.dueDates(in: clock.zone)
        previous = dates[item]?.date
        var changes: [Change] = [.scheduled(item: item, date: date.description)]
        guard cascade else { return changes }
        guard let from = previous else {
          try programme.checkItem(item)
          throw UsageError(
            "'\(item)' has no date yet, so there is nothing to move later items by; set its date without --cascade")
        }
        let shift = from.days(until: date)
        guard shift != 0 else { return changes }
        for dependent in programme.dependents(of: item) {
          guard let due = dates[dependent] else { continue }
          let to = due.date.adding(days: shift)
          moved.append(ChangeJSON.Moved(item: dependent, from: due.date.description, to: to.description))
          changes.append(.scheduled(item: dependent, date: to.description))
        }
        return changes
      }
      if output.json {
        var change = ChangeJSON(before: before, after: after, dates: .of(after, clock: clock))
        change.event = after.history[after.history.count - 1 - moved.count]
        change.moved = moved
        try JSONOutput.print(change)
      } else {
        let was = previous.map { from in
          let shift = from.days(until: date)
          return " (was \(from), " + (shift == 0 ? "unchanged" : "\(abs(shift)) day\(abs(shift) == 1 ? "" : "s") \(shift > 0 ? "later" : "earlier")") + ")"
        } ?? ""
        var lines = ["Set the date of '\(item)' to \(date)\(was)."]
        if !moved.isEmpty {
          lines.append("Moved with it:")
          var table = Table()
          for entry in moved { table.append(entry.item, "\(entry.from) -> \(entry.to)") }
          lines += table.render()
        } else if cascade {
          lines.append("Nothing later has a date to move.")
        }
        emit(lines)
      }
    }
  }

  /// `accord skip`: lets the current occurrence of recurring work go, with a reason.
  struct Skip: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "skip",
      abstract: "Skip the current occurrence of a recurring milestone, with a reason.",
      discussion: """
        A missed occurrence stays overdue until it is completed or skipped: skipping \
        records that it will not happen and why, and the next occurrence becomes the \
        current one. Whoever may complete the milestone may skip it.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The recurring milestone.", valueName: "milestone"),
      completion: .custom(Completions.milestones))
    var milestone: String
    @Option(help: ArgumentHelp("Why the occurrence is skipped (required).", valueName: "text"))
    var reason: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      try requireReason(reason)
    }

    func run() throws {
      let (before, after) = try Desk(workspace, person: actor.person, command: "skip")
        .apply(.skipped(milestone: milestone), to: client.id, by: actor.person, note: reason)
      let progress = after.recurrence(of: milestone)
      let skipped = (progress.map { $0.done + $0.skipped }) ?? 0
      let rest = progress.flatMap { progress in
        progress.current.map { "; " + Complete.occurrence($0, of: progress) + " is next" }
      } ?? "; it recurs no more"
      try ChangeJSON.show(
        ["Skipped occurrence \(skipped) of '\(milestone)'\(rest)."] + TextOutput().transitions(from: before, to: after),
        before: before, after: after, json: output.json, workspace: workspace)
    }
  }
}
