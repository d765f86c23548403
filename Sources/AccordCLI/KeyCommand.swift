import AccordKit
import AgreementCertificates
import ArgumentParser
import Foundation
import WorkspaceStore

extension Accord {
  /// `accord key`: the firm's signing key, which seals certificates.
  struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "key",
      abstract: "Make or show the firm's key, which seals agreement certificates.",
      discussion: """
        The firm's Ed25519 key pair lives outside every workspace, in \
        $XDG_CONFIG_HOME/accord/firm-key (by default ~/.config/accord/firm-key), readable \
        by you alone (mode 0600, in a 0700 folder). Give clients the public key that \
        `accord key show` prints, so they can check certificates with \
        `accord verify CERTIFICATE --key PUBLIC_KEY`.
        """,
      subcommands: [Create.self, Show.self])

    /// The key file of this user, or a usage error when no folder can be found for it.
    static func file() throws -> FirmKeyFile {
      guard let file = FirmKeyFile.standard() else {
        throw UsageError("no folder for the firm's key: set XDG_CONFIG_HOME or HOME to an absolute path")
      }
      return file
    }

    /// The firm's key, read from its file and checked.
    static func firmKey(_ file: FirmKeyFile) throws -> FirmKey {
      try FirmSeal.key(file)
    }
  }
}

/// `key create --json` and `key show --json`.
struct KeyJSON: Encodable {
  var path: String
  var publicKey: String
  var fingerprint: String

  init(_ file: FirmKeyFile, _ key: FirmPublicKey) {
    path = file.path
    publicKey = key.text
    fingerprint = key.fingerprint
  }
}

extension Accord.KeyCommand {
  /// `accord key create`: makes the firm's key pair, once.
  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "create",
      abstract: "Make the firm's key pair (refused if one exists).",
      discussion: """
        Writes a new Ed25519 private key to $XDG_CONFIG_HOME/accord/firm-key, mode 0600, \
        atomically: the file is whole or absent. An existing key is never replaced (exit \
        73): certificates sealed with it could no longer be checked with the public key \
        clients were given. Prints the public key and its fingerprint.
        """)

    @OptionGroup var output: OutputOptions

    func run() throws {
      let file = try Accord.KeyCommand.file()
      let key = FirmKey()
      try file.create(seed: key.seed)
      let publicKey = key.publicKey
      if output.json {
        try JSONOutput.print(KeyJSON(file, publicKey))
      } else {
        emit([
          "Made the firm's key: \(file.path) (mode 0600; keep it safe, and out of any workspace).",
          "Public key, to give to clients:",
          "  \(publicKey.text)",
          "Fingerprint: \(publicKey.fingerprint)",
        ])
      }
    }
  }

  /// `accord key show`: the public key to give to clients.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Print the firm's public key, to give to clients.",
      discussion: """
        One line, accord-ed25519: and the base64 of the key's 32 bytes, so that \
        `accord key show > firm.pub` makes a file `accord verify --key firm.pub` reads. \
        --json adds the key file's path and the key's fingerprint.
        """)

    @OptionGroup var output: OutputOptions

    func run() throws {
      let file = try Accord.KeyCommand.file()
      let publicKey = try Accord.KeyCommand.firmKey(file).publicKey
      if output.json {
        try JSONOutput.print(KeyJSON(file, publicKey))
      } else {
        emit([publicKey.text])
      }
    }
  }
}
