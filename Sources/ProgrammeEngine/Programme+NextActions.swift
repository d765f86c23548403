import Foundation
import PlaybookSpec

extension Programme {
  /// What must happen next and who must do it: ready milestones (or, for one waiting only
  /// for its survey, the import), signatures still owed (one per agreement and role), the
  /// teams' acknowledgements short of quorum, signatures a new role holder has to affirm, roles
  /// to assign before those can happen, and every closed gate with what holds it.
  ///
  /// An archived client has nothing to do until it is restored. Given a time, each action
  /// names the role's delegate then, if it has one (the engine has no clock of its own).
  public func nextActions(at time: Date? = nil) -> NextActions {
    var next = nextActionsWithoutDelegates()
    if let time {
      for position in next.actions.indices {
        next.actions[position].delegate = delegate(of: next.actions[position].role, at: time)
      }
    }
    return next
  }

  private func nextActionsWithoutDelegates() -> NextActions {
    let stages = stageStates()
    if archived != nil {
      return NextActions(actions: [], blocked: [], isComplete: stages.allSatisfy { $0 == .complete })
    }
    var completions: [Action] = []
    var signings: [Action] = []
    var acknowledging: [Action] = []
    var affirming: [Action] = []
    var blocked: [Blocker] = []

    for (position, stage) in playbook.stages.enumerated() {
      switch stages[position] {
      case .locked, .complete:
        break
      case .gated:
        if let gate = stage.gate {
          blocked.append(Blocker(stage: stage.id, milestone: nil, hold: hold(on: gate)))
        }
      case .active:
        for milestone in stage.milestones where !done.contains(milestone.id) {
          guard milestone.needs.allSatisfy({ done.contains($0.id) }) else { continue }
          if let gate = milestone.gate {
            let hold = hold(on: gate)
            if !hold.isEmpty {
              blocked.append(Blocker(stage: stage.id, milestone: milestone.id, hold: hold))
              continue
            }
          }
          // Ready but for its evidence: what must happen next is gathering it.
          if missingEvidence(milestone) == .survey {
            completions.append(action(.survey, milestone.id, stage.id, consultantRole))
          } else {
            completions.append(action(.complete, milestone.id, stage.id, milestone.owner.id))
          }
        }
      }
      guard stages[position].isOpen else { continue }
      for agreement in stage.agreements {
        // A role handed over since it signed: the holder now is asked to affirm it.
        for standing in standings(of: agreement.id)
        where !standing.signature.isStale && standing.holder != nil && standing.isByPredecessor {
          var affirm = action(.affirm, agreement.id, stage.id, standing.signature.role)
          affirm.signedBy = standing.signature.person
          affirm.signedAt = standing.signature.at
          affirming.append(affirm)
        }
      }
      for agreement in stage.agreements
      where agreement.needs.allSatisfy({ done.contains($0.id) }) {
        if agreement.acknowledgedBy != nil {
          let progress = acknowledgementProgress(of: agreement.id)
          if !progress.allSatisfy(\.isReached) {
            var rally = action(.acknowledge, agreement.id, stage.id, czarRole)
            rally.progress = progress
            acknowledging.append(rally)
          }
        }
        let terms = agreement.termsHash
        for role in unsignedRoles(of: agreement) {
          var signing = action(.sign, agreement.id, stage.id, role)
          signing.terms = terms
          if let stale = signatures[agreement.id]?[role], stale.isStale {
            signing.staleTerms = stale.read ?? stale.terms
            signing.signedAgreement = stale.signedAgreement
          }
          signings.append(signing)
        }
      }
    }

    let metrics = metricActions(stages: stages)
    var assignments: [Action] = []
    var roles: Set<String> = []
    let agreementWork = signings + acknowledging + affirming
    for needed in completions + agreementWork + metrics where needed.person == nil {
      guard roles.insert(needed.role).inserted else { continue }
      assignments.append(action(.assign, needed.role, needed.stage, consultantRole))
    }
    return NextActions(
      actions: completions + agreementWork + metrics + assignments,
      blocked: blocked,
      isComplete: stages.allSatisfy { $0 == .complete })
  }

  /// Readings due (for metrics whose playbook says how often), then reviews of metrics off
  /// track twice in a row, each in the playbook's order of metrics.
  private func metricActions(stages: [StageState]) -> [Action] {
    guard !playbook.metrics.isEmpty else { return [] }
    let stage = metricStage(stages: stages)
    var readings: [Action] = []
    var reviews: [Action] = []
    for status in metricStatuses() {
      if status.readingsAreDue {
        readings.append(action(.record, status.metric.id, stage, status.metric.owner?.id ?? czarRole))
      }
      if status.needsReview { reviews.append(action(.review, status.metric.id, stage, czarRole)) }
    }
    return readings + reviews
  }

  /// The stage metric work is listed under: the first not complete, else the last.
  func metricStage(stages: [StageState]) -> String {
    (currentStage(stages: stages) ?? playbook.stages.last)?.id ?? ""
  }

  private func action(_ kind: Action.Kind, _ target: String, _ stage: String, _ role: String)
    -> Action
  {
    Action(kind: kind, target: target, stage: stage, role: role, person: assignments[role])
  }
}
