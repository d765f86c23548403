import AgreementCertificates
import Foundation
import ProgrammeEngine
import WorkspaceStore

/// The firm's key as every front end reads it, and a certificate issued with it: `accord
/// certificate` and `accord serve` (`GET /api/v1/clients/CLIENT/agreements/AGREEMENT/certificate`)
/// call the same two functions, so that a certificate from the server is the one the
/// command would have written.
package enum FirmSeal {
  /// The firm's key, read from `file` and checked.
  package static func key(_ file: FirmKeyFile) throws -> FirmKey {
    let seed = try file.read()
    do {
      return try FirmKey(seed: seed)
    } catch {
      throw KeyFileError.malformed(path: file.path, problem: "does not hold a key: \(error)")
    }
  }

  /// The key `accord serve` seals with: the one `accord certificate` uses (the standard
  /// file), or nil when there is none (the server then issues no certificates). A key file
  /// that is there but others may read, or holds no key, is refused as the command refuses it.
  package static func serverKey(variable: (String) -> String? = processVariable) throws -> FirmKey? {
    guard let file = FirmKeyFile.standard(variable: variable), file.exists else { return nil }
    return try key(file)
  }

  /// A certificate of `agreement` as `programme` (the client `record` holds) stands now,
  /// issued at `now` by `issuer`, sealed with `key`. Throws `CertificateRefusal` (an unknown
  /// agreement, or no signature that counts).
  package static func issue(
    _ agreement: String, record: ClientRecord, programme: Programme, issuedBy issuer: String, at now: Date,
    key: FirmKey
  ) throws -> SealedCertificate {
    let certificate = try Certificate.issue(
      agreement: agreement, of: programme,
      client: .init(id: record.client, name: record.name, uid: record.uid),
      playbook: .init(id: record.playbook.id, version: record.playbook.version, sha256: record.playbook.sha256),
      issuedAt: now, issuedBy: issuer, key: key.publicKey)
    return SealedCertificate(sealing: certificate, with: key)
  }
}
