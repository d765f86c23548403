import AccordKit
import AccordRemote
import AgreementCertificates
import ArgumentParser
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension CertificateFormat: ExpressibleByArgument {}

extension Accord {
  /// `accord certificate`: a sealed certificate of a signed agreement, for the client to keep.
  struct CertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "certificate",
      abstract: "Write a sealed certificate of an agreement's signatures, for the client to keep.",
      discussion: """
        The certificate states the client, the playbook (id, version, sha256), the \
        agreement's whole terms and their hash, each signature that counts now (role, \
        person, time, note, the terms hash signed, who entered it), the history's chain \
        head at the last signature, when and by whom it was issued, and the firm's public \
        key; the firm's key (accord key create) seals all of it with Ed25519. Refused when \
        no signature on the agreement counts. --format json is the sealed JSON itself; md \
        and html are a readable document with the sealed JSON embedded at the end, which \
        `accord verify` checks the text against. --json is short for --format json; \
        without either, --out FILE's extension (.json, .html) picks the format. An existing \
        --out FILE is only replaced with --force, and never goes in the workspace folder.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("An agreement of the client's playbook.", valueName: "agreement"),
      completion: .custom(Completions.agreements))
    var agreement: String
    @Option(
      help: ArgumentHelp(
        "md, json or html (default: md, or as --out FILE's extension says; json with --json).",
        valueName: "format"))
    var format: CertificateFormat?
    @Option(
      help: ArgumentHelp("Write the certificate to this file instead of printing it.", valueName: "file"),
      completion: .file())
    var out: String?
    @Flag(help: "Replace --out FILE if it exists.")
    var force = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    /// The format a file's name asks for: `.json`, `.html` (or `.htm`), else Markdown.
    static func format(of path: String) -> CertificateFormat {
      switch URL(fileURLWithPath: path).pathExtension.lowercased() {
      case "json": .json
      case "html", "htm": .html
      default: .md
      }
    }

    /// A certificate written into the workspace folder would sit among the client files (and
    /// `acme.json` would be taken for one): refused before anything is read.
    static func refuseInside(_ workspace: URL, _ out: String) throws {
      let folder = URL(fileURLWithPath: out).deletingLastPathComponent().standardizedFileURL.resolvingSymlinksInPath()
      if folder.path == workspace.standardizedFileURL.resolvingSymlinksInPath().path {
        throw UsageError("--out \(out) is inside the workspace, among the client files: write the certificate elsewhere")
      }
    }

    func validate() throws {
      if output.json, let format, format != .json {
        throw ValidationError("--json asks for JSON but --format asks for \(format.rawValue): give one of them")
      }
      try OutputFile.checkForce(force, out: out)
    }

    func run() throws {
      let format = format ?? (output.json ? .json : out.map(Self.format(of:)) ?? .md)
      let issuer = actor.person
      if issuer.allSatisfy(\.isWhitespace) || issuer.contains(where: { $0.isNewline }) {
        throw Refusal.invalidPerson(issuer)
      }
      if let session = RemoteSession.current { return try fromServer(session, format: format) }
      // The key first: without it there is nothing to seal with, whatever the client holds.
      let key = try Accord.KeyCommand.firmKey(try Accord.KeyCommand.file())
      let desk = try Desk(workspace, command: "certificate")
      if let out, let folder = desk.workspace?.directory { try Self.refuseInside(folder, out) }
      let (record, programme) = try desk.read(client.id)
      let sealed = try FirmSeal.issue(agreement, record: record, programme: programme, issuedBy: issuer, at: Date(), key: key)
      let certificate = sealed.certificate
      let text = CertificateDocument.render(sealed, as: format)
      guard let out else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
      }
      try OutputFile(path: out, force: force).write(text)
      let count = certificate.signatures.count
      emit([
        "Wrote \(out): a certificate of '\(certificate.agreement.id)' for \(record.client), "
          + "\(count == 1 ? "1 signature" : "\(count) signatures"), sealed with key \(key.publicKey.fingerprint)."
      ])
    }

    /// A certificate issued by the remote's server, which alone holds the firm's key: online
    /// only, however fresh this laptop's copy. Checked against the firm's public key the
    /// server gave before it is written.
    private func fromServer(_ session: RemoteSession.Session, format: CertificateFormat) throws {
      // Synced first, as every command on a remote is: it brings the firm's public key.
      _ = try RemoteSession.open(for: "certificate", person: nil)
      if let out { try Self.refuseInside(session.replica.directory, out) }
      let text = try RemoteSession.onServer(session) {
        "certificates are issued by \(session.name)'s server, which holds the firm's key, and it cannot be reached "
          + "(\($0)): run accord certificate again once it can"
      } _: { [agreement, client] in
        try await $0.certificate(of: agreement, client: client.id.rawValue, format: format.rawValue)
      }
      let trusted = try session.replica.firmKey().map { try FirmPublicKey(text: $0) }
      let verification = try CertificateVerification(CertificateDocument(text: text), trusting: trusted, keySource: .firm)
      guard verification.isValid else {
        throw CommandRefusal(
          code: "invalid-certificate",
          description: "the certificate \(session.name) sent does not verify against the firm's key: "
            + verification.problems.map(\.description).joined(separator: "; "))
      }
      guard let out else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
      }
      try OutputFile(path: out, force: force).write(text)
      let certificate = verification.certificate
      let count = certificate.signatures.count
      emit([
        "Wrote \(out): a certificate of '\(certificate.agreement.id)' for \(certificate.client.id), "
          + "\(count == 1 ? "1 signature" : "\(count) signatures"), sealed with key "
          + "\(verification.sealedBy?.fingerprint ?? "?") by \(session.name)'s server."
      ])
    }
  }
}
