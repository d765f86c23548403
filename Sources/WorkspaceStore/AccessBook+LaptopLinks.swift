import Foundation

/// The id of one `accord login` asking to be signed in (`POST /api/v1/login`), which the
/// command line then polls with (`POST /api/v1/login/token`) until the link mailed with
/// the code is approved in a browser.
///
/// It is made for every request, whoever is named, and says when it runs out: 32 random
/// bytes, a dot and the expiry in seconds since 1970. A poll with one the book does not
/// hold (nobody was mailed) is answered exactly as one whose link was not opened, pending
/// until that time and out of date after it, so that polling says nothing of who exists.
/// Only its hash is kept.
public struct LoginRequest: Sendable, Equatable {
  public let text: String
  public let expiresAt: Date

  /// A new request, running out `AccessBook.codeLifetime` after `now`.
  public static func make(now: Date) -> LoginRequest {
    let seconds = Int(now.addingTimeInterval(AccessBook.codeLifetime).timeIntervalSince1970.rounded(.up))
    return LoginRequest(text: AccessSecret.random().text + "." + String(seconds), seconds: seconds)
  }

  private init(text: String, seconds: Int) {
    self.text = text
    expiresAt = Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  /// The request `text` is, or nil when it is not one Accord makes.
  public init?(_ text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 43,
      parts[0].unicodeScalars.allSatisfy({ Self.base64url.contains($0) }),
      (1...12).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
      let seconds = Int(parts[1])
    else { return nil }
    self.init(text: text, seconds: seconds)
  }

  private static let base64url = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".unicodeScalars)

  public var hash: String { AccessSecret.hash(text) }

  /// Six characters the command line prints and the link's page shows, so that a person
  /// approves only the laptop in front of them, not a sign-in someone else asked for in
  /// their name. Read from the request's hash, which the book keeps.
  public var check: String { Self.check(hash: hash) }

  static func check(hash: String) -> String {
    let letters = hash.prefix(6).uppercased()
    return String(letters.prefix(3)) + "-" + String(letters.suffix(3))
  }
}

extension AccessBook {
  /// How long a laptop may take to collect its token once its link is approved.
  public static let approvedPickup: TimeInterval = 5 * 60

  /// What a mailed sign-in holds: the code to type and the link's secret to open.
  public struct LaptopSignIn: Sendable {
    public var code: String
    public var link: AccessSecret
  }

  /// A code and a link for `person`, answering `request`, working until it runs out; nil
  /// when `person` has no access (who is sent nothing).
  public mutating func issueSignIn(for person: String, request: LoginRequest, now: Date) -> LaptopSignIn? {
    let link = AccessSecret.random()
    guard
      let code = issue(
        for: person, now: now, expiresAt: request.expiresAt, request: request.hash, link: link.hash)
    else { return nil }
    return LaptopSignIn(code: code, link: link)
  }

  /// What the link whose secret is `secret` would sign in, without using it: the person
  /// and the check its request shows (a GET, which mail scanners also make).
  public func laptopLink(secret: String, now: Date) throws(LinkProblem) -> (person: String, check: String) {
    let list = codes ?? []
    guard let index = list.constantTimeIndex(of: AccessSecret.hash(secret), { $0.link ?? "" }) else {
      throw .unknown
    }
    let code = list[index]
    if code.usedAt != nil || code.approvedAt != nil { throw .used }
    if !code.isUsable(at: now) { throw .expired }
    if scope(of: code.person).isEmpty { throw .noAccess }
    return (code.person, code.request.map { LoginRequest.check(hash: $0) } ?? "")
  }

  /// Approves the laptop the link whose secret is `secret` was mailed for: its request's
  /// next poll takes a token. Once only; returns the person.
  public mutating func approveLaptop(linkSecret secret: String, now: Date) throws(LinkProblem) -> String {
    let person = try laptopLink(secret: secret, now: now).person
    guard let index = codes?.constantTimeIndex(of: AccessSecret.hash(secret), { $0.link ?? "" }) else {
      throw .unknown
    }
    codes?[index].approvedAt = now
    return person
  }

  /// What a poll with a request came to.
  public enum LaptopPoll: Sendable, Equatable {
    /// Nothing yet: the link is not approved (or nobody was mailed), and the request has
    /// not run out.
    case pending
    /// Approved: a new token for its person (the whole token, shown once). The request is spent.
    case token(String, id: String, expiresAt: Date)
    /// Taken already, by this poll or by its code.
    case used
    /// The request ran out before its link was approved.
    case expired
  }

  /// Answers a poll by `request` for `person`. Only an approved request or a spent one is
  /// told apart from one the book never held, which is pending until its own time.
  public mutating func poll(request: LoginRequest, for person: String, now: Date) -> LaptopPoll {
    var list = codes ?? []
    let found = list.constantTimeIndex(of: request.hash, { $0.request ?? "" })
    if let index = found, list[index].person == person {
      if list[index].isWaitingToBeTaken(at: now), !scope(of: person).isEmpty {
        list[index].usedAt = now
        codes = list
        let expiresAt = now.addingTimeInterval(Self.codeTokenLifetime)
        let (token, id) = createToken(for: person, client: nil, by: person, now: now, expiresAt: expiresAt)
        return .token(token, id: id, expiresAt: expiresAt)
      }
      if list[index].usedAt != nil { return .used }
    }
    return now < request.expiresAt ? .pending : .expired
  }
}
