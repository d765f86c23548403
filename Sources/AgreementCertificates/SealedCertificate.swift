import Foundation

/// A certificate with the firm's seal: the Ed25519 signature, by the key the certificate
/// names, of the UTF-8 bytes of the canonical JSON of everything in it but `seal`
/// (`JSONValue.canonical`). The JSON form is this value, pretty-printed, with `seal` as
/// base64; the Markdown and HTML forms carry it too.
public struct SealedCertificate: Sendable, Hashable {
  public var certificate: Certificate
  /// The 64-byte Ed25519 signature.
  public var seal: [UInt8]

  /// Seals `certificate` with `key`, whose public key the certificate must name.
  public init(sealing certificate: Certificate, with key: FirmKey) {
    self.certificate = certificate
    seal = key.sign(Array(certificate.value.canonical.utf8))
  }

  /// The whole certificate as JSON, seal included.
  public var value: JSONValue {
    guard case var .object(fields) = certificate.value else { return certificate.value }
    fields["seal"] = .string(Data(seal).base64EncodedString())
    return .object(fields)
  }
}
