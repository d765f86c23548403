/// Something true of a valid certificate that its reader should know.
public enum CertificateNote: Sendable, Hashable, CustomStringConvertible {
  /// No key to check against but the one the certificate names: the seal shows the content
  /// is whole, not who made it.
  case integrityOnly(fingerprint: String)
  /// Against the workspace: the signature was revoked after the certificate was issued.
  case revokedSince(role: String, by: String, at: String)
  /// Against the workspace: the role signed again after the certificate was issued.
  case signedAgainSince(role: String, person: String, at: String)
  /// Against the workspace: the signature no longer counts, since the terms changed.
  case staleNow(role: String)
  /// Against the workspace: the client was upgraded since to another text of its playbook
  /// (`sha256`), so the playbook, and perhaps the agreement, in force now differ.
  case upgradedSince(sha256: String)

  public var code: String {
    switch self {
    case .integrityOnly: "integrity-only"
    case .revokedSince: "revoked-since"
    case .signedAgainSince: "signed-again-since"
    case .staleNow: "stale-now"
    case .upgradedSince: "upgraded-since"
    }
  }

  public var description: String {
    switch self {
    case let .integrityOnly(fingerprint):
      "checked only against the key the certificate names (\(fingerprint)): this shows the content is as it was "
        + "sealed, not who sealed it; give the firm's public key with --key to know that"
    case let .revokedSince(role, by, at):
      "the \(role) signature was revoked since, by \(by) at \(at)"
    case let .signedAgainSince(role, person, at):
      "the \(role) role signed again since, by \(person) at \(at)"
    case let .staleNow(role):
      "the \(role) signature no longer counts: the agreement's terms changed since"
    case let .upgradedSince(sha256):
      "the client was moved to another version of its playbook since (sha256 \(sha256.prefix(12)))"
    }
  }
}
