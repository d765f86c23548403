import Foundation
import ProgrammeEngine

/// Where a reader of a store's change feed is: what it has read and where the next page
/// begins. Opaque to callers (who keep its `description` and give it back), it is two
/// numbers whose meaning is the store's own: the folder's feed log's byte offset (and 0),
/// PostgreSQL's transaction id and sequence number. A cursor is global: narrowing a read to
/// some clients does not change what a cursor means.
public struct FeedCursor: Sendable, Hashable, CustomStringConvertible {
  /// The store's first number: the folder's byte offset, the database's transaction id.
  public let major: UInt64
  /// The store's second number: 0 for the folder, the database's sequence number.
  public let minor: UInt64

  /// Before everything: the feed read from its beginning.
  public static let start = FeedCursor(major: 0, minor: 0)

  public init(major: UInt64, minor: UInt64) {
    self.major = major
    self.minor = minor
  }

  /// A cursor as `description` wrote it, `<major>.<minor>` in decimal; refused with
  /// `Invalid` when it is not one (a sign, a space, a leading zero, a number too big).
  public init(parsing text: String) throws(Invalid) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, let major = Self.number(parts[0]), let minor = Self.number(parts[1]) else {
      throw Invalid(text: text)
    }
    self.init(major: major, minor: minor)
  }

  public var description: String { "\(major).\(minor)" }

  /// Digits only, with no leading zero, fitting 64 bits.
  private static func number(_ text: Substring) -> UInt64? {
    guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }),
      text == "0" || text.first != "0"
    else { return nil }
    return UInt64(text)
  }

  /// A text that is not a cursor.
  public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text given, as it was.
    public let text: String
    public init(text: String) { self.text = text }
    public var description: String { "\(text.debugDescription) is not a change feed cursor" }
  }
}

/// One committed event as the change feed delivers it: whose it is, where it stands in the
/// client's history, and the event as the history holds it.
public struct FeedChange: Sendable, Equatable {
  /// The client's id.
  public var client: String
  /// The event's place in the client's history, from 0.
  public var position: Int
  /// The event's id (`event.id`): nil for an event written before ids.
  public var id: String? { event.id }
  /// The event, as the client's history holds it (its chain link included).
  public var event: Event

  public init(client: String, position: Int, event: Event) {
    self.client = client
    self.position = position
    self.event = event
  }
}

/// A page of the change feed: committed events in the feed's order, and where to resume.
public struct FeedPage: Sendable, Equatable {
  /// The events, in the order every reader of the store sees them.
  public var changes: [FeedChange]
  /// Give this to the next read: it resumes after the last event here (or where the read
  /// began, when there was nothing new).
  public var cursor: FeedCursor

  public init(changes: [FeedChange], cursor: FeedCursor) {
    self.changes = changes
    self.cursor = cursor
  }
}
