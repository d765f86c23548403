/// Why a JSON text is not a certificate, as a phrase: "'signatures' is missing".
public struct CertificateFormatError: Error, Sendable, CustomStringConvertible {
  public var description: String

  public init(_ description: String) {
    self.description = description
  }
}
