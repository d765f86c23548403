import AccordKit
import AccordRemote
import AgreementCertificates
import ArgumentParser
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension Accord {
  /// `accord verify`: whether a certificate is as the firm sealed it.
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Check a certificate: its seal, its terms, and its text; with --workspace, the history.",
      discussion: """
        Answers valid (exit 0), naming the key that sealed it, or names exactly what does \
        not match (exit 65): a missing or broken seal, another key's seal, terms that no \
        longer match their hash, a signature edited, or readable text (Markdown, HTML) that \
        differs from the sealed content. The seal is checked against --key (the public key \
        text or a file holding it), else the firm's own key on this machine, else only the \
        key the certificate names, which shows the content is whole but not who sealed it. \
        With --workspace DIR it also checks the certificate against the client's history \
        there: each signature present with the same terms, time, person and note, and the \
        history's hash chain intact up to the last one, ending at the certificate's chain \
        head; signatures revoked or stale since are reported. With --remote NAME, the seal is \
        checked against the firm's key that server gave and the certificate against this \
        laptop's copy of its clients: offline too, as of the last accord sync. Nothing is \
        written.
        """)

    @Argument(
      help: ArgumentHelp("The certificate file (md, json or html).", valueName: "certificate"),
      completion: .file())
    var certificate: String
    @Option(
      help: ArgumentHelp(
        "The firm's public key: its text (accord-ed25519:...) or a file holding it.", valueName: "public-key"),
      completion: .file())
    var key: String?
    @Option(
      help: ArgumentHelp("Also check against the client's history in this workspace.", valueName: "dir"),
      completion: .directory)
    var workspace: String?
    @Option(
      help: ArgumentHelp(
        "Check against the firm's key and the client's history on this laptop's copy of a remote.",
        valueName: "name"))
    var remote: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
      if let remote, let workspace {
        throw ValidationError("--workspace \(workspace) and --remote \(remote) name two histories: give one of them")
      }
    }

    /// This laptop's copy of the remote named, for its firm key and its histories.
    private var replica: Replica? {
      get throws {
        guard let remote else { return nil }
        _ = try RemoteConfig.load().remote(named: remote)
        return Replica(directory: try RemoteConfig.replicaFolder(for: remote))
      }
    }

    /// The most of a certificate file read: as much as a playbook may hold, and its history.
    static let maximumSize = 32 << 20

    func run() throws {
      let data = try InputFile(what: "certificate", limit: Self.maximumSize).read(certificate)
      let (trusted, source) = try trustedKey()
      var verification: CertificateVerification
      do {
        guard let text = String(data: data, encoding: .utf8) else {
          throw CertificateFormatError.notText
        }
        verification = try CertificateVerification(
          CertificateDocument(text: text), trusting: trusted, keySource: source)
      } catch let error as CertificateFormatError {
        throw FileProblem(
          path: certificate, problem: "is not an Accord certificate: \(error)", status: .dataError,
          code: "not-a-certificate")
      }
      if let folder = try workspace ?? replica?.directory.path { try check(&verification, against: folder) }
      if output.json {
        try JSONOutput.print(VerifyJSON(file: certificate, verification, workspace: workspace != nil || remote != nil))
      } else {
        emit(Self.render(verification, file: certificate))
      }
      if !verification.isValid { throw CommandExit(status: .dataError) }
    }

    /// The key to check the seal against, and where it came from; nil for none but the
    /// certificate's own.
    private func trustedKey() throws -> (FirmPublicKey?, CertificateVerification.KeySource) {
      if let key {
        if key.hasPrefix(FirmPublicKey.prefix) {
          do {
            return (try FirmPublicKey(text: key), .given)
          } catch {
            throw FileProblem(
              path: key, problem: "is not a public key: \(error)", status: .dataError, code: "invalid-public-key")
          }
        }
        let bytes = try InputFile(what: "public key", limit: 4096).read(key)
        do {
          return (try FirmPublicKey(text: String(decoding: bytes, as: UTF8.self)), .given)
        } catch {
          throw FileProblem(
            path: key, problem: "does not hold a public key: \(error)", status: .dataError,
            code: "invalid-public-key")
        }
      }
      if let replica = try replica {
        guard let text = replica.firmKey() else {
          throw UsageError(
            "this laptop's copy of \(remote!) holds no firm key: run accord sync while the server can be reached "
              + "(a server that keeps no firm key issues no certificates)")
        }
        return (try FirmPublicKey(text: text), .firm)
      }
      guard let file = FirmKeyFile.standard(), file.exists else { return (nil, .embedded) }
      return (try Accord.KeyCommand.firmKey(file).publicKey, .firm)
    }

    /// Adds what the client's history in `folder` says to `verification`; reads only.
    private func check(_ verification: inout CertificateVerification, against folder: String) throws {
      let id = try ClientID(verification.certificate.client.id)
      let directory = WorkspaceLocation.resolve(
        flag: folder, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
      ).directory
      // Read only: no memory of what was seen, no cache of compiled playbooks is written.
      let store = Workspace(
        directory: directory, lockTimeout: Environment.lockTimeout,
        holder: Environment.holder(Environment.loginName, "verify"))
      // Its chain is checked against the certificate's head below, and an edit reported as
      // a finding: `verify`, like `check`, reads a damaged history to say what is wrong.
      let (record, programme) = try store.programmeForAudit(id)
      verification.check(
        against: programme, uid: record.uid, playbookSHA256: record.playbook.sha256,
        earlierPlaybooks: record.earlierPlaybooks.map(\.sha256))
    }

    static func render(_ verification: CertificateVerification, file: String) -> [String] {
      let certificate = verification.certificate
      let count = certificate.signatures.count
      let what =
        "a certificate of '\(certificate.agreement.id)' for \(certificate.client.name) [\(certificate.client.id)], "
        + "\(count == 1 ? "1 signature" : "\(count) signatures")"
      var lines: [String]
      if verification.isValid {
        let sealer = verification.sealedBy.map(\.fingerprint) ?? "?"
        let source =
          switch verification.keySource {
          case .given: "the key given"
          case .firm: "this firm's own key"
          case .embedded: "the key the certificate names"
          }
        lines = ["valid: \(file) is \(what), sealed by key \(sealer) (\(source))."]
      } else {
        lines = ["invalid: \(file) (\(what)) does not match:"]
        lines += verification.problems.map { "  - \($0)" }
      }
      lines += verification.notes.map { "  note: \($0)" }
      return lines
    }
  }
}

extension CertificateFormatError {
  /// A file whose bytes are not UTF-8 text.
  static let notText = CertificateFormatError("it is not UTF-8 text")
}

/// `verify --json`.
struct VerifyJSON: Encodable {
  var file: String
  var valid: Bool
  var format: String
  var client: String
  var agreement: String
  var termsHash: String
  var key: KeyUsed
  var problems: [Item]
  var notes: [Item]
  /// Whether the certificate was checked against a workspace's history too.
  var workspaceChecked: Bool

  struct KeyUsed: Encodable {
    /// "given", "firm" or "embedded".
    var source: String
    /// The fingerprint of the key whose seal is valid; null when none is.
    var sealedBy: String?

    private enum CodingKeys: String, CodingKey { case source, sealedBy }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(source, forKey: .source)
      try container.encode(sealedBy, forKey: .sealedBy)
    }
  }

  struct Item: Encodable {
    var code: String
    var message: String
  }

  init(file: String, _ verification: CertificateVerification, workspace: Bool) {
    self.file = file
    valid = verification.isValid
    format = verification.format.rawValue
    client = verification.certificate.client.id
    agreement = verification.certificate.agreement.id
    termsHash = verification.certificate.agreement.termsHash
    key = KeyUsed(source: verification.keySource.rawValue, sealedBy: verification.sealedBy?.fingerprint)
    problems = verification.problems.map { Item(code: $0.code, message: $0.description) }
    notes = verification.notes.map { Item(code: $0.code, message: $0.description) }
    workspaceChecked = workspace
  }
}
