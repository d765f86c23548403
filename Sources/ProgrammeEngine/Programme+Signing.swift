import Foundation

// Which signature a person makes, and which they withdraw, when they name no role: the rule
// every front end (the commands, the API, the pages) reaches through these, never its own copy.

extension Programme {
  /// The signature `signer` makes on `agreement` at `time` for `role`, or for the one
  /// unsigned signatory role they hold (`role(toSign:by:at:)`), on the terms they were shown:
  /// `terms`, the SHA-256 of the agreement's terms as the signer read them. Recording it
  /// refuses terms other than those in force (`Refusal.termsChanged`), once the signer is
  /// known to be one who may sign.
  public func signature(
    on agreement: String, as role: String? = nil, by signer: String, at time: Date, terms: String
  ) throws(Refusal) -> Change {
    if let role { return .signed(agreement: agreement, role: role, terms: terms) }
    return .signed(agreement: agreement, role: try self.role(toSign: agreement, by: signer, at: time), terms: terms)
  }

  /// The withdrawal `signer` makes at `time` of the signature on `agreement` for `role`, or
  /// for the one signatory role whose signature they may withdraw (`role(toRevoke:by:at:)`).
  public func revocation(of agreement: String, as role: String? = nil, by signer: String, at time: Date)
    throws(Refusal) -> Change
  {
    if let role { return .revoked(agreement: agreement, role: role) }
    return .revoked(agreement: agreement, role: try self.role(toRevoke: agreement, by: signer, at: time))
  }
}
