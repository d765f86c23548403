import Foundation
import PlaybookSpec
import ProgrammeEngine

extension ClientRecord {
  /// A new client's record: the programme just started, and the playbook text it runs on.
  public init(starting programme: Programme, source: String, origin: String) throws(StoreError) {
    let playbook = programme.playbook
    self.init(
      client: try ClientID(programme.client), name: programme.name,
      playbook: StoredPlaybook(
        id: playbook.id, version: playbook.version, title: playbook.title, origin: origin,
        source: source),
      assignments: programme.assignments, events: programme.history)
    timed = playbook.isTimed
  }

  /// Takes the programme's history, and the assignments snapshot derived from it.
  public mutating func adopt(_ programme: Programme) {
    events = programme.history
    assignments = programme.assignments
    if programme.playbook.isTimed { timed = true }
  }

  /// Takes an upgraded programme: `playbook` (whose text the programme now runs on) comes
  /// into force and the text in force until now joins the earlier ones.
  public mutating func adopt(_ programme: Programme, upgradedTo playbook: StoredPlaybook) {
    precondition(programme.playbookVersion?.sha256 == playbook.sha256, "the programme runs on another text")
    if self.playbook.sha256 != playbook.sha256 {
      earlierPlaybooks.append(self.playbook)
      self.playbook = playbook
    }
    adopt(programme)
  }

  /// The programme the record holds: the stored playbook read again and the whole
  /// history replayed through the engine's rules. Returns a description of the first
  /// thing that is not as Accord wrote it.
  ///
  /// The playbook comes from `compiled`, the cache of playbooks already parsed, when it
  /// holds a sound entry for this text's SHA-256 (checked against the text when the file
  /// was read); otherwise its YAML is parsed as on the day the client started.
  /// Every stored text must also be the one the history's events record (`textProblem`).
  func replay(compiled: CompiledPlaybooks? = nil) -> Result<Programme, RecordProblem> {
    replay(compiled: compiled, count: events.count)
  }

  /// The programme as it stood after the first `count` events of the history (at least
  /// one), replayed by the same rules as the whole: what a change sent again is answered
  /// with (the programme before and after the event its first attempt made). Nil when the
  /// record does not replay.
  public func programme(after count: Int, compiled: CompiledPlaybooks? = nil) -> Programme? {
    guard (1...events.count).contains(count) else { return nil }
    return try? replay(compiled: compiled, count: count).get()
  }

  private func replay(compiled: CompiledPlaybooks?, count: Int) -> Result<Programme, RecordProblem> {
    if let problem = textProblem() { return .failure(problem) }
    // Every text the client ran on, by fingerprint: the first is the one it started on.
    let texts = earlierPlaybooks + [playbook]
    var upgrades: [String: Playbook] = [:]
    var first: Playbook?
    for (position, stored) in texts.enumerated() {
      let read = storedPlaybooks.playbook(stored.sha256) {
        let file = position == texts.count - 1 ? "playbook.source" : "earlierPlaybooks[\(position)].source"
        if let compiled { return compiled.playbook(sha256: stored.sha256, file: file) { stored.source } }
        return Result { () throws(PlaybookError) in try Playbook.parse(stored.source, file: file) }
      }
      switch read {
      case let .success(parsed):
        if first == nil { first = parsed }
        upgrades[stored.sha256] = parsed
      case let .failure(error):
        let which = position == texts.count - 1 ? "the stored playbook" : "earlier playbook \(position + 1)"
        let diagnostic = error.diagnostics.first?.description ?? "no diagnostic"
        return .failure(RecordProblem("\(which) does not parse: \(diagnostic)"))
      }
    }
    let programme: Programme
    do {
      programme = try Programme(
        playbook: first!, sha256: (earlierPlaybooks.first ?? playbook).sha256,
        history: count == events.count ? events : Array(events[..<count]), upgrades: upgrades)
    } catch {
      return .failure(RecordProblem(error.description))
    }
    // Part of the history ends wherever it ends: the checks below are of the whole.
    guard count == events.count else { return .success(programme) }
    guard programme.client == client else {
      return .failure(RecordProblem("events[0] starts client '\(programme.client)', not '\(client)'"))
    }
    // The history's upgrades must end on the playbook the file says is in force.
    guard programme.playbookVersion?.sha256 == playbook.sha256 else {
      return .failure(
        RecordProblem(
          "the history's upgrades end on playbook text \(programme.playbookVersion?.sha256 ?? "?"), "
            + "but the file says \(playbook.sha256) is in force"))
    }
    guard programme.assignments == assignments else {
      return .failure(
        RecordProblem(
          "assignments \(Self.describe(assignments)) do not match the history, which gives "
            + Self.describe(programme.assignments)))
    }
    return .success(programme)
  }

  private static func describe(_ assignments: [String: String]) -> String {
    "{" + assignments.sorted { $0.key < $1.key }.map { "\($0): \($1)" }.joined(separator: ", ") + "}"
  }
}

/// Why a record that decoded cleanly still cannot be a client's history.
struct RecordProblem: Error {
  var text: String
  init(_ text: String) { self.text = text }
}

extension Workspace {
  /// A client's record and the programme it holds, checked against the playbook's rules.
  ///
  /// The one read path of every command and of the server (`loadClient(_:)`), so that
  /// whatever a read checks, both check. The whole hash chain is verified first: a history
  /// edited anywhere is refused (`.brokenChain`), never served.
  public func programme(_ id: ClientID) throws(StoreError) -> (record: ClientRecord, programme: Programme) {
    let loaded = try loadClient(id)
    return (loaded.record, loaded.programme)
  }

  /// The programme a client's file holds without verifying its chain first, for `verify`,
  /// which holds the history to a certificate's own chain head and reports an edit as its
  /// finding (`history-edited`) rather than refusing to look. Replay's checks still apply,
  /// and nothing is remembered.
  public func programmeForAudit(_ id: ClientID) throws(StoreError) -> (record: ClientRecord, programme: Programme) {
    let record = try read(id)
    switch record.replay(compiled: compiled) {
    case let .success(programme): return (record, programme)
    case let .failure(problem): throw .corrupt(path: fileURL(for: id).path, problem: problem.text)
    }
  }

  /// Moves a client to another playbook text under its lock: `body` upgrades the programme
  /// to `playbook` (see `Programme.upgrade(to:_:force:)`); if it throws, nothing is written.
  /// The text in force until now is kept in the file with the earlier ones.
  public func upgrade<T>(_ id: ClientID, to playbook: StoredPlaybook, _ body: (inout Programme) throws -> T)
    throws -> T
  {
    try change(id, body) { record, programme in record.adopt(programme, upgradedTo: playbook) }
  }

  /// Changes a client's programme under its lock: `body` may apply events; if it throws,
  /// or changes nothing, the file is not written.
  public func change<T>(_ id: ClientID, _ body: (inout Programme) throws -> T) throws -> T {
    try change(id, body) { record, programme in record.adopt(programme) }
  }

  /// Replays the record under the client's lock, lets `body` change the programme, and has
  /// `adopt` take the result into the record that `update` then writes.
  private func change<T>(
    _ id: ClientID, _ body: (inout Programme) throws -> T, adopt: (inout ClientRecord, Programme) -> Void
  ) throws -> T {
    let path = fileURL(for: id).path
    return try update(id) { record in
      var programme = try verifiedProgramme(record, id)
      let before = SealPoint(record)
      let result = try body(&programme)
      adopt(&record, programme)
      try seal(&record, since: before, path: path)
      return result
    }
  }

  /// Where a client stood before a change, for `seal(_:since:path:)`.
  struct SealPoint {
    var count: Int
    var inForce: String
    var sealed: Bool

    init(_ record: ClientRecord) {
      count = record.events.count
      inForce = record.playbook.sha256
      sealed = record.isSealed
    }
  }

  /// A client started before `started` recorded its text: its first change takes the text
  /// it was made on into the chain, and says so. The seal changes nothing in the programme;
  /// replayed once more, the history must still hold. Returns that replay when it sealed.
  @discardableResult
  func seal(_ record: inout ClientRecord, since point: SealPoint, path: String) throws -> Programme? {
    guard !point.sealed, record.events.count > point.count else { return nil }
    record.seal(point.inForce, before: point.count)
    switch record.replay(compiled: compiled) {
    case let .success(programme): return programme
    case let .failure(problem): throw StoreError.corrupt(path: path, problem: problem.text)
    }
  }

  /// The programme `record` holds, its hash chain verified whole first: throws
  /// `.brokenChain` for a history edited anywhere, so that no command serves or appends to
  /// it, and `.corrupt` for one that does not replay.
  ///
  /// A long history's chain is followed on a second thread while it is replayed on this
  /// one (the two read the record and nothing else), so that verifying every read adds
  /// little to a read's time where a second core is free; a short one does both here,
  /// where a thread would cost more than it saves. A broken chain is reported whatever the
  /// replay found.
  func verifiedProgramme(_ record: ClientRecord, _ id: ClientID) throws(StoreError) -> Programme {
    switch record.verified(compiled: compiled) {
    case let .success(programme): return programme
    case let .failure(.broken(broken)): throw chainError(broken, in: record, id)
    case let .failure(.unsound(problem)): throw .corrupt(path: fileURL(for: id).path, problem: problem.text)
    }
  }


  /// Throws `.brokenChain` naming the first event where the record's hash chain does not
  /// hold (`HistoryChain.firstBreak`), so that no command serves or appends to an edited
  /// history; `check` and `log` read it to say so.
  func verifyChain(of record: ClientRecord, _ id: ClientID) throws(StoreError) {
    if let broken = record.chainBreak() { throw chainError(broken, in: record, id) }
  }

  func chainError(_ broken: HistoryChain.Break, in record: ClientRecord, _ id: ClientID) -> StoreError {
    .brokenChain(
      path: fileURL(for: id).path, client: id.rawValue, position: broken.position,
      problem: Self.describe(broken, in: record.events))
  }

  /// A client's history as its file holds it, whether or not it can be trusted, for `log`:
  /// with the first thing that is not as Accord wrote it (a broken chain, a history or text
  /// that does not replay), or nil when it is sound. Throws only when the file cannot be
  /// read at all.
  public func history(_ id: ClientID) throws(StoreError) -> (events: [Event], damage: StoreError?) {
    let record = try read(id)
    do {
      try verifyChain(of: record, id)
    } catch {
      return (record.events, error)
    }
    if case let .failure(problem) = record.replay(compiled: compiled) {
      return (record.events, .corrupt(path: fileURL(for: id).path, problem: problem.text))
    }
    return (record.events, nil)
  }
}
