import ProgrammeEngine

/// `upgrade --json`: the playbook the clients move to, and per client what it changes and
/// what became of it.
package struct UpgradeJSON: Encodable {
  package struct Client: Encodable {
    package var client: String
    /// `upgraded`, `would-upgrade` (a dry run), `current` (on this text already) or `refused`.
    package var outcome: String
    package var from: PlaybookVersion?
    package var changes: Changes?
    /// For `refused`: the typed error, as a refused command prints it.
    package var error: [String: Detail]?
  }

  package struct Changes: Encodable {
    package var stages, milestones, agreements, roles: Differences
    var surveyChanged: Bool
    var keptDone, droppedDone: [String]
    var staleSignatures, droppedSignatures: [Signature]
    /// Per agreement, how many people's acknowledgements went stale; absent when none did.
    var staleAcknowledgements: [Acknowledgements]?
    var droppedRoles: [Holder]
    var stageChanges: [StageChange]
    /// Whether the upgrade needs --force: it drops done work or locks an open stage.
    var needsForce: Bool

    package init(_ report: UpgradeReport) {
      stages = Differences(report.stages)
      milestones = Differences(report.milestones)
      agreements = Differences(report.agreements)
      roles = Differences(report.roles)
      surveyChanged = report.surveyChanged
      keptDone = report.keptDone
      droppedDone = report.droppedDone
      staleSignatures = report.staleSignatures.map(Signature.init)
      droppedSignatures = report.droppedSignatures.map(Signature.init)
      staleAcknowledgements = report.staleAcknowledgements.isEmpty
        ? nil : report.staleAcknowledgements.map { Acknowledgements(agreement: $0.agreement, people: $0.people) }
      droppedRoles = report.droppedRoles.map { Holder(role: $0.role, person: $0.person) }
      stageChanges = report.stageChanges.map {
        StageChange(stage: $0.stage, from: $0.before?.rawValue, to: $0.after.rawValue)
      }
      needsForce = report.needsForce
    }
  }

  package struct Differences: Encodable {
    package struct Changed: Encodable {
      package var id: String
      package var what: [String]
    }

    var added, removed: [String]
    var changed: [Changed]

    package init(_ differences: UpgradeReport.Differences) {
      added = differences.added
      removed = differences.removed
      changed = differences.changed.map { Changed(id: $0.id, what: $0.what) }
    }
  }

  package struct Acknowledgements: Encodable {
    var agreement: String
    var people: Int
  }

  package struct Signature: Encodable {
    package var agreement, role, person: String

    package init(_ change: UpgradeReport.SignatureChange) {
      agreement = change.agreement
      role = change.role
      person = change.person
    }
  }

  package struct Holder: Encodable {
    package var role, person: String
  }

  package struct StageChange: Encodable {
    package var stage: String
    /// Nil for a stage the new playbook adds.
    package var from: String?
    package var to: String
  }

  package var playbook: PlaybookVersion
  package var dryRun: Bool
  package var clients: [Client]
  /// With --all: how many archived clients on the playbook were left as they are.
  package var archived: Int

  package init(playbook: PlaybookVersion, dryRun: Bool, outcomes: [UpgradeOutcome], archived: Int = 0) {
    self.playbook = playbook
    self.dryRun = dryRun
    self.archived = archived
    clients = outcomes.map { outcome in
      var client = Client(
        client: outcome.client, outcome: "", from: outcome.report?.from, changes: outcome.report.map(Changes.init))
      switch outcome.result {
      case .upgraded: client.outcome = "upgraded"
      case .wouldUpgrade: client.outcome = "would-upgrade"
      case .current: client.outcome = "current"
      case .otherPlaybook: client.outcome = "other-playbook"
      case let .refused(_, error):
        client.outcome = "refused"
        client.error = Report(error)?.fields
      }
      return client
    }
  }
}
