import AccordKit
import AccordRemote
import ArgumentParser

extension Accord {
  /// `accord logout NAME`: forgets the sign-in kept for a remote.
  struct Logout: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "logout",
      abstract: "Forget the sign-in kept for a remote.",
      discussion: """
        The token is removed from this machine; on the server it works until it expires \
        or is revoked (accord token revoke).
        """)

    @OptionGroup var remote: RemoteNameArgument
    @OptionGroup var output: OutputOptions

    /// `logout --json`.
    struct SignedOut: Encodable {
      var remote: String
      /// Who was signed in; nil when nobody was.
      var person: String?
      var signedOut: Bool
    }

    func run() throws {
      let config = try RemoteConfig.load()
      let forgotten = try config.forget(remote.name)
      // A name neither kept nor signed in to is most likely mistyped.
      if forgotten == nil { _ = try config.remote(named: remote.name) }
      if output.json {
        try JSONOutput.print(SignedOut(remote: remote.name, person: forgotten?.person, signedOut: forgotten != nil))
        return
      }
      emit([
        forgotten.map { "Signed out of \(remote.name): forgot the sign-in as \($0.person)." }
          ?? "Not signed in to \(remote.name); nothing to forget."
      ])
    }
  }
}
