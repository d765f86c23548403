import Crypto
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import WorkspaceStore

/// The server's view of the workspace's access file: read again whenever the file changes
/// (one `lstat` a request), so a revocation made with the CLI takes effect at the person's
/// next request, and written through `AccessStore` under its lock.
final class AccessKeeper: Sendable {
  let store: AccessStore
  private let cached = NIOLockedValueBox<(stamp: FileStamp?, book: AccessBook)?>(nil)

  init(_ store: AccessStore) { self.store = store }

  /// The book as the file holds it now.
  func book() throws -> AccessBook {
    let stamp = try store.stamp()
    if let (seen, book) = cached.withLockedValue({ $0 }), seen == stamp { return book }
    let book = try store.read()
    cached.withLockedValue { $0 = (stamp, book) }
    return book
  }

  /// Changes the book under its lock, and forgets the cached copy.
  func update<T>(_ body: (inout AccessBook) throws -> T) throws -> T {
    defer { cached.withLockedValue { $0 = nil } }
    return try store.update(body)
  }

  /// Who `request`'s session cookie or bearer token says is asking, or nil.
  ///
  /// A session's idle clock is moved forward at most once a minute, so that a busy page
  /// does not rewrite the access file on every request. A clock that cannot be saved (a
  /// full or read-only disk) does not stop the person reading: it is handed to
  /// `unsaved` and tried again at the next request.
  func viewer(for request: Request, now: Date, unsaved: (any Error) -> Void = { _ in }) throws -> Viewer? {
    if let header = request.headers[.authorization] {
      // The scheme is matched whatever its case (RFC 9110, 11.1).
      guard header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
      let text = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
      let book = try book()
      guard let token = book.token(text, now: now) else { return nil }
      return Viewer(person: token.person, scope: book.scope(of: token), credential: .token(id: token.id))
    }
    guard let secret = request.cookies[SessionCookie.name]?.value, !secret.isEmpty else { return nil }
    let book = try book()
    guard let session = book.session(secret: secret, now: now) else { return nil }
    if now.timeIntervalSince(session.lastSeenAt) >= 60 {
      do {
        _ = try update { $0.touch(sessionHash: session.hash, now: now) }
      } catch {
        unsaved(error)
      }
    }
    return Viewer(
      person: session.person, scope: book.scope(of: session.person), credential: .session(secret: secret),
      printedBy: session.printedBy)
  }
}

/// The session cookie, and the CSRF token every form of a session carries.
enum SessionCookie {
  static let name = "accord_session"

  /// The cookie for a new session: HttpOnly, SameSite=Strict, Secure when the browser
  /// reached us over TLS, and gone when the session's absolute lifetime runs out.
  static func make(secret: String, secure: Bool) -> Cookie {
    Cookie(
      name: name, value: secret, maxAge: Int(AccessBook.sessionLifetime), path: "/", secure: secure,
      httpOnly: true, sameSite: .strict)
  }

  /// A cookie that replaces the session's and expires at once (signing out).
  static func cleared(secure: Bool) -> Cookie {
    Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
  }

  /// The CSRF token of the session whose cookie holds `secret`: an HMAC of a fixed text
  /// under the session's secret. It needs no storage, differs for every session, and
  /// cannot be worked out without the cookie, which a page on another site cannot read.
  static func csrfToken(forSession secret: String) -> String {
    let code = HMAC<Crypto.SHA256>.authenticationCode(
      for: Data("accord csrf v1".utf8), using: SymmetricKey(data: Data(secret.utf8)))
    return code.map { String(format: "%02x", $0) }.joined()
  }

  /// Whether `token` is the CSRF token of the session whose cookie holds `secret`.
  static func checkCSRF(_ token: String?, session secret: String) -> Bool {
    guard let token else { return false }
    return AccessSecret.sameHash(token, csrfToken(forSession: secret))
  }
}
