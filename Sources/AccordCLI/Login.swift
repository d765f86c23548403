import AccordKit
import AccordRemote
import ArgumentParser
import Foundation

extension Accord {
  /// `accord login NAME`: signs in to a remote and keeps the token.
  struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "login",
      abstract: "Sign in to a remote, by a one-time link mailed to you or with a token.",
      discussion: """
        Without --token, the server mails PERSON a one-time link (as accord invite does) \
        and a code, and the command waits, up to the link's 15 minutes (Ctrl-C stops): \
        open the link in a browser and confirm, checking that its page shows the check \
        printed here, or type the code at the prompt. Either gives a token of your own. \
        With no terminal, or with --json, it waits for the link alone; --code gives a code \
        mailed earlier instead of asking for a new one. With --token (from accord token create \
        on the server; --token - reads it from standard input, keeping it out of the \
        shell's history), the token is checked with the server and kept with the person \
        it acts as.

        The token is kept in $XDG_CONFIG_HOME/accord/credentials.json, mode 0600, and \
        never printed. Commands sent to the remote act as its person.
        """)

    @OptionGroup var remote: RemoteNameArgument
    @Option(
      help: ArgumentHelp(
        "Sign in with this API token ('-': read it from standard input).", valueName: "token"))
    var token: String?
    @Option(
      help: ArgumentHelp(
        "Who you are on the server.",
        discussion: "Defaults to $ACCORD_USER, else your login name. With --token, the token's person must be this one.",
        valueName: "person"))
    var person: String?
    @Option(help: ArgumentHelp("A one-time code the server mailed you, instead of asking for a new one.", valueName: "code"))
    var code: String?
    @OptionGroup var output: OutputOptions

    /// `login --json`.
    struct SignedIn: Encodable {
      var remote: String
      var url: String
      var person: String
      var clients: [String]?
      var expires: String?
    }

    func validate() throws {
      if token != nil, code != nil {
        throw ValidationError("--code is for signing in by mail; a --token signs in by itself: give one of them")
      }
      if let person, person.trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError("--person must name someone")
      }
    }

    func run() async throws {
      let config = try RemoteConfig.load()
      let target = try config.remote(named: remote.name)
      let credentials: Credentials
      let clients: [String]?
      if let token {
        let token = try Self.token(token)
        let me = try await HTTPRemote(base: target.url, token: token).me()
        if let person, person != me.person {
          throw UsageError("the token acts as \(me.person), not \(person): give the token of \(person), or no --person")
        }
        credentials = Credentials(person: me.person, token: token, expires: me.expires)
        clients = me.clients
      } else {
        let person = person ?? Environment.value("ACCORD_USER") ?? Environment.loginName
        let answer: HTTPRemote.SignIn
        if let code {
          let code = code.trimmingCharacters(in: .whitespacesAndNewlines)
          answer = try await HTTPRemote.exchange(code: code, for: person, at: target.url)
        } else {
          answer = try await signIn(person, at: target)
        }
        credentials = Credentials(person: answer.person, token: answer.token, expires: answer.expires)
        clients = answer.clients
      }
      try config.keep(credentials, for: target.name)
      if output.json {
        try JSONOutput.print(
          SignedIn(
            remote: target.name, url: target.url.absoluteString, person: credentials.person, clients: clients,
            expires: credentials.expires))
        return
      }
      let scope = clients.map { $0.isEmpty ? "no client yet" : $0.joined(separator: ", ") } ?? "every client"
      emit([
        "Signed in to \(target.name) (\(target.url.absoluteString)) as \(credentials.person)"
          + (credentials.expires.map { " until \($0)" } ?? "") + ".",
        "Opens: \(scope).",
      ])
    }

    /// The token given, or read from standard input for `-`: one word, no spaces.
    static func token(_ given: String) throws -> String {
      var text = given
      if given == "-" {
        text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
      }
      let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !token.isEmpty else {
        throw UsageError(given == "-" ? "no token on standard input" : "--token is empty")
      }
      guard token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
        throw UsageError("the token holds spaces or characters no token has: give it whole, as accord token create printed it")
      }
      return token
    }
  }
}
