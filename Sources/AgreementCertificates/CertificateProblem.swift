/// One thing about a certificate that does not match: a stable `code` for programs and the
/// sentence a person reads as `description`.
public enum CertificateProblem: Sendable, Hashable, CustomStringConvertible {
  /// The certificate has no `seal`: nothing vouches for its content.
  case sealMissing
  /// The `seal` is not 64 bytes of base64.
  case sealMalformed
  /// The key the certificate names is not a public key.
  case embeddedKeyMalformed(String)
  /// The seal is valid under the key the certificate names, but that is not the key it was
  /// checked against: someone else sealed it.
  case wrongKey(expected: String, sealedBy: String)
  /// The seal does not match the content under any key at hand: the content was changed
  /// after sealing. `hint` says where to look, when the other checks cannot.
  case sealBroken(hint: String)
  /// The agreement's `termsHash` is not the hash of its id, title, terms and signatories:
  /// the terms (or the hash) were edited.
  case termsEdited(recorded: String, computed: String)
  /// A signature records other terms than the agreement's hash.
  case signatureOnOtherTerms(role: String, signed: String, terms: String)
  /// The readable text of a Markdown or HTML certificate is not what its sealed JSON renders to.
  case visibleTextDiffers(line: Int, sealed: String, found: String)
  /// Against the workspace: the client there is another one (another `uid`).
  case otherClient(certificate: String, workspace: String)
  /// Against the workspace: the client is on a playbook with other text.
  case otherPlaybook(certificate: String, workspace: String)
  /// Against the workspace: the client's playbook has no such agreement, or other terms.
  case otherTerms(agreement: String, certificate: String, workspace: String?)
  /// Against the workspace: no `signed` event with this role, person, time, note and terms.
  case signatureNotInHistory(role: String, person: String, at: String)
  /// Against the workspace: the hash chain up to the last signature breaks at this position
  /// (0-based, named `events[N]` as `check` names it): the history was edited by hand.
  case historyEdited(event: Int)
  /// Against the workspace: the history up to the last signature hashes to another head.
  case chainHeadDiffers(certificate: String, workspace: String?)

  /// A stable name for programs.
  public var code: String {
    switch self {
    case .sealMissing: "seal-missing"
    case .sealMalformed: "seal-malformed"
    case .embeddedKeyMalformed: "key-malformed"
    case .wrongKey: "wrong-key"
    case .sealBroken: "seal-broken"
    case .termsEdited: "terms-edited"
    case .signatureOnOtherTerms: "signature-terms-edited"
    case .visibleTextDiffers: "text-differs"
    case .otherClient: "other-client"
    case .otherPlaybook: "other-playbook"
    case .otherTerms: "other-terms"
    case .signatureNotInHistory: "signature-not-in-history"
    case .historyEdited: "history-edited"
    case .chainHeadDiffers: "chain-head-differs"
    }
  }

  public var description: String {
    switch self {
    case .sealMissing:
      "the seal is missing: nothing vouches for this content"
    case .sealMalformed:
      "the seal is not an Ed25519 signature (64 bytes of base64)"
    case let .embeddedKeyMalformed(problem):
      "the key the certificate names is not a public key: \(problem)"
    case let .wrongKey(expected, sealedBy):
      "sealed with another key: key \(sealedBy) sealed it, not the key checked against (\(expected))"
    case let .sealBroken(hint):
      "the seal does not match the content: it was changed after sealing (\(hint))"
    case let .termsEdited(recorded, computed):
      "the agreement was edited: its terms hash to \(computed), but the certificate records \(recorded)"
    case let .signatureOnOtherTerms(role, signed, terms):
      "the \(role) signature was edited: it records terms \(signed), the agreement's are \(terms)"
    case let .visibleTextDiffers(line, sealed, found):
      "the readable text was edited: line \(line) reads '\(found)', the sealed certificate says '\(sealed)'"
    case let .otherClient(certificate, workspace):
      "the workspace's client is another one: its uid is \(workspace), the certificate's \(certificate)"
    case let .otherPlaybook(certificate, workspace):
      "the client's playbook differs: its sha256 is \(workspace), the certificate's \(certificate)"
    case let .otherTerms(agreement, certificate, workspace):
      if let workspace {
        "agreement '\(agreement)' has other terms in the workspace: hash \(workspace), the certificate's \(certificate)"
      } else {
        "the client's playbook has no agreement '\(agreement)'"
      }
    case let .signatureNotInHistory(role, person, at):
      "the \(role) signature by \(person) at \(at) is not in the client's history"
    case let .historyEdited(event):
      "the client's history was edited: its hash chain breaks at events[\(event)] (it or an event before it changed)"
    case let .chainHeadDiffers(certificate, workspace):
      if let workspace {
        "the client's history up to the last signature hashes to \(workspace), not to the certificate's chain head "
          + "\(certificate): the history was rewritten, or the certificate edited"
      } else {
        "the certificate's chain head \(certificate) is nowhere in the client's history"
      }
    }
  }
}
