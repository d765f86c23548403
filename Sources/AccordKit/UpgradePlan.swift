import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// One upgrade, applied (or tried, for `--dry-run`) to client after client.
package struct UpgradePlan {
  package var playbook: Playbook
  package var version: PlaybookVersion
  package var stored: StoredPlaybook
  package var person: String
  package var reason: String?
  package var force: Bool
  package var dryRun: Bool
  /// When the upgrade is made.
  package var time: Date

  package init(
    playbook: Playbook, version: PlaybookVersion, stored: StoredPlaybook, person: String, reason: String? = nil,
    force: Bool, dryRun: Bool, at time: Date = Date()
  ) {
    self.playbook = playbook
    self.version = version
    self.stored = stored
    self.person = person
    self.reason = reason
    self.force = force
    self.dryRun = dryRun
    self.time = time
  }

  /// Upgrades one client, whole or not at all, and says what happened.
  package func run(_ id: ClientID, from: String?, on desk: Desk) -> UpgradeOutcome {
    let programme: Programme
    do {
      programme = try desk.programme(id)
    } catch {
      return UpgradeOutcome(client: id.rawValue, report: nil, result: .refused(reason: "\(error)", error: error))
    }
    if let from, programme.playbook.id != from {
      return UpgradeOutcome(client: id.rawValue, report: nil, result: .otherPlaybook(programme.playbook.id))
    }
    let report = programme.upgradeReport(to: playbook, version: version)
    if programme.playbookVersion?.sha256 == version.sha256 {
      return UpgradeOutcome(client: id.rawValue, report: report, result: .current)
    }
    do {
      if dryRun {
        var trial = programme
        try trial.upgrade(to: playbook, event(from: programme), force: force)
        return UpgradeOutcome(client: id.rawValue, report: report, result: .wouldUpgrade)
      }
      let done = try desk.change(id, upgradedTo: stored) { programme in
        try programme.upgrade(to: playbook, event(from: programme), force: force)
      }
      return UpgradeOutcome(client: id.rawValue, report: done, result: .upgraded)
    } catch {
      return UpgradeOutcome(client: id.rawValue, report: report, result: .refused(reason: "\(error)", error: error))
    }
  }

  private func event(from programme: Programme) -> Event {
    let current = programme.playbookVersion
      ?? PlaybookVersion(id: programme.playbook.id, version: programme.playbook.version, sha256: "")
    // A dry run may leave out --reason: it is tried with one, so that every other rule is.
    var event = Event(
      .upgraded(from: current, to: version), by: person, at: time, note: reason ?? (dryRun ? "dry run" : nil),
      id: EventID.make())
    // A delegate of the consultant upgrades for the holder, as every act under a delegation
    // records; the engine decides who that is (and refuses anyone else).
    if let holder = try? programme.holder(for: event) { event.holder = holder }
    return event
  }
}

/// What became of one client.
package struct UpgradeOutcome {
  package enum Result {
    case upgraded
    case wouldUpgrade
    /// It runs this very text already.
    case current
    /// With --from: it runs another playbook, so the upgrade is not for it.
    case otherPlaybook(String)
    case refused(reason: String, error: any Error)
  }

  package var client: String
  /// What the upgrade changes (or would); nil when the client could not be read.
  package var report: UpgradeReport?
  package var result: Result
}
