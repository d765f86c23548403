import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// Where the commands meet the workspace: loads a client's programme, applies one event
/// under the client's lock, and saves it. A refused event writes nothing, and so does a
/// change stopped by Ctrl-C before it is written (see `Interruption`).
package struct Desk {
  package let workspace: Workspace

  /// Creates a new client's file; a Ctrl-C before the file is in place leaves none.
  package func create(_ record: ClientRecord) throws {
    Interruption.deferStop()
    try workspace.create(record)
  }

  /// A desk on a workspace opened already (by a caller that is not a command, which has no
  /// `WorkspaceOptions` to open one from).
  package init(workspace: Workspace) {
    self.workspace = workspace
  }

  /// The client's programme, rebuilt from its record.
  package func programme(_ id: ClientID) throws -> Programme {
    try workspace.programme(id).programme
  }

  /// Applies `change` by `person` now, and returns the programme before and after. `via` is
  /// the server's door the change came through; the commands give none.
  package func apply(
    _ change: Change, to id: ClientID, by person: String, note: String? = nil, acting: Acting = .init(),
    via: Via? = nil
  ) throws -> (before: Programme, after: Programme) {
    try apply(to: id, by: person, note: note, acting: acting, via: via) { _ in change }
  }

  /// Applies the change `decide` picks from the client's current programme (for a change
  /// that depends on the state, such as which role a signature is for), at `time`.
  ///
  /// The event records the role holder its author acts for as a delegate exactly as the
  /// engine answers it (`Programme.holder(for:)`), so a command never guesses it. `via` is
  /// the server's door the change came through (nil on the command line); `printedBy`, who
  /// printed the sign-in link of the session it came from, when that was not `person`.
  package func apply(
    to id: ClientID, by person: String, note: String? = nil, acting: Acting = .init(), at time: Date = Date(),
    via: Via? = nil, printedBy: String? = nil, _ decide: (Programme) throws -> Change
  ) throws -> (before: Programme, after: Programme) {
    Interruption.deferStop()
    return try workspace.change(id) { programme in
      let before = programme
      try Self.record(
        try decide(before), by: person, at: time, note: note, acting: acting, via: via, printedBy: printedBy,
        in: &programme)
      return (before, programme)
    }
  }

  /// Records `change` by `person` in `programme` as one event, through the engine's one way
  /// of doing it (`Programme.record`), which decides the role holder it names; a refusal of
  /// a name that differs only in case from someone the client knows is hinted.
  ///
  /// `id` is the event's id: an API request's `Idempotency-Key`, or nil for a new one.
  package static func record(
    _ change: Change, by person: String, at time: Date, note: String? = nil, acting: Acting = .init(),
    via: Via? = nil, printedBy: String? = nil, id: String? = nil, in programme: inout Programme
  ) throws {
    do {
      try programme.record(
        change, by: person, at: time, note: note, onBehalfOf: acting.onBehalfOf, evidence: acting.evidence, via: via,
        printedBy: printedBy, id: id ?? EventID.make())
    } catch {
      throw HintedRefusal.hinting(error, people: programme.assignments.values)
    }
  }

  /// Applies the changes `decide` picks, one event each, all or none, in one write (for
  /// `schedule --cascade`, which moves several dates for one reason).
  package func applyAll(
    to id: ClientID, by person: String, note: String? = nil, at time: Date = Date(),
    via: Via? = nil, _ decide: (Programme) throws -> [Change]
  ) throws -> (before: Programme, after: Programme) {
    Interruption.deferStop()
    return try workspace.change(id) { programme in
      let before = programme
      for change in try decide(before) {
        try Self.record(change, by: person, at: time, note: note, via: via, in: &programme)
      }
      return (before, programme)
    }
  }

  /// Whom an event is recorded for, and the evidence for it (`--on-behalf-of`, `--evidence`).
  package struct Acting {
    package var onBehalfOf: String?
    package var evidence: EvidenceFile?

    package init(onBehalfOf: String? = nil, evidence: EvidenceFile? = nil) {
      self.onBehalfOf = onBehalfOf
      self.evidence = evidence
    }
  }
}
