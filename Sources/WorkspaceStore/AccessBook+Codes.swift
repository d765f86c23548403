import Foundation

extension AccessBook {
  /// A one-time code for signing in at the command line (`accord login`), mailed to its
  /// person by `POST /api/v1/login` and exchanged for an API token by `POST
  /// /api/v1/login/token`. Kept only as the SHA-256 of the code, as links and tokens are.
  /// Unlike a sign-in link it opens no browser session: it is never looked up by the
  /// sign-in page.
  public struct SignInCode: Codable, Sendable, Equatable {
    public var hash: String
    public var person: String
    public var createdAt: Date
    public var expiresAt: Date
    /// When it was exchanged for a token; a used code never works again.
    public var usedAt: Date?
    /// Wrong codes given for its person while it was live: at `AccessBook.codeTries` it burns.
    public var failures: Int
    /// The SHA-256 of the request id `POST /api/v1/login` answered with, which the command
    /// line polls with until the link is approved (`AccessBook+LaptopLinks`). Nil (absent)
    /// for a code made before links, which only a typed code uses.
    public var request: String?
    /// The SHA-256 of the secret in the mailed link (`/sign-in/laptop/SECRET`); nil as `request`.
    public var link: String?
    /// When the link was approved in a browser: the next poll with `request` takes a token.
    public var approvedAt: Date?

    /// Whether the code can still be exchanged at `now` (its person's grants aside).
    public func isUsable(at now: Date) -> Bool {
      usedAt == nil && now < expiresAt && failures < AccessBook.codeTries
    }

    /// Whether its link was approved and its laptop may still take the token at `now`:
    /// for `AccessBook.approvedPickup` after the approval, even past `expiresAt`.
    public func isWaitingToBeTaken(at now: Date) -> Bool {
      guard usedAt == nil, let approvedAt else { return false }
      return now < approvedAt.addingTimeInterval(AccessBook.approvedPickup)
    }

    /// Whether it may still sign anyone in, by code, link or poll.
    func isLive(at now: Date) -> Bool { isUsable(at: now) || isWaitingToBeTaken(at: now) }
  }

  /// How long a mailed code works.
  public static let codeLifetime: TimeInterval = 15 * 60
  /// How many wrong codes burn a person's live code.
  public static let codeTries = 5
  /// How long a token a code is exchanged for works.
  public static let codeTokenLifetime: TimeInterval = 90 * 86_400
  /// The letters a code is made of: capitals and digits that cannot be taken for one
  /// another when read from a mail and typed (no I, L, O, 0 or 1).
  public static let codeAlphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

  /// A new code for `person`, in two groups of five (`ABCDE-FGHJK`, about 50 bits), which
  /// replaces any unused one they had: a person holds one live code at a time. Nil when
  /// `person` has no access, who is sent nothing.
  public mutating func issueCode(for person: String, now: Date) -> String? {
    issue(for: person, now: now, expiresAt: now.addingTimeInterval(Self.codeLifetime), request: nil, link: nil)
  }

  /// Keeps a new sign-in for `person` (a code, and a request and link when given), in place
  /// of any unused one they had; nil when `person` has no access.
  mutating func issue(
    for person: String, now: Date, expiresAt: Date, request: String?, link: String?
  ) -> String? {
    guard !scope(of: person).isEmpty else { return nil }
    var generator = SystemRandomNumberGenerator()
    let letters = (0..<10).map { _ in Self.codeAlphabet.randomElement(using: &generator)! }
    let code = String(letters.prefix(5)) + "-" + String(letters.suffix(5))
    // A link approved but not yet taken by its laptop stays, to be taken.
    var kept = (codes ?? []).filter { ($0.person != person || $0.isWaitingToBeTaken(at: now)) && $0.isLive(at: now) }
    kept.append(
      SignInCode(
        hash: AccessSecret.hash(Self.normalised(code)), person: person, createdAt: now, expiresAt: expiresAt,
        usedAt: nil, failures: 0, request: request, link: link, approvedAt: nil))
    codes = kept
    return code
  }

  /// A code as typed, compared without its dashes and spaces, whatever the case.
  static func normalised(_ code: String) -> String {
    String(code.uppercased().filter { $0 != "-" && !$0.isWhitespace })
  }

  /// What exchanging a code came to.
  public enum CodeExchange: Sendable, Equatable {
    /// The code was right: a new token for its person (the whole token, shown once).
    case token(String, id: String, expiresAt: Date)
    /// Wrong, used, expired or burnt, or its person has no access now; a wrong code counts
    /// against the person's live code.
    case refused
  }

  /// Exchanges `code` for a new API token for `person`, opening what their grants open, for
  /// `codeTokenLifetime`. The book is changed either way (a use, or a wrong try counted):
  /// keep it whatever the answer.
  public mutating func exchange(code: String, for person: String, now: Date) -> CodeExchange {
    var list = codes ?? []
    defer { codes = list.filter { $0.isLive(at: now) || now.timeIntervalSince($0.createdAt) < 86_400 } }
    let hash = AccessSecret.hash(Self.normalised(code))
    let found = list.constantTimeIndex(of: hash, \.hash)
    guard let index = found, list[index].person == person, list[index].isUsable(at: now),
      !scope(of: person).isEmpty
    else {
      for index in list.indices where list[index].person == person && list[index].isUsable(at: now) {
        list[index].failures += 1
      }
      return .refused
    }
    list[index].usedAt = now
    let expiresAt = now.addingTimeInterval(Self.codeTokenLifetime)
    let (token, id) = createToken(for: person, client: nil, by: person, now: now, expiresAt: expiresAt)
    return .token(token, id: id, expiresAt: expiresAt)
  }
}
