import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// How the server takes a change a laptop made on its copy of a client (`accord --remote`,
/// perhaps offline) and sent with `accord sync`: the laptop proposes, the server decides.
///
/// The event is decided again, by the engine's rules, on the server's history as it is now
/// and as the person the request authenticates, keeping its id, its time, its note and what
/// it says of acting for someone else; the engine works out the holder again and the store
/// links it into the chain. An event whose id the history holds already was kept by an
/// earlier push (a retry after a dropped connection): it is answered as kept, and nothing is
/// written twice. The server and the tests' stand-in for it both call this, so they decide
/// alike (docs/sync.md).
package enum SyncPush {
  /// How far ahead of the server's clock a pushed event may be dated: two clocks disagree
  /// by seconds, not by this.
  package static let clockSkew: TimeInterval = 300

  /// What became of a pushed event.
  package enum Outcome: Equatable, Sendable {
    /// Decided and appended now, as this event (its holder worked out, its `via` `remote`).
    case appended(Event)
    /// Appended by an earlier push of the same event, at this position of the history.
    case kept(position: Int)
  }

  /// What an upgrade made on a copy sends beside its event: the playbook text it moves to,
  /// which the copy's file keeps and the server may not have, and whether `--force` was
  /// given, which no event records (a history's upgrade was settled when it was made).
  package struct Upgrade: Codable, Sendable, Equatable {
    /// The new playbook's YAML text; its SHA-256 is the one the event's `to` names.
    package var text: String
    /// Where the text came from on the laptop (a path, `bundled:NAME`).
    package var origin: String
    /// The upgrade may drop done milestones or lock an open stage (`upgrade --force`).
    package var force: Bool

    package init(text: String, origin: String, force: Bool) {
      self.text = text
      self.origin = origin
      self.force = force
    }
  }

  /// A pushed upgrade's new playbook, read and checked: parsed and validated as `upgrade`
  /// validates a file, and the very text the event names.
  package struct NewPlaybook: Sendable {
    package var playbook: Playbook
    package var stored: StoredPlaybook
    package var force: Bool
  }

  /// The playbook a pushed event moves its client to: nil for every event but an upgrade
  /// (whose `upgrade` alone is read), which must carry the text its `to` names. Read before
  /// the change, since the store keeps the text with it.
  package static func playbook(for pushed: Event, _ upgrade: Upgrade?) throws -> NewPlaybook? {
    guard case let .upgraded(_, to) = pushed.change else { return nil }
    guard let upgrade else { throw textRequired }
    let playbook = try Playbook.parse(upgrade.text, file: upgrade.origin)
    let stored = StoredPlaybook(
      id: playbook.id, version: playbook.version, title: playbook.title, origin: upgrade.origin, source: upgrade.text)
    guard stored.sha256 == to.sha256 else {
      throw Refusal.playbookMismatch(
        inForce: PlaybookVersion(id: stored.id, version: stored.version, sha256: stored.sha256), named: to)
    }
    return NewPlaybook(playbook: playbook, stored: stored, force: upgrade.force)
  }

  /// An upgrade pushed without the text it moves to.
  static var textRequired: CommandRefusal {
    CommandRefusal(
      code: "playbook-text-required",
      description: "an upgrade sent by sync carries the text of the playbook it moves to ('upgrade'), "
        + "which the server may not have",
      details: ["field": .text("upgrade")])
  }

  /// Where a pushed event stood before it was decided: new, or kept already at `position`.
  /// Throws `duplicate-event` when another event holds its id, and the refusals
  /// `decide` throws for an event no laptop may send.
  package static func check(_ pushed: Event, as person: String, in programme: Programme) throws -> Int? {
    guard let id = pushed.id, EventID.isCanonical(id) else {
      throw CommandRefusal(
        code: "event-id-required",
        description: "a change sent by sync must carry its own event id (a UUID), so that it is kept once")
    }
    guard pushed.by == person else {
      throw CommandRefusal(
        code: "not-permitted",
        description: "the change was made by \(pushed.by), and this sign-in is \(person)'s: "
          + "nobody sends a change as someone else (record another's act with --on-behalf-of and --evidence)",
        details: ["person": .text(person), "by": .text(pushed.by)])
    }
    guard let position = programme.position(ofEventID: id) else { return nil }
    let kept = programme.history[position]
    guard kept.by == pushed.by, kept.change == pushed.change, kept.note == pushed.note,
      kept.at == pushed.at, kept.onBehalfOf == pushed.onBehalfOf, kept.evidence == pushed.evidence
    else { throw Refusal.duplicateEvent(id: id) }
    return position
  }

  /// Decides `pushed` on `programme` (the server's history now) as `person` at `now`:
  /// appends it to `programme` and answers it, or answers the position it was kept at by an
  /// earlier push, or throws the refusal. An upgrade moves to `upgrade`
  /// (`playbook(for:_:)`), by the engine's rules for an upgrade made now, `--force` as given.
  package static func decide(
    _ pushed: Event, upgrade: NewPlaybook? = nil, as person: String, in programme: inout Programme, now: Date
  ) throws -> Outcome {
    if let position = try check(pushed, as: person, in: programme) { return .kept(position: position) }
    switch pushed.change {
    case .started, .surveyOpened, .surveyClosed:
      // Each needs what only the server has: the ids it keeps, the web's survey box.
      throw CommandRefusal(
        code: "server-only",
        description: "'\(pushed.change.type)' is made on the server, not sent from a copy: "
          + "run it online (accord --remote NAME with the server reachable) or on the server",
        details: ["type": .text(pushed.change.type)])
    case .sealed:
      // The store seals an old client's text itself, with the first change it keeps.
      throw CommandRefusal(
        code: "server-only", description: "a seal is written by the store that keeps the client, never sent",
        details: ["type": .text(pushed.change.type)])
    default:
      break
    }
    guard pushed.at.timeIntervalSince(now) <= clockSkew else {
      throw CommandRefusal(
        code: "event-in-future",
        description: "the change is dated \(Timestamp.format(pushed.at)), after the server's clock "
          + "(\(Timestamp.format(now))): check the laptop's clock, then sync again",
        details: ["at": .text(Timestamp.format(pushed.at)), "now": .text(Timestamp.format(now))])
    }
    if case .upgraded = pushed.change {
      guard let upgrade else { throw textRequired }
      var event = Event(
        pushed.change, by: person, at: pushed.at, note: pushed.note, onBehalfOf: pushed.onBehalfOf,
        evidence: pushed.evidence, via: .remote, id: pushed.id)
      event.holder = try programme.holder(for: event)
      try programme.upgrade(to: upgrade.playbook, event, force: upgrade.force)
      return .appended(programme.history[programme.history.count - 1])
    }
    try Desk.record(
      pushed.change, by: person, at: pushed.at, note: pushed.note,
      acting: Desk.Acting(onBehalfOf: pushed.onBehalfOf, evidence: pushed.evidence), via: .remote,
      id: pushed.id, in: &programme)
    return .appended(programme.history[programme.history.count - 1])
  }
}
