import PlaybookSpec
import ProgrammeEngine

/// What a certificate states about one signed agreement of one client: the client, the
/// playbook, the agreement's whole terms and hash, each signature that counted when it was
/// issued, the history's chain head at the last of them, and who issued it with which key.
///
/// The firm's seal is over this content (see `SealedCertificate`); docs/state-format.md
/// describes the JSON, field by field.
public struct Certificate: Sendable, Hashable {
  /// The value of `format`, which marks a JSON object as a certificate of this layout.
  public static let format = "accord-certificate/1"

  public var client: Client
  public var playbook: PlaybookReference
  public var agreement: AgreementTerms
  /// The signatures that counted when the certificate was issued, in the order of the
  /// agreement's signatories.
  public var signatures: [SignatureEntry]
  /// The signatory roles with no signature that counted then: empty when the agreement was
  /// signed by every signatory.
  public var unsigned: [String]
  /// `HistoryChain.head` of the client's history up to and including the event of the
  /// newest signature here: what the next event in the history links to.
  public var chainHead: String
  /// When the certificate was issued, as `2026-11-30T07:12:13Z`.
  public var issuedAt: String
  /// Who issued it (`--by`).
  public var issuedBy: String
  /// The firm's public key, as `accord-ed25519:BASE64` (`FirmPublicKey.text`).
  public var key: String

  /// The client the agreement belongs to.
  public struct Client: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The client file's fixed `uid`, so that a client re-created under the same id is told apart.
    public var uid: String

    public init(id: String, name: String, uid: String) {
      self.id = id
      self.name = name
      self.uid = uid
    }
  }

  /// The playbook in force, as stored with the client: its id, version and the SHA-256 of
  /// its text, as an upgrade names it too.
  public typealias PlaybookReference = PlaybookVersion

  /// The agreement, whole: what its signatories signed.
  public struct AgreementTerms: Sendable, Hashable {
    public var id: String
    public var title: String
    /// The terms' text; nil for an agreement without terms.
    public var terms: String?
    public var signatories: [String]
    /// The SHA-256 of the agreement's canonical content (`Agreement.termsHash`).
    public var termsHash: String
    /// The metric targets the agreement commits to, as metric id and canonical value, in the
    /// playbook's order; part of the terms. Empty for an agreement without (and in every
    /// certificate from before targets, whose JSON has no `targets`).
    public var targets: [Target] = []

    /// One metric target: the metric's id and the value, as canonical decimal text.
    public struct Target: Sendable, Hashable {
      public var metric: String
      public var value: String

      public init(metric: String, value: String) {
        self.metric = metric
        self.value = value
      }
    }

    /// The hash of the agreement as the certificate gives it, computed the engine's one way.
    public var computedHash: String {
      Agreement.termsHash(
        id: id, title: title, terms: terms, signatories: signatories, targets: targets.map { ($0.metric, $0.value) })
    }
  }

  /// One signature, as the history records it.
  public struct SignatureEntry: Sendable, Hashable {
    public var role: String
    public var person: String
    /// When it was signed, as `2026-11-30T07:12:13Z`.
    public var at: String
    public var note: String?
    /// The terms hash the signature recorded; nil for a signature from before signatures
    /// carried it (it counts on the terms in force).
    public var terms: String?
    /// Who entered the signature into Accord (the event's `by`).
    public var enteredBy: String
    /// For whom, when it was entered on someone's behalf; nil when the signer entered it.
    public var onBehalfOf: String?
    /// Who printed the sign-in link of the web session the signature was made in, when they
    /// printed it for the signer (the event's `printedBy`). Nil otherwise; the JSON then has
    /// no such key, as certificates from before it had none, so that they keep verifying.
    public var printedBy: String? = nil
    /// Who held the role when the certificate was issued, when that was no longer the person
    /// the signature was made for (the role was handed over). Nil otherwise; the JSON then has
    /// no such key, as certificates from before it had none.
    public var heldBy: String? = nil
    /// When `heldBy` affirmed the signature as their own (`accord affirm`), as
    /// `2026-11-30T07:12:13Z`; nil when they had not (signed by a predecessor) or when the
    /// signer still held the role. Absent from the JSON when nil.
    public var affirmedAt: String? = nil

    /// What the certificate says of the role's holder: nothing when the signer held it;
    /// who held it, and whether they affirmed it, when it had been handed over.
    public var standing: String? {
      guard let heldBy else { return nil }
      return affirmedAt.map { "held by \(heldBy), who affirmed it at \($0)" }
        ?? "held by \(heldBy), who has not affirmed it: signed by a predecessor"
    }
  }

  public init(
    client: Client, playbook: PlaybookReference, agreement: AgreementTerms, signatures: [SignatureEntry],
    unsigned: [String], chainHead: String, issuedAt: String, issuedBy: String, key: String
  ) {
    self.client = client
    self.playbook = playbook
    self.agreement = agreement
    self.signatures = signatures
    self.unsigned = unsigned
    self.chainHead = chainHead
    self.issuedAt = issuedAt
    self.issuedBy = issuedBy
    self.key = key
  }
}
