import ProgrammeEngine

/// Why a certificate cannot be issued.
public enum CertificateRefusal: Error, Sendable, Hashable, CustomStringConvertible {
  /// The client's playbook has no agreement of that id; `suggestion` is the nearest one.
  case unknownAgreement(String, suggestion: String?)
  /// No signature on the agreement counts now: none was made, each was revoked, or each is
  /// on terms since changed. `unsigned` lists every signatory role.
  case noSignatures(agreement: String, unsigned: [String])

  /// A stable name for programs.
  public var code: String {
    switch self {
    case .unknownAgreement: "unknown-agreement"
    case .noSignatures: "no-signatures"
    }
  }

  public var description: String {
    switch self {
    case let .unknownAgreement(id, suggestion):
      "the playbook has no agreement '\(id)'" + didYouMean(suggestion)
    case let .noSignatures(agreement, unsigned):
      "agreement '\(agreement)' has no signature that counts (still to sign: \(unsigned.joined(separator: ", "))), "
        + "so there is nothing to certify"
    }
  }
}
