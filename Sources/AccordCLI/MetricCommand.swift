import AccordKit
import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine

extension Accord {
  /// `accord metric`: readings of the metrics a client's teams agreed to live by.
  struct MetricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "metric",
      abstract: "Record and show readings of the metrics a client's teams agreed to live by.",
      discussion: """
        The metrics are defined in the client's playbook (metrics:), and an agreement may \
        commit to a target for each (targets:), signed with its terms. The first reading \
        before the targets are signed is the baseline, unless one is recorded with \
        --baseline. Once the targets are signed, a reading is on track when it meets its \
        target or is better than the reading before; two readings in a row off track ask \
        the czar to review the metric with both teams (accord next, accord agenda).
        """,
      subcommands: [Record.self, Show.self])
  }
}

extension Accord.MetricCommand {
  /// `accord metric record`: one reading of one metric.
  struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "record",
      abstract: "Record a reading of one of the client's metrics.",
      discussion: """
        The czar, the consultant, or the role the metric names (owner:) may record it. \
        The value must be a number the metric allows (a percentage 0 to 100, a whole \
        number for a count, within its min and max), written as 42 or 0.25 (a negative one after --, as in -- -3). A later \
        reading for the same day corrects the earlier one.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(help: ArgumentHelp("The metric's id, as the playbook names it.", valueName: "metric"))
    var metric: String
    @Argument(help: ArgumentHelp("The reading, such as 42 or 0.25.", valueName: "value"))
    var value: String
    @Option(help: ArgumentHelp("The day the reading is for, YYYY-MM-DD (default: today).", valueName: "date"))
    var date: CalendarDate?
    @Option(help: ArgumentHelp("Where the number came from.", valueName: "text"))
    var note: String?
    @Flag(help: "Record it as the baseline the later readings are measured against.")
    var baseline = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let desk = try Desk(workspace, person: actor.person, command: "metric record")
      let day = try date ?? desk.clock().today
      // The value as typed, made canonical when it is a number; anything else is the
      // engine's to refuse, with its reason.
      let text = Quantity(parsing: value)?.text ?? value
      let change = Change.metricRecorded(
        metric: metric, value: text, date: day.description, reading: baseline ? MetricReading.baselineMark : nil)
      let (before, after) = try desk.apply(change, to: client.id, by: actor.person, note: note)
      var lines: [String] = []
      if let status = after.metricStatus(of: metric), let reading = status.readings.first(where: { $0.date == day }) {
        lines.append("Recorded \(status.metric.format(reading.value)) for '\(metric)' on \(day).")
        if reading == status.baseline { lines.append("It is the baseline.") }
        if let onTrack = status.isOnTrack, status.latest == reading {
          lines.append(
            onTrack
              ? "On track for the target of \(status.metric.format(status.target!))."
              : "Off track for the target of \(status.metric.format(status.target!))"
                + (status.needsReview ? ": \(status.offTrackRun) readings in a row, so the czar reviews it with both teams." : "."))
        }
      }
      try ChangeJSON.show(
        lines + TextOutput().transitions(from: before, to: after), before: before, after: after, json: output.json,
        workspace: workspace)
    }
  }

  /// `accord metric show`: every metric of a client as it stands.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a client's metrics: baseline, readings, trend, target, and whether each is on track.")

    @OptionGroup var client: ClientArgument
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let desk = try Desk(workspace, command: "metric show")
      let programme = try desk.programme(client.id)
      let dates = try desk.dates(of: programme)
      let view = MetricsView(programme, dates: dates)
      if output.json {
        try JSONOutput.print(view)
      } else {
        emit(view.lines(programme, dates: dates))
      }
    }
  }
}
