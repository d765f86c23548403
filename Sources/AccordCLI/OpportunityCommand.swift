import AccordKit
import ArgumentParser
import OpportunityCalculator
import ProgrammeEngine
import PlaybookSpec
import WorkspaceStore

extension Accord {
  /// `accord opportunity`: what misalignment costs, as the article's sample calculation.
  struct OpportunityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "opportunity",
      abstract: "Calculate what misalignment costs: marketing waste, in money and people.",
      discussion: """
        The article's sample calculation row by row: salaries total, the share of \
        marketing time on content and the share of that sales never uses, the ancillary \
        cost of unused collateral, the marketing productivity opportunity a year and in \
        full-time equivalents; with --sales-staff and --sales-cost-per-head, the selling \
        time lost to looking for content and what winning it back is worth. Percentages \
        are numbers from 0 to 100; money may be written 60000, 60,000 or 60_000.

        With a CLIENT, the inputs given are stored on the client (an event, so `accord \
        log` shows who set them and `accord status` shows them) over the ones stored \
        before; with no inputs, the stored ones are shown. Without a CLIENT, nothing is \
        stored. Defaults: --unused-share 75 (IDC: only 25% of marketing content is used), \
        --ancillary 0, --search-share 20 (research says 20-30%), --recovered-share 50, \
        --profit-multiplier 4 (a 5% sales productivity gain can lift profit by 20%).

        When the client's playbook maps metrics to inputs (opportunity: on a metric) and \
        readings of them are recorded, the calculation is shown again with those inputs \
        taken from the metrics' baseline and from their latest reading.
        """)

    @Argument(
      help: ArgumentHelp("The client to store the inputs on or read them from.", valueName: "client"),
      completion: .custom(Completions.clients), transform: ClientID.parse)
    var client: ClientID?
    @OptionGroup var inputs: OpportunityOptions
    @Option(help: ArgumentHelp("A note kept with the event.", valueName: "text"))
    var note: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      if client == nil { _ = try inputs.merged(over: nil) }
    }

    func run() throws {
      guard let client else {
        try show(try merged(over: nil), title: nil, setting: nil, programme: nil)
        return
      }
      let id = client
      let person = actor.person
      let desk = try Desk(workspace, person: person, command: "opportunity")
      let programme = try desk.programme(id)
      let title = programme.headline
      let stored = programme.opportunity
      guard inputs.givesAny else {
        guard let stored else {
          throw FileProblem(
            path: id.rawValue,
            problem: "no opportunity inputs are stored yet; give them as options (see --help)",
            status: .noInput, code: "no-opportunity-inputs")
        }
        try show(stored.inputs, title: title, setting: stored, programme: programme)
        return
      }
      let wanted = try merged(over: stored?.inputs)
      if wanted == stored?.inputs {
        try show(wanted, title: title, setting: stored, programme: programme)
        return
      }
      let (_, after) = try desk.apply(to: id, by: person, note: note) { programme in
        .opportunitySet(try inputs.merged(over: programme.opportunity?.inputs))
      }
      if !output.json { emit(["Stored the opportunity inputs on \(id.rawValue).", ""]) }
      try show(after.opportunity?.inputs ?? wanted, title: title, setting: after.opportunity, programme: after)
    }

    /// The inputs, or a usage error with what is missing or wrong. A `ValidationError`
    /// from `run()` would be shown with the root command's usage, which would mislead.
    private func merged(over stored: OpportunityInputs?) throws -> OpportunityInputs {
      do {
        return try inputs.merged(over: stored)
      } catch let error as ValidationError {
        throw UsageError(error.message, hint: "See 'accord opportunity --help' for every input.")
      }
    }

    private func show(_ inputs: OpportunityInputs, title: String?, setting: OpportunitySetting?, programme: Programme?)
      throws
    {
      let result = Opportunity(inputs)
      // The same calculation with the inputs the playbook maps to metrics taken from their
      // readings: at the baseline, and at the latest reading.
      let points = MetricPoint.allCases.compactMap { point in
        programme?.opportunityInputs(over: inputs, at: point).map { (point, $0.inputs, $0.readings) }
      }
      if output.json {
        var json = OpportunityJSON(client: client?.rawValue, result: result, setting: setting)
        if !points.isEmpty {
          json.metrics = points.map { point, inputs, readings in
            OpportunityJSON.AtMetrics(
              point: point.rawValue, readings: readings.map { .init(metric: $0.metric.id, value: $0.reading.value.text, date: $0.reading.date.description) },
              result: Opportunity(inputs))
          }
        }
        try JSONOutput.print(json)
      } else {
        var lines = TextOutput().opportunity(result, title: title, setting: setting)
        for (point, inputs, readings) in points {
          let read = readings.map { "\($0.metric.id) \($0.metric.format($0.reading.value)) on \($0.reading.date)" }
          lines += ["", "At the metrics' \(point == .baseline ? "baseline" : "latest reading") (\(read.joined(separator: ", "))):", ""]
          lines += TextOutput().opportunity(Opportunity(inputs), title: nil, setting: nil)
        }
        emit(lines)
      }
    }
  }
}
