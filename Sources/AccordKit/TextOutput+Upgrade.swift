import ProgrammeEngine

extension TextOutput {
  /// `upgrade`: per client, what the new playbook changes and what became of it, then for
  /// `--all` how many moved.
  package func upgrade(
    _ outcomes: [UpgradeOutcome], to target: PlaybookVersion, all: Bool, dryRun: Bool, archived: Int = 0
  ) -> [String] {
    var lines: [String] = []
    for outcome in outcomes {
      if !lines.isEmpty { lines.append("") }
      lines += upgrade(outcome, to: target, dryRun: dryRun, all: all)
    }
    if all {
      if !lines.isEmpty { lines.append("") }
      lines += summary(outcomes, to: target, dryRun: dryRun, archived: archived)
    }
    return lines
  }

  private func upgrade(_ outcome: UpgradeOutcome, to target: PlaybookVersion, dryRun: Bool, all: Bool) -> [String] {
    let from = outcome.report?.from.map { "\($0)" } ?? "its playbook"
    var lines = [style.heading(outcome.client) + ": \(from) -> \(target)"]
    if case .current = outcome.result {
      return lines + ["  It runs this playbook text already: nothing to upgrade."]
    }
    if let report = outcome.report { lines += describe(report) }
    switch outcome.result {
    case .upgraded: lines.append("  Upgraded: \(outcome.client) now runs \(target).")
    case .wouldUpgrade: lines.append("  Dry run: it would be upgraded; nothing was changed.")
    // One client's refusal is reported on stderr as every command reports one.
    case let .refused(reason, _): if all { lines.append("  Refused: " + reason) }
    case .current, .otherPlaybook: break
    }
    return lines
  }

  /// The report's lines, each a label and what it covers; "no change" when there is none.
  package func describe(_ report: UpgradeReport) -> [String] {
    var table = Table()
    func add(_ label: String, _ items: [String]) {
      if !items.isEmpty { table.append(label, items.joined(separator: "; ")) }
    }
    add("stages", differences(report.stages))
    add("milestones", differences(report.milestones))
    add("agreements", differences(report.agreements))
    add("roles", differences(report.roles))
    if report.surveyChanged { table.append("survey", "changed") }
    if !report.playbookChanged { table.append("playbook", "no change but the text") }
    var work = ["\(report.keptDone.count) done milestone\(report.keptDone.count == 1 ? "" : "s") kept"]
    if !report.droppedDone.isEmpty { work.append("dropped: " + report.droppedDone.joined(separator: ", ")) }
    table.append("done work", work.joined(separator: "; "))
    var signatures: [String] = []
    if !report.staleSignatures.isEmpty {
      signatures.append("stale (sign again): " + report.staleSignatures.map(signature).joined(separator: ", "))
    }
    if !report.droppedSignatures.isEmpty {
      signatures.append("dropped: " + report.droppedSignatures.map(signature).joined(separator: ", "))
    }
    add("signatures", signatures)
    add(
      "acknowledged",
      report.staleAcknowledgements.isEmpty
        ? []
        : ["stale (acknowledge again): " + report.staleAcknowledgements.map { "\($0.agreement) (\($0.people) "
          + ($0.people == 1 ? "person" : "people") + ")" }.joined(separator: ", ")])
    add("roles held", report.droppedRoles.isEmpty ? [] : ["dropped: " + report.droppedRoles.map { "\($0.role) (\($0.person))" }.joined(separator: ", ")])
    add("position", report.stageChanges.map(consequence))
    return table.render(indent: "  ")
  }

  private func differences(_ differences: UpgradeReport.Differences) -> [String] {
    var items: [String] = []
    if !differences.added.isEmpty { items.append("added " + differences.added.joined(separator: ", ")) }
    if !differences.removed.isEmpty { items.append("removed " + differences.removed.joined(separator: ", ")) }
    if !differences.changed.isEmpty {
      items.append(
        "changed " + differences.changed.map { "\($0.id) (\($0.what.joined(separator: ", ")))" }.joined(separator: ", "))
    }
    return items
  }

  private func signature(_ signature: UpgradeReport.SignatureChange) -> String {
    "\(signature.agreement) as \(signature.role) (\(signature.person))"
  }

  /// A stage's change of state, as what it means for the client.
  private func consequence(_ change: UpgradeReport.StageChange) -> String {
    let stage = "stage \(change.stage)"
    guard let before = change.before else { return "\(stage) is new (\(change.after.rawValue))" }
    switch (before, change.after) {
    case (.complete, .active): return "\(stage) reopens"
    case (_, .gated) where before.isOpen: return "\(stage)'s gate closes"
    case (_, .locked) where before.isOpen: return "\(stage) locks again"
    case (_, let after) where after.isOpen && !before.isOpen: return "\(stage) opens (\(after.rawValue))"
    default: return "\(stage): \(before.rawValue) -> \(change.after.rawValue)"
    }
  }

  private func summary(_ outcomes: [UpgradeOutcome], to target: PlaybookVersion, dryRun: Bool, archived: Int)
    -> [String]
  {
    var moved = 0, current = 0, refused: [String] = []
    for outcome in outcomes {
      switch outcome.result {
      case .upgraded, .wouldUpgrade: moved += 1
      case .current: current += 1
      case .refused: refused.append(outcome.client)
      case .otherPlaybook: break
      }
    }
    let left = archived == 0 ? "" : " (\(archived) archived \(archived == 1 ? "client" : "clients") left as \(archived == 1 ? "it is" : "they are"))"
    guard !outcomes.isEmpty else { return ["No client on playbook '\(target.id)' to upgrade" + left + "."] }
    var parts = ["\(moved) \(moved == 1 ? "client" : "clients") \(dryRun ? "would move" : "moved") to \(target)"]
    if current > 0 { parts.append("\(current) on it already") }
    if !refused.isEmpty { parts.append("\(refused.count) refused (\(refused.joined(separator: ", ")))") }
    if archived > 0 { parts.append("\(archived) archived, left as \(archived == 1 ? "it is" : "they are")") }
    return [parts.joined(separator: "; ") + (dryRun ? "; nothing was changed." : ".")]
  }
}
