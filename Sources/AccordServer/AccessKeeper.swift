import Crypto
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import WorkspaceStore

/// The server's view of the access book (who may sign in, their sessions and tokens).
///
/// On the folder: the workspace's access file, read again whenever it changes (one `lstat`
/// a request), so a revocation made with the CLI takes effect at the person's next
/// request, and written through `AccessStore` under its lock. On a database: the store's
/// book, read at every request (no memory of it yet), so a session opened or ended on one
/// server is seen by the next request to any other.
final class AccessKeeper: Sendable {
  enum Backing: Sendable {
    case folder(AccessStore)
    case store(any ClientStore)
  }

  let backing: Backing
  private let cached = NIOLockedValueBox<(stamp: FileStamp?, book: AccessBook)?>(nil)

  init(_ store: AccessStore) { backing = .folder(store) }

  init(store: any ClientStore) { backing = .store(store) }

  /// The book as the store holds it now.
  func book() async throws -> AccessBook {
    switch backing {
    case let .folder(store): return try await blocking { [self] in try folderBook(store) }
    case let .store(store): return try await store.accessBook()
    }
  }

  /// Changes the book with nothing else changing it in between (the file's lock, or the
  /// store's transaction); nothing is kept when `body` throws.
  func update<T: Sendable>(_ body: @escaping @Sendable (inout AccessBook) throws -> T) async throws -> T {
    switch backing {
    case let .folder(store): return try await blocking { [self] in try folderUpdate(store, body) }
    case let .store(store): return try await store.updateAccessBook(body)
    }
  }

  private func folderBook(_ store: AccessStore) throws -> AccessBook {
    let stamp = try store.stamp()
    if let (seen, book) = cached.withLockedValue({ $0 }), seen == stamp { return book }
    let book = try store.read()
    cached.withLockedValue { $0 = (stamp, book) }
    return book
  }

  private func folderUpdate<T>(_ store: AccessStore, _ body: (inout AccessBook) throws -> T) throws -> T {
    defer { cached.withLockedValue { $0 = nil } }
    return try store.update(body)
  }

  /// Who `request`'s session cookie or bearer token says is asking, or nil.
  ///
  /// A session's idle clock is moved forward at most once a minute, so that a busy page
  /// does not rewrite the access book on every request. A clock that cannot be saved (a
  /// full or read-only disk, a database that stopped answering) does not stop the person
  /// reading: it is handed to `unsaved` and tried again at the next request.
  func viewer(for request: Request, now: Date, unsaved: @escaping @Sendable (any Error) -> Void) async throws
    -> Viewer?
  {
    // A request with neither a token nor a session cookie (the health check, the sign-in
    // page) reads no access book.
    guard request.headers[.authorization] != nil || !(request.cookies[SessionCookie.name]?.value ?? "").isEmpty else {
      return nil
    }
    switch backing {
    case let .folder(store):
      if request.headers[.authorization] != nil {
        // A token is looked up in the access file as last read (one lstat) and never
        // written: answered on the request's own thread, without queueing for the pool.
        return Self.viewer(for: request, in: try folderBook(store), now: now) { hash in
          do { _ = try self.folderUpdate(store) { $0.touch(sessionHash: hash, now: now) } } catch { unsaved(error) }
        }
      }
      // A session may move its idle clock, a write: on the pool.
      return try await blocking { [self] in
        Self.viewer(for: request, in: try folderBook(store), now: now) { hash in
          do { _ = try self.folderUpdate(store) { $0.touch(sessionHash: hash, now: now) } } catch { unsaved(error) }
        }
      }
    case let .store(store):
      var touch: String?
      let viewer = Self.viewer(for: request, in: try await store.accessBook(), now: now) { touch = $0 }
      if let touch {
        do { _ = try await store.updateAccessBook { $0.touch(sessionHash: touch, now: now) } } catch { unsaved(error) }
      }
      return viewer
    }
  }

  /// Who `request` says is asking, by `book`; `touch` is handed a session's hash when its
  /// idle clock is a minute or more behind.
  private static func viewer(
    for request: Request, in book: AccessBook, now: Date, touch: (String) -> Void
  ) -> Viewer? {
    if let header = request.headers[.authorization] {
      // The scheme is matched whatever its case (RFC 9110, 11.1).
      guard header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
      let text = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
      guard let token = book.token(text, now: now) else { return nil }
      return Viewer(person: token.person, scope: book.scope(of: token), credential: .token(id: token.id))
    }
    guard let secret = request.cookies[SessionCookie.name]?.value, !secret.isEmpty else { return nil }
    guard let session = book.session(secret: secret, now: now) else { return nil }
    if now.timeIntervalSince(session.lastSeenAt) >= 60 { touch(session.hash) }
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
