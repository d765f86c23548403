import ProgrammeEngine

// The history's hash chain covers the playbook texts as well as the events: `started`
// records the SHA-256 of the text the client starts on, each `upgraded` the text it moves
// to, and a `sealed` event the text in force for a client started before `started` recorded
// it. Replay holds every stored text to what those events say, so that a text edited with
// its `sha256` recomputed is caught by the events' own hashes, on any machine.

extension ClientRecord {
  /// The first stored playbook text that is not the one the history's events record, as a
  /// problem naming it (`playbook.source` or `earlierPlaybooks[N].source`); nil when every
  /// text the events name is the one stored. A text no event names yet (a client started
  /// before `started` recorded it, and not sealed) is not a problem: see `isSealed`.
  func textProblem() -> RecordProblem? {
    let texts = earlierPlaybooks + [playbook]
    func file(_ position: Int) -> String {
      position == texts.count - 1 ? "playbook.source" : "earlierPlaybooks[\(position)].source"
    }
    // What the events say each text hashes to, oldest first; the first may be unknown.
    var claims: [(sha256: String?, by: String)] = []
    for (position, event) in events.enumerated() {
      switch event.change {
      case let .started(_, _, recorded) where position == 0:
        claims.append((recorded, "events[0] (started)"))
      case let .upgraded(from, to):
        let name = "events[\(position)] (upgraded)"
        if claims.isEmpty { return nil }  // not a history replay would take
        if claims[claims.count - 1].sha256 == nil { claims[claims.count - 1] = (from.sha256, name) }
        if claims[claims.count - 1].sha256 != to.sha256 { claims.append((to.sha256, name)) }
      case let .sealed(sha256):
        let name = "events[\(position)] (sealed)"
        if claims.isEmpty { return nil }
        guard let known = claims[claims.count - 1].sha256 else {
          claims[claims.count - 1] = (sha256, name)
          continue
        }
        if known != sha256 {
          return RecordProblem(
            "\(name) seals playbook text \(sha256), but the history had text \(known) in force "
              + "then (\(claims[claims.count - 1].by))")
        }
      default: continue
      }
    }
    for (position, claim) in claims.enumerated() where position < texts.count {
      guard let sha256 = claim.sha256, sha256 != texts[position].sha256 else { continue }
      return RecordProblem(
        "\(file(position)): the stored playbook text hashes to \(texts[position].sha256), but "
          + "\(claim.by) records \(sha256) in the history's hash chain: the text was edited "
          + "after the history recorded it (its sha256 recomputed to match)")
    }
    return nil
  }

  /// Whether the history's events record the text the client started on (or, for a client
  /// started before they did, a `sealed` event has taken the text into the chain since).
  public var isSealed: Bool {
    if case .started(_, _, _?)? = events.first?.change { return true }
    return events.contains { if case .sealed = $0.change { true } else { false } }
  }

  /// Whether the record holds what only format 5 can: a `started` that records its text,
  /// or a `sealed` event (see `currentFormat`).
  var holdsSealedText: Bool { isSealed }

  /// Inserts, before the events this write adds (from `position`), the `sealed` event that
  /// takes `sha256`, the text in force when the change was made, into the chain: by the
  /// change's author, at its time, through its door.
  mutating func seal(_ sha256: String, before position: Int) {
    let change = events[position]
    // An id of its own, once the change it comes with has one.
    let id = change.id == nil ? nil : EventID.make()
    events.insert(
      Event(.sealed(sha256: sha256), by: change.by, at: change.at, via: change.via, id: id), at: position)
  }
}
