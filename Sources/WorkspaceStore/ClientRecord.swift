import Foundation
import ProgrammeEngine

/// Everything Accord keeps about one client: the content of `<workspace>/<client>.json`.
///
/// The events are the record; `assignments` is a snapshot derived from them, kept so that
/// the file can be read by people and scripts without replaying the history. `format` and
/// `revision` belong to the store: it sets them when it writes.
public struct ClientRecord: Codable, Sendable, Equatable {
  /// The newest file format this version writes and reads.
  ///
  /// 2: the file holds `earlierPlaybooks` and `upgraded` events (the client moved to a new
  /// playbook version), which an Accord from before upgrades cannot replay; it refuses such
  /// a file as newer than it reads rather than as damaged. A file without them is written
  /// as format 1, exactly as before, so it stays readable by every Accord.
  ///
  /// 3: an event records `via`, the server's door it came through. An Accord from before
  /// would drop the field on its next write (and break the history's chain), so it must
  /// refuse the file as newer; a file without it keeps format 1 or 2 as above.
  ///
  /// 4: the client's work has times: its playbook gives `due`, `target` or `every` (which an
  /// Accord from before times reads as unknown keys), or an event sets a date or skips an
  /// occurrence (`scheduled`, `skipped`). Once 4, a file stays 4, whatever playbook text
  /// comes into force later: its earlier texts may still have times.
  ///
  /// 5: the history's chain covers the playbook text: `started` records the SHA-256 of the
  /// text (`playbook`), or a `sealed` event does for a client started before. And an event
  /// may record `printedBy`, who printed the sign-in link of the session it was made in. An
  /// Accord from before would not hold the stored text to the chain, and would drop
  /// `printedBy` on its next write (breaking the chain), so it must refuse the file as newer.
  ///
  /// 6: events carry their `id` (every event this version makes has one), by which a second
  /// event with the same id is refused. An Accord from before would drop the ids on its next
  /// write (breaking the chain, and letting a retried change in twice), so it must refuse the
  /// file as newer. A file gets format 6 with its first event that has an id; until then it
  /// keeps its format, byte for byte.
  public static let currentFormat = 6

  /// The file format version the record was written in.
  public internal(set) var format: Int
  /// The client's id; always the file's name without `.json`.
  public let client: String
  /// The client's display name, for example `Acme Ltd`.
  public var name: String
  /// A UUID fixed when the client is started, so that a client renamed or re-created under
  /// the same id can still be told apart.
  public let uid: String
  /// How many times the file has been written: 1 after `create`, one more for each update.
  public internal(set) var revision: Int
  /// The playbook in force, with its full text: the one the client was started on, or the
  /// one its latest upgrade moved it to.
  public var playbook: StoredPlaybook
  /// Every playbook text the client ran on before `playbook`, oldest first (the first is
  /// the one it started on); empty until its first upgrade. Replay checks each event
  /// against the text in force when it was made, so these are kept for good.
  public var earlierPlaybooks: [StoredPlaybook] = []
  /// Role id to person, as the events leave them.
  public var assignments: [String: String]
  /// The whole history, oldest first.
  public var events: [Event] {
    didSet { texts.value = nil }
  }
  /// The events' texts in the file the quick reader read them from (see `fastDecode`), for
  /// following the chain from the file's own bytes: nil once the events change, or when
  /// another reader read them. Not stored, and not compared.
  var eventTexts: EventTexts? {
    get { texts.value }
    set { texts.value = newValue }
  }
  private var texts = Unstored<EventTexts?>(value: nil)
  /// The head of the history's hash chain (`HistoryChain.head(of:)`), so that an edit to
  /// the newest event shows too. The store sets it when it writes; nil in files written
  /// before histories were chained.
  public internal(set) var head: String?
  /// Whether a playbook text in force has times (`Playbook.isTimed`), as far as the store
  /// has seen: set when a programme is adopted. Not stored (`format` 4 records it), and not
  /// compared: it says nothing the record does not.
  var timed: Bool {
    get { timedMark.value }
    set { timedMark.value = newValue }
  }
  private var timedMark = Unstored(value: false)
  /// What the store that read or wrote this record said of its events as it read or wrote
  /// them (`ClientStore.stamp(of:over:)`, for the first `events.count` at the time); nil
  /// when it said nothing. An append of a record that carries one is refused when those
  /// events are no longer what the stamp says: a memory never appends to a history edited
  /// since it read it. Not stored, and not compared.
  public var storeStamp: String? {
    get { stampMark.value }
    set { stampMark.value = newValue }
  }
  private var stampMark = Unstored<String?>(value: nil)

  /// A record not yet written: `create` stores it as revision 1, in the oldest format that
  /// holds it (`neededFormat`).
  public init(
    client: ClientID, name: String, uid: String = UUID().uuidString.lowercased(),
    playbook: StoredPlaybook, assignments: [String: String] = [:], events: [Event] = []
  ) {
    self.format = 1
    self.client = client.rawValue
    self.name = name
    self.uid = uid
    self.revision = 0
    self.playbook = playbook
    self.assignments = assignments
    self.events = events
  }

  private enum CodingKeys: String, CodingKey {
    case format, client, name, uid, revision, playbook, earlierPlaybooks, assignments, events, head
  }

  /// Thrown by `init(from:)` when `format` is newer than `currentFormat`. It is checked
  /// before anything else, so a future file whose other fields differ is reported as newer,
  /// not as damaged.
  struct NewerFormat: Error {
    var found: Int
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    format = try container.decode(Int.self, forKey: .format)
    if format > Self.currentFormat { throw NewerFormat(found: format) }
    guard format >= 1 else {
      throw DecodingError.dataCorruptedError(
        forKey: .format, in: container,
        debugDescription: "\(format) is not a format Accord has ever written")
    }
    client = try container.decode(String.self, forKey: .client)
    name = try container.decode(String.self, forKey: .name)
    uid = try container.decode(String.self, forKey: .uid)
    revision = try container.decode(Int.self, forKey: .revision)
    // The next write adds one: a revision at the top of Int's range would trap there.
    guard revision >= 1, revision < Int.max else {
      throw DecodingError.dataCorruptedError(
        forKey: .revision, in: container,
        debugDescription: "\(revision) is not a revision Accord could have written")
    }
    playbook = try container.decode(StoredPlaybook.self, forKey: .playbook)
    earlierPlaybooks = try container.decodeIfPresent([StoredPlaybook].self, forKey: .earlierPlaybooks) ?? []
    assignments = try container.decode([String: String].self, forKey: .assignments)
    events = try container.decode([Event].self, forKey: .events)
    head = try container.decodeIfPresent(String.self, forKey: .head)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(format, forKey: .format)
    try container.encode(client, forKey: .client)
    try container.encode(name, forKey: .name)
    try container.encode(uid, forKey: .uid)
    try container.encode(revision, forKey: .revision)
    try container.encode(playbook, forKey: .playbook)
    // Absent until the first upgrade, so that other files stay exactly as before.
    if !earlierPlaybooks.isEmpty { try container.encode(earlierPlaybooks, forKey: .earlierPlaybooks) }
    try container.encode(assignments, forKey: .assignments)
    try container.encode(events, forKey: .events)
    try container.encodeIfPresent(head, forKey: .head)
  }
}

extension ClientRecord {
  /// The oldest format that holds everything in the record: 6 if an event has an id, else 5
  /// if its history records its playbook text, else 4 if its work has times, else 3
  /// if an event came through the server, else 2 if the client was upgraded, else 1 (see
  /// `currentFormat`).
  var neededFormat: Int {
    // From the newest event back: once a file has ids, its newest events have them.
    if events.lastIndex(where: { $0.id != nil }) != nil { return 6 }
    // 5: the chain covers the playbook text (a `started` that records it, or `sealed`), or an
    // event records who printed the link of its session.
    if holdsSealedText || events.contains(where: { $0.printedBy != nil }) { return 5 }
    if timed || format >= 4 { return 4 }
    if events.contains(where: {
      switch $0.change {
      case .scheduled, .skipped: true
      default: false
      }
    }) {
      return 4
    }
    if events.contains(where: { $0.via != nil }) { return 3 }
    return earlierPlaybooks.isEmpty ? 1 : 2
  }

  /// The first id that an event from `position` on shares with an earlier event; nil when
  /// the events from `position` on (those a write adds) each have an id of their own, or none.
  func repeatedEventID(from position: Int) -> String? {
    for index in position..<events.count {
      guard let id = events[index].id else { continue }
      if events[..<index].contains(where: { $0.id == id }) { return id }
    }
    return nil
  }

  /// The record as a store writes it in place of `before` (nil: a new client), `place`
  /// naming where for a message: in the oldest format that holds it (`neededFormat`), one
  /// revision on, and the events it adds linked into the history's chain. Histories only
  /// grow: the events past `before`'s are the ones this write adds.
  ///
  /// Throws `StoreError.corrupt` when `before`'s newest events were edited (a new event
  /// links to them, so linking would seal the edit; edits further back stay visible to
  /// `check` whatever is written after them), and `Refusal.duplicateEvent` when an event
  /// added shares its id with another: the store never writes two events with one id,
  /// whoever built them (the engine refuses them first for every change it is given).
  public func written(after before: ClientRecord?, place: String) throws -> ClientRecord {
    let from = before?.events.count ?? 0
    if let before, let broken = HistoryChain.headBreak(in: before.events, head: before.head) {
      throw StoreError.corrupt(path: place, problem: Workspace.describe(broken, in: before.events))
    }
    if let id = repeatedEventID(from: from) { throw Refusal.duplicateEvent(id: id) }
    var record = self
    record.format = record.neededFormat
    record.revision = (before?.revision ?? 0) + 1
    record.chain(from: from)
    return record
  }

  /// Links the events from `position` on into the history's hash chain and sets `head`:
  /// the store calls it for the events each write adds. Events already written keep
  /// whatever link they were written with, so a file written before histories were
  /// chained gets its chain from its next write on.
  mutating func chain(from position: Int) {
    HistoryChain.link(&events, from: position)
    head = HistoryChain.head(of: events)
  }
}

/// A value kept beside the record in memory that two records never differ by.
private struct Unstored<Value: Sendable>: Sendable, Equatable {
  var value: Value
  static func == (_: Unstored, _: Unstored) -> Bool { true }
}
