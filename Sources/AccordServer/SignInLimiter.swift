import Foundation
import NIOConcurrencyHelpers
import WorkspaceStore

/// Failed sign-ins, counted per address and per link: at most `limit` from one address and
/// `linkLimit` on one link in any `window`, after which that address (or that link, from
/// anywhere) is answered 429 until the oldest failure leaves the window.
///
/// Only failures count (a link Accord does not know, one used, expired or withdrawn): a page
/// view and a sign-in that works cost nothing, so a room of people behind one office address
/// can all sign in, while guessing links from one address, or trying one link from many,
/// is slowed to a few tries in five minutes.
final class SignInLimiter: Sendable {
  let limit: Int
  let linkLimit: Int
  let window: TimeInterval
  private let failures = NIOLockedValueBox<[Key: [Date]]>([:])

  private enum Key: Hashable {
    case address(String)
    /// The SHA-256 of the secret presented, so the table holds no secret.
    case link(String)
  }

  init(limit: Int = 10, linkLimit: Int = 5, window: TimeInterval = 300) {
    self.limit = limit
    self.linkLimit = linkLimit
    self.window = window
  }

  /// How long `address`, or anyone presenting `link`, must wait before trying again: nil
  /// when they may try now. Whole seconds, at least 1.
  func wait(address: String, link: String?, now: Date) -> Int? {
    let keys = [(Key.address(address), limit)] + (link.map { [(Key.link(Self.hash($0)), linkLimit)] } ?? [])
    return failures.withLockedValue { table in
      var longest: TimeInterval?
      for (key, limit) in keys {
        let recent = (table[key] ?? []).filter { now.timeIntervalSince($0) < window }
        table[key] = recent.isEmpty ? nil : recent
        guard recent.count >= limit else { continue }
        // Free again when enough of the oldest failures have left the window.
        let until = recent.sorted()[recent.count - limit].addingTimeInterval(window).timeIntervalSince(now)
        longest = max(longest ?? 0, until)
      }
      return longest.map { max(1, Int($0.rounded(.up))) }
    }
  }

  /// Records a failed sign-in from `address` with `link`.
  func failed(address: String, link: String?, now: Date) {
    failures.withLockedValue { table in
      // Keep the table small: forget keys with nothing recent.
      if table.count > 10_000 { table = table.filter { $0.value.contains { now.timeIntervalSince($0) < window } } }
      table[.address(address), default: []].append(now)
      if let link { table[.link(Self.hash(link)), default: []].append(now) }
    }
  }

  private static func hash(_ secret: String) -> String { AccessSecret.hash(secret) }
}
