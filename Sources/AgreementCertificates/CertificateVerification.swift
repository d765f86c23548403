import Foundation
import PlaybookSpec
import ProgrammeEngine

/// What `accord verify` found about one certificate: valid when there is no problem.
public struct CertificateVerification: Sendable {
  /// Where the key the seal was checked against came from.
  public enum KeySource: String, Sendable {
    /// `--key`.
    case given
    /// The firm's own key file on this machine.
    case firm
    /// Only the key the certificate itself names.
    case embedded
  }

  public var format: CertificateFormat
  public var certificate: Certificate
  public var problems: [CertificateProblem] = []
  public var notes: [CertificateNote] = []
  public var keySource: KeySource
  /// The key whose seal is valid over the content, when one is.
  public var sealedBy: FirmPublicKey?

  public var isValid: Bool { problems.isEmpty }

  /// Checks `document`: its seal against `trusted` (else against the key it names, which
  /// proves only that the content is whole), the agreement's terms against their hash, each
  /// signature's terms, and for Markdown and HTML the readable text against the sealed JSON.
  ///
  /// Throws when the JSON is not a certificate's at all (a field missing, of a wrong kind).
  public init(
    _ document: CertificateDocument, trusting trusted: FirmPublicKey?, keySource: KeySource
  ) throws(CertificateFormatError) {
    format = document.format
    certificate = try Certificate(document.payload)
    self.keySource = trusted == nil ? .embedded : keySource
    checkSeal(document.payload, trusted: trusted)
    checkTerms()
    if let difference = document.visibleDifference(from: certificate) {
      problems.append(.visibleTextDiffers(line: difference.line, sealed: difference.sealed, found: difference.found))
    }
  }

  private mutating func checkSeal(_ payload: JSONValue, trusted: FirmPublicKey?) {
    let embedded: FirmPublicKey?
    do {
      embedded = try FirmPublicKey(text: certificate.key)
    } catch {
      embedded = nil
      problems.append(.embeddedKeyMalformed(error.description))
    }
    guard let sealValue = payload["seal"], sealValue != .null else { return problems.append(.sealMissing) }
    guard case let .string(text) = sealValue, let seal = Data(base64Encoded: text), seal.count == 64 else {
      return problems.append(.sealMalformed)
    }
    let content = Array(payload.removing("seal").canonical.utf8)
    let signature = [UInt8](seal)
    let validUnderEmbedded = embedded?.isValidSignature(signature, for: content) ?? false
    guard let trusted else {
      if validUnderEmbedded, let embedded {
        sealedBy = embedded
        notes.append(.integrityOnly(fingerprint: embedded.fingerprint))
      } else {
        problems.append(.sealBroken(hint: hint))
      }
      return
    }
    if trusted.isValidSignature(signature, for: content) {
      sealedBy = trusted
    } else if validUnderEmbedded, let embedded, embedded != trusted {
      problems.append(.wrongKey(expected: trusted.fingerprint, sealedBy: embedded.fingerprint))
    } else {
      problems.append(.sealBroken(hint: hint))
    }
  }

  /// Where to look when only the seal says something changed.
  private var hint: String {
    let agreement = certificate.agreement
    let computed = agreement.computedHash
    guard computed == agreement.termsHash else { return "the agreement was edited, as the next problem says" }
    return "the terms still match their hash, so a signature, the client, the playbook, the chain head or the "
      + "issuer was edited; verify with --workspace to name what differs from the client's history"
  }

  private mutating func checkTerms() {
    let agreement = certificate.agreement
    let computed = agreement.computedHash
    if computed != agreement.termsHash {
      problems.append(.termsEdited(recorded: agreement.termsHash, computed: computed))
    }
    for signature in certificate.signatures {
      if let terms = signature.terms, terms != agreement.termsHash {
        problems.append(.signatureOnOtherTerms(role: signature.role, signed: terms, terms: agreement.termsHash))
      }
    }
  }
}
