import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// Where the commands meet the clients' store: loads a client's programme, applies one
/// event, and keeps it. A refused event writes nothing, and so does a change stopped by
/// Ctrl-C before it is written (see `Interruption`).
///
/// Two backings. The workspace folder: one file per client, changed under the client's
/// lock, exactly as it always was. Or a `ClientStore` others may share (PostgreSQL): the
/// client is read, the change decided and appended after the length it was decided
/// against, and decided again on the fresh history when another append got in first
/// (`StoreChange`). The commands are synchronous; a desk on a store waits for it through
/// `BlockingBridge`, the one place the CLI does.
package struct Desk {
  /// Where the clients are kept.
  package enum Backing {
    /// The workspace folder.
    case folder(Workspace)
    /// A store another process may share; `compiled`, the playbooks parsed already.
    case store(any ClientStore, compiled: CompiledPlaybooks?)
  }

  package let backing: Backing

  /// The folder, when the desk is on one (nil on a database).
  package var workspace: Workspace? {
    if case let .folder(workspace) = backing { workspace } else { nil }
  }

  /// Where mail waits for the relay: the folder's outbox, or the database's; nil for a
  /// store that keeps none (a test's).
  package var outbox: (any OutboxStore)? {
    switch backing {
    case let .folder(workspace): FolderStore(workspace)
    case let .store(store, _): store as? any OutboxStore
    }
  }

  /// Where a survey round's answers wait while it is open on the web: the folder's survey
  /// box, or the database's; nil for a store that keeps none (a test's).
  package var surveyBox: (any SurveyBoxStore)? {
    switch backing {
    case let .folder(workspace): FolderStore(workspace)
    case let .store(store, _): store as? any SurveyBoxStore
    }
  }

  /// The survey box's async work, waited for; refused on a store that keeps no box.
  package func inSurveyBox<T>(_ work: @escaping (any SurveyBoxStore) async throws -> T) throws -> T {
    guard let box = surveyBox else {
      throw StoreFailure.unavailable(problem: "\(place) keeps no survey box for answers on the web")
    }
    return try wait { try await work(box) }
  }

  /// A desk on a workspace opened already (by a caller that is not a command, which has no
  /// `WorkspaceOptions` to open one from).
  package init(workspace: Workspace) {
    backing = .folder(workspace)
  }

  /// A desk on a store opened already (a database).
  package init(store: any ClientStore, compiled: CompiledPlaybooks?) {
    backing = .store(store, compiled: compiled)
  }

  /// Where the clients are, for people: the folder's path, or the database's address
  /// without its password.
  package var place: String {
    switch backing {
    case let .folder(workspace): workspace.directory.path
    case let .store(store, _): store.place
    }
  }

  /// The store's async work, waited for (see `BlockingBridge`).
  private func wait<T>(_ work: @escaping () async throws -> T) throws -> T {
    try BlockingBridge.wait(work)
  }

  /// Creates a new client; a Ctrl-C before it is kept leaves none.
  package func create(_ record: ClientRecord) throws {
    Interruption.deferStop()
    switch backing {
    case let .folder(workspace): try workspace.create(record)
    case let .store(store, _): _ = try wait { try await store.create(record) }
    }
  }

  /// The clients, sorted by id.
  package func clientIDs() throws -> [ClientID] {
    switch backing {
    case let .folder(workspace): try workspace.clientIDs()
    case let .store(store, _): try wait { try await store.clientIDs() }
    }
  }

  /// The client's record and its programme, its history's chain verified whole.
  package func read(_ id: ClientID) throws -> (record: ClientRecord, programme: Programme) {
    switch backing {
    case let .folder(workspace):
      return try workspace.programme(id)
    case let .store(store, compiled):
      let record = try wait { try await store.load(id) }
      return (record, try record.verifiedProgramme(compiled: compiled))
    }
  }

  /// The client's programme, rebuilt from its record.
  package func programme(_ id: ClientID) throws -> Programme {
    try read(id).programme
  }

  /// A client's history as kept, whether or not it can be trusted, for `log`: with why it
  /// cannot be (a broken chain, a history that does not replay), or nil when it is sound.
  package func history(_ id: ClientID) throws -> (events: [Event], damage: (any Error)?) {
    switch backing {
    case let .folder(workspace):
      let (events, damage) = try workspace.history(id)
      return (events, damage)
    case let .store(store, compiled):
      let record = try wait { try await store.load(id) }
      do {
        _ = try record.verifiedProgramme(compiled: compiled)
        return (record.events, nil)
      } catch {
        return (record.events, error)
      }
    }
  }

  /// The store's settings (the time zone, people's addresses).
  package func settings() throws -> WorkspaceSettings {
    switch backing {
    case let .folder(workspace): try SettingsStore(workspace).read()
    case let .store(store, _): try wait { try await store.settings() }
    }
  }

  /// Reads the settings, lets `body` change them and keeps them if they changed.
  package func updateSettings<T: Sendable>(_ body: @escaping (inout WorkspaceSettings) throws -> T) throws -> T {
    switch backing {
    case let .folder(workspace): try SettingsStore(workspace).update(body)
    case let .store(store, _): try wait { try await store.updateSettings(body) }
    }
  }

  /// The access book: who may sign in, their sessions and tokens.
  package func accessBook() throws -> AccessBook {
    switch backing {
    case let .folder(workspace): try AccessStore(workspace).read()
    case let .store(store, _): try wait { try await store.accessBook() }
    }
  }

  /// Reads the access book, lets `body` change it and keeps it if it changed.
  package func updateAccessBook<T: Sendable>(_ body: @escaping (inout AccessBook) throws -> T) throws -> T {
    switch backing {
    case let .folder(workspace): try AccessStore(workspace).update(body)
    case let .store(store, _): try wait { try await store.updateAccessBook(body) }
    }
  }

  /// What a list shows of every client: a store's projection (no history replayed), or
  /// nil on the folder, whose listing reads each client.
  package func summaries() throws -> [ListedClient]? {
    guard case let .store(store, _) = backing else { return nil }
    return try wait { try await store.summaries() }
  }

  /// What a list of clients shows of each (the summaries' first fields, read apart where
  /// the store keeps them so), or nil on the folder, whose listing reads each client.
  package func listings() throws -> [ListedRow]? {
    guard case let .store(store, _) = backing else { return nil }
    return try wait { try await store.listings() }
  }

  /// The store's clock: its time zone from the settings, today there (or `asOf`).
  package func clock(asOf: CalendarDate? = nil, now: Date = Date()) throws -> WorkspaceClock {
    switch backing {
    case let .folder(workspace):
      return try WorkspaceClock(workspace, asOf: asOf, now: now)
    case .store:
      let settings = try settings()
      guard let zone = WorkspaceSettings.zone(named: settings.timeZone) else {
        throw StoreFailure.damaged(
          client: nil, problem: "timeZone '\(settings.timeZone)' is not a time zone this machine knows")
      }
      return WorkspaceClock(zone: zone, asOf: asOf, now: now)
    }
  }

  /// The programme's dates in the store's zone; the settings are read only when the client
  /// has dates.
  package func dates(of programme: Programme, asOf: CalendarDate? = nil, now: Date = Date()) throws -> ItemDates {
    switch backing {
    case let .folder(workspace): return try ItemDates.of(programme, in: workspace, asOf: asOf, now: now)
    case .store:
      guard programme.hasDates else { return .none }
      return ItemDates.of(programme, clock: try clock(asOf: asOf, now: now))
    }
  }

  /// Changes client `id` by `body` and keeps it: under the folder's lock, or appended to
  /// the store after the length it was decided against and decided again when another
  /// append got in first (`StoreChange`; `body` then runs again on the fresh programme).
  /// `upgradedTo` is the playbook a change puts in force (an upgrade).
  package func change<T>(
    _ id: ClientID, upgradedTo playbook: StoredPlaybook? = nil, _ body: @escaping (inout Programme) throws -> T
  ) throws -> T {
    Interruption.deferStop()
    switch backing {
    case let .folder(workspace):
      if let playbook { return try workspace.upgrade(id, to: playbook, body) }
      return try workspace.change(id, body)
    case let .store(store, compiled):
      return try wait {
        try await StoreChange.run(
          id, in: store, compiled: compiled, upgradedTo: playbook, interrupted: { Interruption.wasRequested }, body
        ).result
      }
    }
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
  /// On a store, every attempt records the change under one event id, so that an attempt
  /// kept after all is never kept twice.
  package func apply(
    to id: ClientID, by person: String, note: String? = nil, acting: Acting = .init(), at time: Date = Date(),
    via: Via? = nil, printedBy: String? = nil, _ decide: (Programme) throws -> Change
  ) throws -> (before: Programme, after: Programme) {
    let eventID = EventID.make()
    return try withoutActuallyEscaping(decide) { decide in
      try change(id) { programme in
        let before = programme
        try Self.record(
          try decide(before), by: person, at: time, note: note, acting: acting, via: via, printedBy: printedBy,
          id: eventID, in: &programme)
        return (before, programme)
      }
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
    try withoutActuallyEscaping(decide) { decide in
      try change(id) { programme in
        let before = programme
        for change in try decide(before) {
          try Self.record(change, by: person, at: time, note: note, via: via, in: &programme)
        }
        return (before, programme)
      }
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
