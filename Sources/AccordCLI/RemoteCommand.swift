import AccordKit
import AccordRemote
import ArgumentParser
import Foundation

extension Accord {
  /// `accord remote`: the firm servers this user works with, by name.
  struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remote",
      abstract: "Name the firm servers you work with, and choose which one commands go to.",
      discussion: """
        A remote is a firm's accord serve, by a name of your choosing. The names and \
        addresses are kept in $XDG_CONFIG_HOME/accord/remotes.json (by default \
        ~/.config/accord/), and the tokens of accord login beside them in \
        credentials.json, mode 0600 in a 0700 folder. A command goes to the remote that \
        --remote names, else $ACCORD_REMOTE (empty: none), else the one accord remote use \
        chose.
        """,
      subcommands: [Add.self, List.self, Use.self, Remove.self])
  }
}

/// A remote as `remote add`, `use`, `remove` and `list` print it with `--json`.
struct RemoteJSON: Encodable {
  var name: String
  var url: String
  var current: Bool
  /// Who is signed in there, when anyone is.
  var person: String?
  var expires: String?
}

/// The argument naming a remote, completed from the remotes kept.
struct RemoteNameArgument: ParsableArguments {
  @Argument(
    help: ArgumentHelp("The remote's name: letters, digits, '-' and '_'.", valueName: "name"),
    completion: .custom(Completions.remotes))
  var name: String
}

extension Accord.RemoteCommand {
  /// `accord remote add NAME URL`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Name a firm's server (the first one named becomes the current remote).",
      discussion: """
        URL is where the firm's accord serve answers, https:// (http:// works, but then \
        the token crosses the network in clear unless the server is on this machine). A \
        name already taken is refused unless --force points it at the new address; the \
        sign-in kept for it stays.
        """)

    @Argument(help: ArgumentHelp("The remote's name: letters, digits, '-' and '_'.", valueName: "name"))
    var name: String
    @Argument(help: ArgumentHelp("The server's address, as https://accord.example.com.", valueName: "url"))
    var url: String
    @Flag(help: "Point a name already taken at this address.")
    var force = false
    @OptionGroup var output: OutputOptions

    func run() throws {
      try RemoteConfig.validate(name: name)
      let address = try Remote.address(url)
      var config = try RemoteConfig.load()
      if let taken = config.remotes[name], !force { throw RemoteConfigError.remoteExists(name: name, url: taken.url) }
      let replaced = config.remotes[name]
      config.remotes[name] = .init(url: address.absoluteString)
      if config.current == nil { config.current = name }
      try config.save()
      let remote = Remote(name: name, url: address)
      if remote.sendsTokenInClear {
        printError(
          "accord: warning: \(address.absoluteString) is plain http to another machine: the token you sign in "
            + "with will cross the network in clear. Use https:// unless the network between is yours alone.")
      }
      let current = config.current == name
      if output.json {
        try JSONOutput.print(RemoteJSON(name: name, url: address.absoluteString, current: current))
        return
      }
      let was = replaced.map { " (was \($0.url))" } ?? ""
      emit(
        ["Added remote \(name): \(address.absoluteString)\(was)\(current ? ", the current remote" : "")."]
          + ["Sign in with: accord login \(name)"])
    }
  }

  /// `accord remote list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List the remotes: address, whether current, who is signed in.")

    @OptionGroup var output: OutputOptions

    func run() throws {
      let config = try RemoteConfig.load()
      let signedIn = try config.allCredentials()
      let rows = config.names.map { name in
        RemoteJSON(
          name: name, url: config.remotes[name]!.url, current: config.current == name,
          person: signedIn[name]?.person, expires: signedIn[name]?.expires)
      }
      if output.json {
        try JSONOutput.print(rows)
        return
      }
      if rows.isEmpty {
        emit(["No remotes yet: accord remote add NAME URL."])
        return
      }
      let nameWidth = rows.map(\.name.count).max() ?? 0
      let urlWidth = rows.map(\.url.count).max() ?? 0
      emit(
        rows.map { row in
          let who =
            row.person.map { "signed in as \($0)" + (row.expires.map { " until \($0)" } ?? "") } ?? "not signed in"
          return (row.current ? "* " : "  ") + row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            + "  " + row.url.padding(toLength: urlWidth, withPad: " ", startingAt: 0) + "  " + who
        })
    }
  }

  /// `accord remote use NAME`.
  struct Use: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "use",
      abstract: "Send commands to this remote when neither --remote nor ACCORD_REMOTE says.",
      discussion: """
        --none goes back to the workspace folder (or $ACCORD_DATABASE) for commands that name \
        no remote; the remotes and their sign-ins are kept.
        """)

    @Argument(
      help: ArgumentHelp("The remote's name: letters, digits, '-' and '_'.", valueName: "name"),
      completion: .custom(Completions.remotes))
    var name: String?
    @Flag(help: "Send commands to no remote unless --remote or ACCORD_REMOTE names one.")
    var none = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
      switch (name, none) {
      case (nil, false): throw ValidationError("name a remote, or give --none")
      case (.some, true): throw ValidationError("name a remote or give --none, not both")
      default: break
      }
    }

    /// `remote use --none --json`.
    struct NoneJSON: Encodable {
      enum CodingKeys: String, CodingKey { case current }
      // `{"current": null}`: no remote, said, not left out.
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeNil(forKey: .current)
      }
    }

    func run() throws {
      var config = try RemoteConfig.load()
      guard let name else {
        config.current = nil
        try config.save()
        if output.json { return try JSONOutput.print(NoneJSON()) }
        return emit(["Commands now go to no remote unless --remote or ACCORD_REMOTE names one."])
      }
      let chosen = try config.remote(named: name)
      config.current = chosen.name
      try config.save()
      if output.json {
        try JSONOutput.print(RemoteJSON(name: chosen.name, url: chosen.url.absoluteString, current: true))
        return
      }
      emit(["Commands now go to \(chosen.name) (\(chosen.url.absoluteString)) unless --remote or ACCORD_REMOTE says otherwise."])
    }
  }

  /// `accord remote remove NAME`.
  struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove",
      abstract: "Forget a remote and the sign-in kept for it.",
      discussion: """
        The replica of the remote's clients, if accord sync made one, is left where it is; \
        the command says where.
        """)

    @OptionGroup var remote: RemoteNameArgument
    @OptionGroup var output: OutputOptions

    /// `remote remove --json`.
    struct Removed: Encodable {
      var name: String
      var url: String
      var signedOut: Bool
      var replica: String
      var replicaExists: Bool
      var current: String?
    }

    func run() throws {
      var config = try RemoteConfig.load()
      let gone = try config.remote(named: remote.name)
      let replica = try RemoteConfig.replicaFolder(for: gone.name)
      let forgotten = try config.forget(gone.name)
      config.remotes[gone.name] = nil
      let wasCurrent = config.current == gone.name
      if wasCurrent { config.current = nil }
      try config.save()
      let replicaExists = FileManager.default.fileExists(atPath: replica.path)
      if output.json {
        try JSONOutput.print(
          Removed(
            name: gone.name, url: gone.url.absoluteString, signedOut: forgotten != nil, replica: replica.path,
            replicaExists: replicaExists, current: config.current))
        return
      }
      var lines = ["Removed remote \(gone.name) (\(gone.url.absoluteString))."]
      if let forgotten { lines.append("Forgot the sign-in as \(forgotten.person).") }
      if wasCurrent { lines.append("No remote is current now: accord remote use NAME chooses one.") }
      if replicaExists { lines.append("Its replica is left in \(replica.path); remove it yourself when done with it.") }
      emit(lines)
    }
  }
}
