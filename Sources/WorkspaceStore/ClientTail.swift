import ProgrammeEngine

/// What a store holds of a client past a length a memory already holds, and the client's
/// header now (`ClientStore.tail(of:after:)`): what brings a kept client forward without
/// reading its history again. Nothing in it is checked until `ClientRecord.continued`.
public struct ClientTail: Sendable {
  public var uid: String
  public var name: String
  public var format: Int
  public var revision: Int
  public var head: String?
  public var assignments: [String: String]
  /// The SHA-256 of each playbook text the client ran on, oldest first, the one in force last.
  public var texts: [String]
  /// The events from the length asked for on, oldest first, as the store keeps them.
  public var events: [Event]
  /// The store's stamps (`ClientStore.stamp(of:over:)`), read with the rest: of the events
  /// before the length asked for (to be the one held), and of all of them.
  public var heldStamp: String?
  public var stamp: String?

  public init(
    uid: String, name: String, format: Int, revision: Int, head: String?, assignments: [String: String],
    texts: [String], events: [Event]
  ) {
    self.uid = uid
    self.name = name
    self.format = format
    self.revision = revision
    self.head = head
    self.assignments = assignments
    self.texts = texts
    self.events = events
  }

  /// The tail of `record` past its first `length` events: for a store that has only the
  /// whole record to hand.
  public init(_ record: ClientRecord, after length: Int) {
    self.init(
      uid: record.uid, name: record.name, format: record.format, revision: record.revision, head: record.head,
      assignments: record.assignments, texts: (record.earlierPlaybooks + [record.playbook]).map(\.sha256),
      events: Array(record.events[min(length, record.events.count)...]))
  }
}

extension ClientRecord {
  /// The record brought forward by `tail`, and `programme` (this record's verified
  /// programme) with it: only the events since are checked, each link of their chain from
  /// this record's newest event on and the stored head after them, and only they are
  /// replayed (as stored), so that a memory follows a client at the cost of its new events.
  /// What is already held was verified whole when it was read, and is not read again.
  ///
  /// Nil when the tail cannot continue this record in memory: another client under the id,
  /// events before the tail not the ones held (their stamp is not `storeStamp`), or a playbook text that came into force (an upgrade, which needs its text): the caller
  /// reads the client whole. Throws `.damaged`, as a whole read would, for a chain that
  /// breaks or events the rules refuse.
  public func continued(by tail: ClientTail, programme: Programme) throws(StoreFailure)
    -> (record: ClientRecord, programme: Programme)?
  {
    guard tail.uid == uid, tail.heldStamp == storeStamp, tail.texts == (earlierPlaybooks + [playbook]).map(\.sha256),
      !tail.events.contains(where: { if case .upgraded = $0.change { true } else { false } })
    else { return nil }
    var record = self
    let from = events.count
    record.events.append(contentsOf: tail.events)
    func broken(_ position: Int, _ kind: HistoryChain.Break.Kind) -> StoreFailure {
      .damaged(
        client: client,
        problem: "its history's chain breaks at event \(position): "
          + Workspace.describe(HistoryChain.Break(position: position, kind: kind), in: record.events))
    }
    // Every event a store adds is linked (`chain(from:)`), so each new one must carry the link
    // the events before it give.
    for position in from..<record.events.count where position > 0 {
      let link = record.events[position].previous
      guard link == HistoryChain.link(before: position, in: record.events) else {
        throw broken(position, link == nil ? .linkMissing : .linkMismatch)
      }
    }
    if let headBreak = HistoryChain.headBreak(in: record.events, head: tail.head) {
      throw broken(headBreak.position, headBreak.kind)
    }
    var next = programme
    do throws(HistoryError) {
      try next.replay(stored: tail.events)
    } catch {
      throw .damaged(client: client, problem: error.description)
    }
    guard next.assignments == tail.assignments else {
      throw .damaged(client: client, problem: "its assignments do not match its history")
    }
    record.name = tail.name
    record.format = tail.format
    record.revision = tail.revision
    record.head = tail.head
    record.assignments = tail.assignments
    record.storeStamp = tail.stamp
    return (record, next)
  }

  /// `written(after:place:)` for a store that holds the client's newest event and chain
  /// head rather than its whole record (and has found its newest event to be this record's
  /// at `length`): one revision on from `revision`, in the oldest format that holds it, the
  /// events past `length` linked into the chain. Refused (`.damaged`) when this record's
  /// first `length` events do not end on `head`, the head kept (a new event never links to,
  /// and so seals, an edited one); `.duplicateEvent` for an event added whose id the
  /// history holds already.
  public func written(after length: Int, revision: Int, head: String?) throws(StoreFailure) -> ClientRecord {
    let kept = Array(events[..<length])
    if length > 0, let broken = HistoryChain.headBreak(in: kept, head: head) {
      throw .damaged(
        client: client,
        problem: "its history's chain breaks at event \(broken.position): \(Workspace.describe(broken, in: kept))")
    }
    if let id = repeatedEventID(from: length) { throw .duplicateEvent(client: client, id: id) }
    var record = self
    record.format = record.neededFormat
    record.revision = revision + 1
    record.chain(from: length)
    record.storeStamp = nil
    return record
  }
}
