import Foundation

/// Mail waiting for the relay, and a record of what it took, in whichever store keeps the
/// clients: the folder's `.accord-outbox` (see `FolderStore`), or the database's `outbox`
/// table. A sibling of `ClientStore` that both stores adopt, rather than more of it: the
/// reminders are the only callers, a store for clients alone (a test's, a wrapper that
/// limits time) need not carry it, and the server's request path never sees it.
///
/// The promises, whatever runs at once (two servers, a server and `accord remind --smtp`):
/// - a message leaves the queue only once the relay has accepted it (`markSent`), so a
///   failed send stays queued and is tried again on the next run;
/// - a key that was sent is never queued again (`queueMail` answers `.sent`, and keeps
///   nothing), so a person's digest for a day goes once;
/// - a message is handed to one sender at a time: `claimMail` gives it to one caller and
///   to no other until that caller marks it sent or lets it go. The folder holds its lock
///   for the claim; the database marks the row claimed for `OutboxClaim.lease`, so that a server
///   killed while it sends does not keep the message from the next run for ever (it may
///   then be sent twice: the relay took it, and nobody lived to say so).
///
/// Messages name people and their work: a store never logs a body, and keeps none once sent.
public protocol OutboxStore: Sendable {
  /// Queues `message` under `key` (`<day>.<slug>`), replacing a message queued under it
  /// and not claimed; answers `.sent`, queueing nothing, when the key was sent before.
  func queueMail(_ message: OutboxMessage, as key: String) async throws(StoreFailure) -> OutboxState

  /// Every queued message, sorted by key (oldest day first), claimed or not.
  func queuedMail() async throws(StoreFailure) -> [OutboxItem]

  /// The message queued under `key`, for the caller alone to hand to the relay; nil when
  /// it was sent meanwhile, is no longer queued, or another sender holds it.
  func claimMail(_ key: String) async throws(StoreFailure) -> OutboxClaim?

  /// Records that the relay took the claimed message (who, day, Message-ID, relay, `time`;
  /// no body) and takes it off the queue; the claim ends.
  func markSent(_ claim: OutboxClaim, at time: Date, relay: String) async throws(StoreFailure)

  /// Lets the claimed message go unsent: it stays queued, for the next run.
  func release(_ claim: OutboxClaim) async

  /// Whether `key` (a person's digest for a day) was sent, is queued, or neither (nil).
  func mailState(_ key: String) async throws(StoreFailure) -> OutboxState?

  /// What is kept of a sent message: no body.
  func sentMail(_ key: String) async throws(StoreFailure) -> OutboxMessage?
}

/// Where a message stands in the outbox.
public enum OutboxState: String, Sendable, Equatable {
  /// Waiting for the relay (or being handed to it).
  case queued
  /// The relay took it; never queued again.
  case sent
}

/// A message, and what is known of its sending. Its fields are the folder's files', which
/// keep this shape (sorted keys) from before the outbox moved behind the store.
public struct OutboxMessage: Codable, Equatable, Sendable {
  public var person: String
  public var day: String
  public var from: String
  public var to: String
  public var messageID: String
  /// The message, in a queued entry; none in a sent record.
  public var message: String?
  /// When the relay took it (UTC, ISO 8601), in a sent record.
  public var sentAt: String?
  /// The relay that took it, in a sent record.
  public var relay: String?
  /// What the message is when it is not a digest: `sign-in link` for `accord invite`'s.
  public var what: String?

  public init(
    person: String, day: String, from: String, to: String, messageID: String, message: String? = nil,
    sentAt: String? = nil, relay: String? = nil, what: String? = nil
  ) {
    self.person = person
    self.day = day
    self.from = from
    self.to = to
    self.messageID = messageID
    self.message = message
    self.sentAt = sentAt
    self.relay = relay
    self.what = what
  }

  /// The record kept once the relay took it: no body.
  func sent(at time: Date, relay: String) -> OutboxMessage {
    var record = self
    record.message = nil
    record.sentAt = Self.time(time)
    record.relay = relay
    return record
  }

  /// `2026-12-07T06:30:00Z`, as the folder's records have it.
  static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

  /// The key of a person's digest for a day: `<day>.<slug>`.
  public static func key(day: String, slug: String) -> String { "\(day).\(slug)" }
}

/// A queued message and its key.
public struct OutboxItem: Sendable, Equatable {
  public var key: String
  public var message: OutboxMessage

  public init(key: String, message: OutboxMessage) {
    self.key = key
    self.message = message
  }
}

/// A message one sender holds, until it marks it sent or lets it go.
public struct OutboxClaim: Sendable {
  public let key: String
  public let message: OutboxMessage
  /// What the store holds the claim by: the folder's lock, the database's claim token.
  let hold: any Sendable

  init(key: String, message: OutboxMessage, hold: any Sendable) {
    self.key = key
    self.message = message
    self.hold = hold
  }

  /// The token of a claim made by a store outside this module (the database's).
  public init(key: String, message: OutboxMessage, token: String) {
    self.init(key: key, message: message, hold: token)
  }

  /// How long the database keeps a message claimed for a sender that neither sends nor
  /// lets go (killed mid-send): well past the relay client's own limits (15 s to connect,
  /// 60 s a reply), so that a slow relay is never mistaken for a dead sender.
  public static let lease: Duration = .seconds(600)

  /// The token the claim was made with, for a store that claims by token.
  public var token: String? { hold as? String }
}
