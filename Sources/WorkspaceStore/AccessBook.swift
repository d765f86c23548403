import Foundation
import ProgrammeEngine

/// Who may use the web application (`accord serve`) and how they prove it: the people given
/// access to a client or to the whole firm, the one-time sign-in links sent to them, their
/// browser sessions and their API tokens.
///
/// A value, with no I/O: `AccessStore` keeps it in the workspace. Links, sessions and tokens
/// are kept only as the SHA-256 of their secret, so a copy of the file lets nobody in; a
/// secret is shown once, when it is made, and looked up by hashing what a request presents
/// and comparing it with every stored hash in constant time.
public struct AccessBook: Codable, Sendable, Equatable {
  /// The newest format this Accord writes and reads.
  public static let currentFormat = 1

  public var format: Int = Self.currentFormat
  public var grants: [Grant] = []
  public var links: [SignInLink] = []
  public var sessions: [Session] = []
  public var tokens: [APIToken] = []
  /// The command line's one-time sign-in codes (`AccessBook+Codes`); absent in a book from
  /// before them, which reads as it always did.
  public var codes: [SignInCode]?

  public init() {}

  /// Access to one client, or to every client of the workspace (`client` nil: the firm).
  public struct Grant: Codable, Sendable, Equatable {
    public var person: String
    /// The client's id, or nil for firm access.
    public var client: String?
    public var grantedBy: String
    public var grantedAt: Date
  }

  /// A one-time sign-in link for `person`, made by `accord invite`.
  public struct SignInLink: Codable, Sendable, Equatable {
    /// The SHA-256 (hex) of the secret in the link.
    public var hash: String
    public var person: String
    /// The client the invitation was for, or nil for firm access.
    public var client: String?
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    /// When the link signed its person in; a used link never signs in again.
    public var usedAt: Date?
    /// Whether the link was shown to `createdBy` (`accord invite --print`) rather than mailed
    /// to its person. Nil (absent) in a book from before, and for a mailed link.
    public var printed: Bool?

    /// Who else held the link before its person: `createdBy`, when they printed it for
    /// someone other than themselves. Nil for a mailed link and for one printed by its person.
    public var printedBy: String? {
      printed == true && createdBy != person ? createdBy : nil
    }

    /// Whether the link can still sign its person in at `now` (their grants aside).
    public func isUsable(at now: Date) -> Bool { usedAt == nil && now < expiresAt }
  }

  /// A signed-in browser. It ends at `expiresAt` whatever happens, and after `idleLimit` without
  /// a request (measured from `lastSeenAt`, which the server moves forward at most once a minute).
  public struct Session: Codable, Sendable, Equatable {
    public var hash: String
    public var person: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date
    /// The link's `printedBy`: who printed the link the session began from, for someone else.
    /// Absent for every other session (and in a book from before).
    public var printedBy: String?

    /// Whether the session is still open at `now`: before its absolute expiry, and less
    /// than `AccessBook.sessionIdleLimit` since its last request (its person's grants aside).
    public func isLive(at now: Date) -> Bool {
      now < expiresAt && now.timeIntervalSince(lastSeenAt) < AccessBook.sessionIdleLimit
    }
  }

  /// A bearer token for the JSON API (`accord token create`).
  public struct APIToken: Codable, Sendable, Equatable {
    /// A short public name for the token, shown by `accord access list` and taken by
    /// `accord token revoke`; it is part of the token and proves nothing alone.
    public var id: String
    public var hash: String
    public var person: String
    /// The one client the token may be used for, or nil for every client its person may see.
    public var client: String?
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    /// Whether the token still works at `now`: not revoked, not expired (its person's
    /// grants aside).
    public func isLive(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }
  }
}

// MARK: - Who sees what

/// The clients a person may see: all of them (firm access), or some.
public enum AccessScope: Sendable, Equatable {
  case firm
  case clients(Set<String>)

  public func includes(_ client: String) -> Bool {
    switch self {
    case .firm: true
    case let .clients(ids): ids.contains(client)
    }
  }

  /// The part of `self` a token limited to `client` leaves.
  func narrowed(to client: String?) -> AccessScope {
    guard let client else { return self }
    return includes(client) ? .clients([client]) : .clients([])
  }

  public var isEmpty: Bool {
    if case let .clients(ids) = self { return ids.isEmpty }
    return false
  }
}

extension AccessBook {
  /// What `person` may see now: firm access if any grant is for the firm, else the clients
  /// granted. Empty for someone with no grant, whose sessions and tokens then open nothing.
  public func scope(of person: String) -> AccessScope {
    let mine = grants.filter { $0.person == person }
    if mine.contains(where: { $0.client == nil }) { return .firm }
    return .clients(Set(mine.compactMap(\.client)))
  }

  /// Everyone who holds a grant, sorted.
  public var people: [String] {
    Array(Set(grants.map(\.person))).sorted()
  }
}

// MARK: - Secrets

/// A secret handed to a person once (in a link, a cookie or a token) and its SHA-256, which is
/// all the workspace keeps.
public struct AccessSecret: Sendable {
  public let text: String
  public var hash: String { Self.hash(text) }

  /// 32 bytes from the system's cryptographic generator, in unpadded base64url (43 characters).
  public static func random() -> AccessSecret {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return AccessSecret(text: base64url(bytes))
  }

  public init(text: String) { self.text = text }

  public static func hash(_ text: String) -> String { SHA256.hex(text.utf8) }

  static func base64url(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  /// Whether two hex hashes are equal, in time that depends only on their lengths, so a
  /// request cannot learn a stored hash byte by byte from how long a refusal takes.
  public static func sameHash(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
  }
}

extension Array {
  /// The index of the element whose `hash` equals `hash`, comparing with every element in
  /// constant time rather than stopping at the first match.
  func constantTimeIndex(of hash: String, _ key: (Element) -> String) -> Int? {
    var found: Int?
    for index in indices where AccessSecret.sameHash(key(self[index]), hash) {
      found = index
    }
    return found
  }
}

// MARK: - Changes

extension AccessBook {
  /// How long a session lasts at most, and without a request.
  public static let sessionLifetime: TimeInterval = 12 * 3600
  public static let sessionIdleLimit: TimeInterval = 3600

  /// Gives `person` access to `client` (nil: every client) and makes a one-time sign-in link,
  /// `printed` when it is shown to `author` rather than mailed to `person`. Returns the link's
  /// secret, which is not kept.
  public mutating func invite(
    _ person: String, to client: String?, by author: String, printed: Bool = false, now: Date, expiresAt: Date
  ) -> AccessSecret {
    grant(person, to: client, by: author, now: now)
    let secret = AccessSecret.random()
    links.append(
      SignInLink(
        hash: secret.hash, person: person, client: client, createdBy: author, createdAt: now,
        expiresAt: expiresAt, printed: printed ? true : nil))
    return secret
  }

  /// The link whose secret is `secret`, whatever its state, for the sign-in page to describe.
  public func link(secret: String) -> SignInLink? {
    links.constantTimeIndex(of: AccessSecret.hash(secret), \.hash).map { links[$0] }
  }

  /// Whether the workspace has given firm access to anyone yet: until it has, the first
  /// firm grant may be made by anyone at the terminal.
  public var hasFirmGrant: Bool { grants.contains { $0.client == nil } }

  /// Adds a grant unless `person` already has that access.
  public mutating func grant(_ person: String, to client: String?, by author: String, now: Date) {
    guard !grants.contains(where: { $0.person == person && $0.client == client }) else { return }
    grants.append(Grant(person: person, client: client, grantedBy: author, grantedAt: now))
  }

  /// Why a link does not sign anyone in.
  public enum LinkProblem: Error, Sendable, Equatable {
    case unknown, used, expired, noAccess
  }

  /// Uses the link whose secret is `secret`: marks it used and opens a session for its person.
  /// Returns the session's secret (for the cookie) and the person.
  public mutating func redeem(linkSecret secret: String, now: Date) throws(LinkProblem) -> (
    session: AccessSecret, person: String
  ) {
    guard let index = links.constantTimeIndex(of: AccessSecret.hash(secret), \.hash) else { throw .unknown }
    let link = links[index]
    if link.usedAt != nil { throw .used }
    if now >= link.expiresAt { throw .expired }
    // Revoked since the invitation: the link is void.
    if scope(of: link.person).isEmpty { throw .noAccess }
    links[index].usedAt = now
    let session = AccessSecret.random()
    sessions.append(
      Session(
        hash: session.hash, person: link.person, createdAt: now, lastSeenAt: now,
        expiresAt: now.addingTimeInterval(Self.sessionLifetime), printedBy: link.printedBy))
    sessions.removeAll { !$0.isLive(at: now) }
    return (session, link.person)
  }

  /// The live session whose cookie holds `secret`, if its person still has access.
  public func session(secret: String, now: Date) -> Session? {
    guard let index = sessions.constantTimeIndex(of: AccessSecret.hash(secret), \.hash) else { return nil }
    let session = sessions[index]
    guard session.isLive(at: now), !scope(of: session.person).isEmpty else { return nil }
    return session
  }

  /// Moves a session's idle clock forward. Returns whether anything changed.
  @discardableResult
  public mutating func touch(sessionHash: String, now: Date) -> Bool {
    guard let index = sessions.constantTimeIndex(of: sessionHash, \.hash) else { return false }
    sessions[index].lastSeenAt = now
    return true
  }

  /// Ends the session whose cookie holds `secret` (signing out).
  public mutating func endSession(secret: String) {
    let hash = AccessSecret.hash(secret)
    sessions.removeAll { AccessSecret.sameHash($0.hash, hash) }
  }

  /// Makes an API token for `person`, limited to `client` when given. Returns the whole token
  /// (`accord_<id>_<secret>`), which is not kept, and its id.
  public mutating func createToken(
    for person: String, client: String?, by author: String, now: Date, expiresAt: Date
  ) -> (token: String, id: String) {
    var id: String
    repeat {
      id = String(AccessSecret.random().text.filter { $0.isLetter || $0.isNumber }.prefix(8)).lowercased()
    } while id.count < 8 || tokens.contains { $0.id == id }
    let token = "accord_\(id)_" + AccessSecret.random().text
    tokens.append(
      APIToken(
        id: id, hash: AccessSecret.hash(token), person: person, client: client, createdBy: author,
        createdAt: now, expiresAt: expiresAt))
    return (token, id)
  }

  /// The live token `text` is, if its person still has access.
  public func token(_ text: String, now: Date) -> APIToken? {
    guard let index = tokens.constantTimeIndex(of: AccessSecret.hash(text), \.hash) else { return nil }
    let token = tokens[index]
    guard token.isLive(at: now), !scope(of: token.person).isEmpty else { return nil }
    return token
  }

  /// What a token opens: its person's scope, narrowed to its client.
  public func scope(of token: APIToken) -> AccessScope {
    scope(of: token.person).narrowed(to: token.client)
  }

  /// Revokes the token with public id `id`. Returns it, or nil when there is no such live token.
  public mutating func revokeToken(id: String, now: Date) -> APIToken? {
    guard let index = tokens.firstIndex(where: { $0.id == id && $0.revokedAt == nil }) else { return nil }
    tokens[index].revokedAt = now
    return tokens[index]
  }

  /// What `revoke` took away.
  public struct Revocation: Sendable, Equatable {
    public var grants = 0
    public var links = 0
    public var sessions = 0
    public var tokens = 0
    public var isEmpty: Bool { grants == 0 }
  }

  /// Takes `person`'s access to `client` away (nil: every grant they hold, firm access too),
  /// with the unused links made for it. When no grant is left, their sessions end and their
  /// tokens are revoked; otherwise their tokens limited to `client` are revoked, and a
  /// session stays open on the clients still granted (every request checks the grants).
  public mutating func revoke(_ person: String, from client: String?, now: Date) -> Revocation {
    var done = Revocation()
    let before = grants.count
    grants.removeAll { $0.person == person && (client == nil || $0.client == client) }
    done.grants = before - grants.count
    let linksBefore = links.count
    links.removeAll { $0.person == person && $0.usedAt == nil && (client == nil || $0.client == client) }
    done.links = linksBefore - links.count
    let nothingLeft = scope(of: person).isEmpty
    if nothingLeft {
      let sessionsBefore = sessions.count
      sessions.removeAll { $0.person == person }
      done.sessions = sessionsBefore - sessions.count
    }
    for index in tokens.indices
    where tokens[index].person == person && tokens[index].revokedAt == nil
      && (nothingLeft || tokens[index].client == client)
    {
      tokens[index].revokedAt = now
      done.tokens += 1
    }
    return done
  }
}
