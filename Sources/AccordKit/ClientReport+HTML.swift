import CollaborationBenchmark
import Foundation
import OpportunityCalculator
import PlaybookSpec
import ProgrammeEngine

/// The report as one self-contained HTML document: inline CSS (with rules for printing on
/// A4), inline SVG charts each followed by a table of its figures (the table is what a
/// screen reader reads; the chart is `role="img"` with a title naming it), and nothing
/// fetched from anywhere: no scripts, fonts, images or links to other sites.
///
/// Every piece of stored text (names, titles, notes, terms) is escaped, in the HTML and in
/// the SVG alike: a URL someone typed into a note is shown as text, never made a link.
extension ClientReport {
  package func html() -> String {
    var document = HTMLDocument()
    let title = "Client report: " + programme.headline
    document.lines += [
      "<!DOCTYPE html>",
      "<html lang=\"en\">",
      "<head>",
      "<meta charset=\"utf-8\">",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
      "<title>\(escape(title))</title>",
      "<style>\(Self.css)</style>",
      "</head>",
      "<body>",
      "<header>",
      "<h1>\(escape(title))</h1>",
      "<p class=\"lede\">As of \(asOf). Playbook \(escape(programme.playbook.id)) v\(escape("\(programme.playbook.version)")); "
        + "\(programme.history.count) event\(programme.history.count == 1 ? "" : "s") in the client's history.</p>",
      "</header>",
      "<main>",
    ]
    standing(&document)
    gates(&document)
    benchmark(&document)
    opportunitySection(&document)
    metrics(&document)
    document.lines += [
      "</main>",
      "<footer><p>Written by accord from the client's history, as of \(asOf). Every chart is followed by a table "
        + "of its figures.</p></footer>",
      "</body>",
      "</html>",
    ]
    return document.lines.joined(separator: "\n") + "\n"
  }

  // MARK: Where the programme stands

  private func standing(_ document: inout HTMLDocument) {
    let playbook = programme.playbook
    let stages = programme.stageStates()
    let total = playbook.stages.reduce(0) { $0 + $1.milestones.count }
    let done = playbook.stages.reduce(0) { sum, stage in sum + stage.milestones.count { programme.isDone($0.id) } }
    let current = stages.firstIndex { $0 != .complete }
    let overdue = overdue
    document.lines.append("<section aria-labelledby=\"standing\">")
    document.lines.append("<h2 id=\"standing\">Where the programme stands</h2>")
    var summary =
      current.map { "Stage \($0 + 1) of \(stages.count): \(escape(playbook.stages[$0].title)) (\(stages[$0].rawValue))." }
      ?? "Every stage is complete."
    summary += " \(programme.progress)% done: \(done) of \(total) milestones."
    if programme.isSustaining { summary += " The programme is sustaining its gains." }
    if let archived = programme.archived {
      summary += " Archived \(escape(Timestamp.format(archived.at))) by \(escape(archived.by))."
    }
    summary +=
      overdue.isEmpty
      ? " Nothing is overdue." : " \(overdue.count) item\(overdue.count == 1 ? " is" : "s are") overdue."
    document.lines.append("<p>\(summary)</p>")
    document.bars(
      title: "Milestones done by stage",
      bars: zip(playbook.stages, stages).map { stage, _ in
        let count = stage.milestones.count
        let finished = stage.milestones.count { programme.isDone($0.id) }
        return Bar(label: stage.title, value: count == 0 ? nil : 100 * Double(finished) / Double(count))
      },
      scale: .percent,
      header: ["Stage", "Milestones done (%)"])

    document.lines.append("<h3>Stages</h3>")
    var stageTable = HTMLTable(caption: "Each stage, its state and its target date", header: ["Stage", "Title", "State", "Target"])
    for (stage, state) in zip(playbook.stages, stages) {
      stageTable.rows.append([stage.id, stage.title, state.rawValue, phrase(stage.id)])
    }
    document.table(stageTable)

    document.lines.append("<h3>Milestones</h3>")
    var milestones = HTMLTable(
      caption: "Each milestone, its owner, its state and when it was done or is due",
      header: ["Stage", "Milestone", "Owner", "State", "Done or due"])
    for stage in playbook.stages {
      for milestone in stage.milestones {
        let state = programme.state(ofMilestone: milestone.id, stages: stages)?.rawValue ?? ""
        let owner = milestone.owner.id + " (" + (programme.assignments[milestone.owner.id] ?? "unassigned") + ")"
        var when = phrase(milestone.id)
        if let completion = programme.completion(of: milestone.id) {
          when = "done by \(completion.actor) on \(Timestamp.format(completion.at).prefix(10))"
            + TextOutput.actingFor(completion, naming: false)
        }
        milestones.rows.append([stage.id, milestone.title + " (" + milestone.id + ")", owner, state, when])
      }
    }
    document.table(milestones)

    document.lines.append("<h3>Overdue</h3>")
    if overdue.isEmpty {
      document.lines.append("<p>Nothing is overdue on \(asOf).</p>")
    } else {
      var table = HTMLTable(caption: "What is overdue on \(asOf)", header: ["Kind", "Item", "Due", "Days overdue"])
      for due in overdue {
        table.rows.append([due.kind.rawValue, itemTitle(due.item, kind: due.kind), due.date.description, "\(-due.daysLeft(from: dates.today))"])
      }
      document.table(table)
    }
    let upcoming = upcoming
    if !upcoming.isEmpty {
      document.lines.append("<h3>Coming up</h3>")
      var table = HTMLTable(caption: "What has a date still ahead", header: ["Kind", "Item", "Due", "Days left"])
      for due in upcoming {
        table.rows.append([due.kind.rawValue, itemTitle(due.item, kind: due.kind), due.date.description, "\(due.daysLeft(from: dates.today))"])
      }
      document.table(table)
    }
    document.lines.append("</section>")
  }

  private func phrase(_ item: String) -> String {
    dates[item].map { ItemDates.phrase($0, today: dates.today) } ?? ""
  }

  /// An item's title with its id, for the tables of dates.
  private func itemTitle(_ item: String, kind: DueDate.Kind) -> String {
    let playbook = programme.playbook
    let title: String? =
      switch kind {
      case .stage: playbook.stages.first { $0.id == item }?.title
      case .milestone: playbook.stages.lazy.flatMap(\.milestones).first { $0.id == item }?.title
      case .agreement: playbook.stages.lazy.flatMap(\.agreements).first { $0.id == item }?.title
      case .metric: playbook.metrics.first { $0.id == item }.map { "next reading of " + $0.title }
      case .review: "review of a metric off track"
      }
    return title.map { "\($0) (\(item))" } ?? item
  }

  // MARK: Gates and signatures

  private func gates(_ document: inout HTMLDocument) {
    let playbook = programme.playbook
    document.lines.append("<section aria-labelledby=\"gates\">")
    document.lines.append("<h2 id=\"gates\">Gates and signatures</h2>")
    var gateTable = HTMLTable(caption: "Each stage's gate and what it waits for", header: ["Stage", "Gate", "Waits for"])
    for stage in playbook.stages {
      guard let gate = stage.gate else { continue }
      let hold = programme.hold(on: gate)
      var waits = hold.agreements.map { unsigned in
        "\(unsigned.agreement): " + (unsigned.roles.isEmpty ? "" : "signatures of " + unsigned.roles.joined(separator: ", "))
          + (unsigned.acknowledgements.isEmpty ? "" : " acknowledged: " + TeamProgress.summary(unsigned.acknowledgements))
          + (unsigned.unaffirmed.isEmpty ? "" : " affirmation by " + unsigned.unaffirmed.joined(separator: ", "))
      }
      waits += hold.milestones.map { "milestone \($0)" }
      let names = gate.agreements.map(\.id) + gate.milestones.map(\.id) + gate.affirmed.map { "\($0.id) affirmed" }
      gateTable.rows.append([
        stage.id, names.joined(separator: ", ") + (hold.isEmpty ? " (open)" : " (closed)"),
        waits.isEmpty ? "nothing: open" : waits.joined(separator: "; "),
      ])
    }
    if gateTable.rows.isEmpty {
      document.lines.append("<p>The playbook sets no gates.</p>")
    } else {
      document.table(gateTable)
    }
    for stage in playbook.stages {
      for agreement in stage.agreements {
        let state = programme.state(ofAgreement: agreement.id)?.rawValue ?? ""
        document.lines.append("<h3>\(escape(agreement.title)) (\(escape(agreement.id)))</h3>")
        var facts = "Stage \(escape(stage.id)); \(escape(state)); terms <code>\(escape(agreement.termsHash))</code>"
        let due = phrase(agreement.id)
        if !due.isEmpty { facts += "; " + escape(due) }
        document.lines.append("<p>\(facts).</p>")
        let standings = Dictionary(
          programme.standings(of: agreement.id).map { ($0.signature.role, $0) }, uniquingKeysWith: { first, _ in first })
        var table = HTMLTable(
          caption: "Who signed \(agreement.id), when, on which terms, and who holds each role now",
          header: ["Role", "Signed by", "On behalf", "At (UTC)", "Terms signed", "Holds the role now", "Affirmed"])
        for role in agreement.signatories.map(\.id) {
          guard let standing = standings[role] else {
            table.rows.append([role, "not signed", "", "", "", programme.assignments[role] ?? "nobody", ""])
            continue
          }
          let signature = standing.signature
          var behalf: [String] = []
          if let holder = signature.holder { behalf.append("for \(holder), as their delegate") }
          if let enteredBy = signature.enteredBy {
            behalf.append("entered by \(enteredBy)")
            if let evidence = signature.evidence { behalf.append("evidence \(evidence.name), sha256 \(evidence.sha256)") }
          }
          let terms = signature.terms.map { $0 + (signature.isStale ? " (other terms: stale, must sign again)" : "") } ?? "not recorded"
          table.rows.append([
            role, signature.person, behalf.joined(separator: "; "), Timestamp.format(signature.at), terms,
            standing.holder ?? "nobody", affirmed(standing),
          ])
        }
        document.table(table)
        let progress = programme.acknowledgementProgress(of: agreement.id)
        if !progress.isEmpty {
          // Counts only: who has or has not acknowledged is the roster keepers' to see.
          var acknowledged = HTMLTable(
            caption: "Acknowledgements of \(agreement.id) by team: " + TeamProgress.summary(progress),
            header: ["Team", "Acknowledged", "On the roster", "Needed", "Reached"])
          for team in progress {
            acknowledged.rows.append([
              team.team, "\(team.acknowledged)", "\(team.members)", "\(team.needed) (\(team.quorum))", team.isReached ? "yes" : "no",
            ])
          }
          document.table(acknowledged)
        }
      }
    }
    document.lines.append("</section>")
  }

  /// Whether the holder now stands behind a signature, in words.
  private func affirmed(_ standing: SignatureStanding) -> String {
    if standing.signature.isStale { return "" }
    if standing.holder == standing.signedFor { return "signed by the holder" }
    guard let holder = standing.holder else { return "nobody holds the role now" }
    if let affirmation = standing.affirmation, affirmation.person == holder {
      return "affirmed by \(holder) at \(Timestamp.format(affirmation.at))"
    }
    return "signed by a predecessor; not affirmed by \(holder)"
  }

  // MARK: Benchmark

  private func benchmark(_ document: inout HTMLDocument) {
    document.lines.append("<section aria-labelledby=\"benchmark\">")
    document.lines.append("<h2 id=\"benchmark\">Collaboration benchmark</h2>")
    defer { document.lines.append("</section>") }
    guard let measurement else {
      document.lines.append("<p>No survey round counts yet: import one with accord survey import.</p>")
      return
    }
    let result = measurement.benchmark
    let round = measurement.round
    var lede = "Round \(escape(round.name)), imported \(escape(Timestamp.format(round.at))) by \(escape(round.by)): "
      + "\(result.respondents) respondents."
    if let comparison = measurement.comparison {
      lede += " Compared with round \(escape(comparison.baseline.name))."
    }
    document.lines.append("<p>\(lede)</p>")
    let charts = BenchmarkCharts(measurement)
    if let nothing = charts.nothingShown {
      document.lines.append("<p>\(escape(nothing))</p>")
      document.lines.append("<p class=\"note\">\(escape(charts.anonymity))</p>")
      return
    }
    var headline = "Collaboration index: <strong>\(Figures.index(result.index))</strong> of 100"
    if let change = measurement.comparison?.1.index?.change {
      headline += " (\(Figures.change(change)) since round \(escape(measurement.comparison?.baseline.name ?? "")))"
    }
    document.lines.append("<p>\(headline).</p>")

    for section in charts.sections {
      document.lines.append("<h3>\(escape(section.heading))</h3>")
      if let lede = section.lede { document.lines.append("<p>\(escape(lede))</p>") }
      for chart in section.charts { document.bars(chart) }
    }

    document.lines.append("<h3>Bottlenecks and low-hanging fruit</h3>")
    document.lines.append("<ul>" + charts.findings.map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
    // The rule, never the names of the groups it hides: a name alone says someone answered.
    document.lines.append("<p class=\"note\">\(escape(charts.anonymity))</p>")
  }

  // MARK: Opportunity

  private func opportunitySection(_ document: inout HTMLDocument) {
    document.lines.append("<section aria-labelledby=\"opportunity\">")
    document.lines.append("<h2 id=\"opportunity\">The opportunity</h2>")
    defer { document.lines.append("</section>") }
    guard let stored = opportunity else {
      document.lines.append("<p>No opportunity inputs are stored yet: set them with accord opportunity.</p>")
      return
    }
    let (result, setting) = (stored.result, stored.setting)
    document.lines.append(
      "<p>Inputs set \(escape(Timestamp.format(setting.at))) by \(escape(setting.by)).</p>")
    document.table(result.table)
    document.lines += result.conclusions.map { "<p>\(escape($0))</p>" }
  }

  // MARK: Metrics

  private func metrics(_ document: inout HTMLDocument) {
    document.lines.append("<section aria-labelledby=\"metrics\">")
    document.lines.append("<h2 id=\"metrics\">Metrics</h2>")
    defer { document.lines.append("</section>") }
    let statuses = programme.metricStatuses()
    guard !statuses.isEmpty else {
      document.lines.append("<p>The client's playbook defines no metrics.</p>")
      return
    }
    for status in statuses {
      let metric = status.metric
      document.lines.append("<h3>\(escape(metric.title)) (\(escape(metric.id)))</h3>")
      var facts = [
        "\(metric.better.rawValue) is better",
        "baseline " + (status.baseline.map { "\(metric.format($0.value)) on \($0.date)" } ?? "none yet"),
        "latest " + (status.latest.map { "\(metric.format($0.value)) on \($0.date)" } ?? "none yet"),
      ]
      if let target = status.target {
        facts.append(
          "target \(metric.format(target)) (" + (status.isAgreed ? "agreed" : "not yet agreed")
            + " in \(status.agreement ?? ""))")
      }
      if let onTrack = status.isOnTrack { facts.append(onTrack ? "on track" : "off track") }
      if status.needsReview { facts.append("the czar reviews it with both teams") }
      let due = phrase(metric.id)
      if !due.isEmpty { facts.append("next reading " + due) }
      document.lines.append("<p>\(escape(facts.joined(separator: "; "))).</p>")
      guard !status.readings.isEmpty else {
        document.lines.append("<p>No readings yet.</p>")
        continue
      }
      var table = HTMLTable(
        caption: "Readings of \(metric.id)" + (status.target.map { ", target \(metric.format($0))" } ?? ""),
        header: ["Date", "Value", "Against the target", "Recorded by"])
      for (reading, onTrack) in zip(status.readings, status.onTrack) {
        var mark = reading == status.baseline ? "baseline" : ""
        if let onTrack { mark = onTrack ? "on track" : "off track" }
        table.rows.append([reading.date.description, metric.format(reading.value), mark, reading.by])
      }
      document.line(
        title: "\(metric.title): readings against baseline and target",
        points: status.readings.map { ($0.date, $0.value.value) },
        baseline: status.baseline?.value.value, target: status.target?.value, table: table)
    }
  }

  private func escape(_ text: String) -> String { HTMLDocument.escape(text) }

  /// The stylesheet: calm on screen, and on paper A4 with sections kept whole where they fit.
  static let css = """
    :root{color-scheme:light}
    body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:0 auto;max-width:60rem;padding:1.5rem}
    h1{font-size:1.6rem;margin:0 0 .25rem}
    h2{font-size:1.3rem;border-bottom:2px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
    h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
    .lede,.note{color:#57606a}
    table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
    caption{text-align:left;font-weight:600;padding:.25rem 0}
    th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
    th{background:#f6f8fa}
    code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em;overflow-wrap:anywhere}
    figure{margin:1rem 0}
    svg{max-width:100%;height:auto;display:block}
    .bar{fill:#0969da}.bar.negative{fill:#cf222e}.axis{stroke:#57606a;stroke-width:1}
    .grid{stroke:#d0d7de;stroke-width:1}.label{font-size:12px;fill:#1b1f24}.figure{font-size:11px;fill:#1b1f24}
    .reading{fill:none;stroke:#0969da;stroke-width:2}.point{fill:#0969da}
    .baseline{stroke:#57606a;stroke-width:1.5;stroke-dasharray:4 3}.target{stroke:#1a7f37;stroke-width:1.5;stroke-dasharray:8 4}
    @page{size:A4;margin:15mm}
    @media print{body{max-width:none;padding:0;font-size:10pt}h2{break-after:avoid}h3{break-after:avoid}figure,table{break-inside:avoid}th{background:#eee}}
    """
}
