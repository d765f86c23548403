import Foundation
import PlaybookSpec

/// One change to a client's programme: what changed, who did it, when, and why.
///
/// The history of events is the client's record; every state is derived from it.
/// The engine has no clock: the caller stamps each event with its time.
public struct Event: Sendable, Hashable {
  public var change: Change
  /// The person who made the change.
  public var by: String
  /// When the change was made, to the second. The record keeps no finer time, so the time
  /// is cut to the second here too: an event in memory is then exactly the event that a
  /// save and a load give back, and a programme compares equal to itself read from disk.
  public var at: Date {
    didSet { at = Self.wholeSeconds(at) }
  }
  /// A free-text note; the reason, for revocations and reopenings.
  public var note: String?
  /// The event's link in the history's hash chain (see `HistoryChain`): the SHA-256 of what
  /// came before it. The store sets it when it writes the event; the engine's rules ignore
  /// it. Nil for the first event and for events written before histories were chained.
  public var previous: String?
  /// The event's own id: a UUID in its lowercase canonical form (`8-4-4-4-12`), a UUIDv7
  /// (RFC 9562) when Accord made it, or the `Idempotency-Key` an API request gave. Made where
  /// the event is built, never by the engine, which only refuses a second event with an id
  /// its history holds (`Refusal.duplicateEvent`), so that a retried change is applied once.
  /// Nil in every event written before ids (file format 6).
  public var id: String?
  /// For an act by a delegate (`by`, or `onBehalfOf` when someone entered it for them): the
  /// role's holder they acted for. The engine decides what it must be (`Programme.holder(for:)`)
  /// and refuses an event that names anyone else. Nil for everything else.
  public var holder: String? {
    get { acting.holder }
    set { acting.holder = newValue }
  }
  /// For something another person did elsewhere (a charter signed on paper) that the
  /// consultant or czar (`by`, the person at the keyboard) records: that person. Nil when
  /// `by` did it.
  public var onBehalfOf: String? {
    get { acting.onBehalfOf }
    set { acting.onBehalfOf = newValue }
  }
  /// With `onBehalfOf`: the file shown for it, by name and SHA-256.
  public var evidence: EvidenceFile? {
    get { acting.evidence }
    set { acting.evidence = newValue }
  }
  /// The server's door the change came through (`web` for its pages, `api` for its JSON
  /// API); nil for a change made on the command line, and in every event from before.
  public var via: Via? {
    get { acting.via }
    set { acting.via = newValue }
  }

  /// For a change made in a web session that began from a sign-in link someone else printed
  /// for `by` (`accord invite --print`): that person, who held the link before `by` did. Nil
  /// for a link its person printed for themselves or received by mail, for the command line,
  /// and in every event from before.
  public var printedBy: String? {
    get { acting.printedBy }
    set { acting.printedBy = newValue }
  }

  /// The rare fields, boxed: the three of an act for someone else, `via` and `printedBy`. Every event of
  /// a long history would otherwise carry room for them (about 70 bytes each) in memory.
  private var box: ActingBox?

  private var acting: ActingFor {
    get { if case let .acting(fields)? = box { fields } else { ActingFor() } }
    // Kept nil when empty, so that equal events compare and hash equal however they were made.
    set { box = newValue == ActingFor() ? nil : .acting(newValue) }
  }

  public init(
    _ change: Change, by: String, at: Date, note: String? = nil, previous: String? = nil,
    holder: String? = nil, onBehalfOf: String? = nil, evidence: EvidenceFile? = nil, via: Via? = nil,
    printedBy: String? = nil, id: String? = nil
  ) {
    self.change = change
    self.by = by
    self.at = Self.wholeSeconds(at)
    self.note = note
    self.previous = previous
    self.holder = holder
    self.onBehalfOf = onBehalfOf
    self.evidence = evidence
    self.via = via
    self.printedBy = printedBy
    self.id = id
  }

  /// The person whose act this is: who the consultant or czar recorded it for, else `by`.
  public var actor: String { onBehalfOf ?? by }

  /// `date` without its fraction of a second, rounded down as `Timestamp.format` does.
  private static func wholeSeconds(_ date: Date) -> Date {
    Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
  }
}

/// `Event.holder`, `onBehalfOf`, `evidence`, `via` and `printedBy`, kept together.
private struct ActingFor: Sendable, Hashable {
  var holder: String?
  var onBehalfOf: String?
  var evidence: EvidenceFile?
  var via: Via?
  var printedBy: String?
}

/// One pointer in an event for what is nearly always absent.
private indirect enum ActingBox: Sendable, Hashable {
  case acting(ActingFor)
}
