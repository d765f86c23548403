import Foundation

/// The hash chain that makes a history tamper-evident.
///
/// An event's *canonical form* is its stored JSON object (exactly the keys `log --json`
/// writes for it, `previous` included) with keys in byte order, no white space, strings
/// escaped as `CanonicalJSON.string` escapes them, followed by one newline. Being the
/// `Codable` form, it follows the declaration in Change.swift: a new kind or field needs no
/// code here. An event's *hash* is the SHA-256 of its canonical form.
///
/// Each event after the first carries `previous`: the SHA-256 of the canonical forms of the
/// events before it, back to and including the nearest earlier event that carries a link
/// (or back to the first event when none does). In a history written whole by this version
/// that is simply the hash of the event before; in a file written before histories were
/// chained, the first event written afterwards links to all the old events at once, so an
/// edit to any of them shows from then on. The file's `head` is the same value for the
/// end of the history, so that the newest event is covered too.
public enum HistoryChain {
  /// The event's canonical form, as bytes (see the type's description), written by
  /// `CanonicalEventWriter`.
  public static func canonicalForm(of event: Event) -> [UInt8] {
    var writer = CanonicalEventWriter()
    writer.write(event)
    return writer.bytes
  }

  /// The canonical form through JSONEncoder, by the definition above: the reference that
  /// `CanonicalEventWriter` is held to.
  public static func referenceForm(of event: Event) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding an event cannot fail: every field is text, a number or a list of them.
    var bytes = [UInt8]((try? encoder.encode(event)) ?? Data())
    bytes.append(UInt8(ascii: "\n"))
    return bytes
  }

  /// The event's hash: the lowercase hex SHA-256 of its canonical form.
  public static func hash(of event: Event) -> String {
    SHA256.hex(canonicalForm(of: event))
  }

  /// The link the event at `position` should carry: nil for the first event.
  public static func link(before position: Int, in events: [Event]) -> String? {
    guard position > 0 else { return nil }
    let start = events[..<position].lastIndex { $0.previous != nil } ?? 0
    var hasher = SHA256()
    var writer = CanonicalEventWriter()
    for event in events[start..<position] {
      writer.write(event)
      hasher.update(writer.bytes)
    }
    return hasher.hexDigest()
  }

  /// The chain's head: the link an event appended now would carry; nil for no events.
  public static func head(of events: [Event]) -> String? {
    link(before: events.count, in: events)
  }

  /// Gives every event from `position` on its link, as the store does for the events it
  /// writes.
  public static func link(_ events: inout [Event], from position: Int) {
    for index in max(position, 1)..<max(events.count, 1) {
      events[index].previous = link(before: index, in: events)
    }
  }

  /// Whether the newest events match `head`, the head the file records: only the events
  /// since the last linked one are hashed, so it is cheap enough for every write. A write
  /// checks it so that a new event never links to, and so seals, an edited newest event.
  public static func headBreak(in events: [Event], head: String?) -> Break? {
    guard let head else {
      // No head: fine for a file written before the chain, not for a chained history.
      guard events.contains(where: { $0.previous != nil }) else { return nil }
      return Break(position: events.count - 1, kind: .headMissing)
    }
    guard !events.isEmpty, self.head(of: events) == head else {
      return Break(position: max(events.count - 1, 0), kind: .headMismatch)
    }
    return nil
  }

  /// The first place the chain does not hold, or nil when every link matches. `head` is
  /// the head the file records, if any.
  ///
  /// Every read runs this over the whole history (or the store's reader follows the chain
  /// as it decodes, with the same `Follower`), so it writes each canonical form into one
  /// reused buffer and compares digests with the stored hex without making strings.
  public static func firstBreak(in events: [Event], head: String?) -> Break? {
    var follower = Follower()
    var writer = CanonicalEventWriter()
    for event in events {
      writer.write(event)
      writer.bytes.withUnsafeBytes { follower.add(previous: event.previous, canonical: $0) }
      if follower.broken != nil { break }
    }
    return follower.finish(head: head)
  }

  /// Follows a chain one event at a time, given each event's link and canonical form: the
  /// one algorithm behind `firstBreak`, for a reader that has the canonical bytes at hand
  /// while it decodes (the store's, which takes them from the file for an event Accord
  /// wrote, rather than writing them again).
  public struct Follower: Sendable {
    private var hasher = SHA256()
    private var chained = false
    private var position = 0
    /// The first break found so far; once set, later events are not looked at.
    public private(set) var broken: Break?

    public init() {}

    /// Takes the next event: its `previous` and its canonical form (newline included).
    public mutating func add(previous: String?, canonical: UnsafeRawBufferPointer) {
      defer { position += 1 }
      guard broken == nil else { return }
      if let previous {
        if position == 0 {
          broken = Break(position: 0, kind: .linkWithoutPredecessor)
          return
        }
        guard hasher.finalize(matchingHex: previous) else {
          broken = Break(position: position, kind: .linkMismatch)
          return
        }
        chained = true
        hasher = SHA256()
      } else if chained {
        broken = Break(position: position, kind: .linkMissing)
        return
      }
      hasher.update(raw: canonical)
    }

    /// The first break of the events taken, their end held to `head`, the file's head.
    public func finish(head: String?) -> Break? {
      if let broken { return broken }
      switch head {
      case let head?:
        var copy = hasher
        if position == 0 || !copy.finalize(matchingHex: head) {
          return Break(position: max(position - 1, 0), kind: .headMismatch)
        }
      case nil:
        if chained { return Break(position: position - 1, kind: .headMissing) }
      }
      return nil
    }
  }

  /// Where and how a chain breaks.
  public struct Break: Sendable, Hashable {
    /// The position of the event named.
    public var position: Int
    public var kind: Kind

    public init(position: Int, kind: Kind) {
      self.position = position
      self.kind = kind
    }

    public enum Kind: String, Sendable {
      /// The event's `previous` is not the hash of what comes before it: an event before it
      /// was edited, or events were inserted, removed or reordered.
      case linkMismatch
      /// The event has no `previous`, though an earlier event has one: it was inserted, or
      /// its link removed.
      case linkMissing
      /// The first event carries a link, though nothing comes before it: events before it
      /// were removed.
      case linkWithoutPredecessor
      /// The file's `head` is not the hash of its newest events: the newest event was
      /// edited, or events were added or removed at the end.
      case headMismatch
      /// The history is chained but the file records no `head`.
      case headMissing
    }
  }
}
