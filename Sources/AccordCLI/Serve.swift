import AccordKit
import Foundation
import ArgumentParser

/// The web application `accord serve` runs: AccordServer's `WebServer.serve`, given by the
/// `accord` executable, so that the commands themselves never link the server.
package typealias Serving = @Sendable (ServeSettings) async throws -> Void

extension Accord {
  /// `accord serve`: the web application, on the same workspace as the CLI.
  struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "serve",
      abstract: "Serve the workspace on the web: pages for everyone and a JSON API.",
      discussion: """
        Everyone given access (accord invite, accord token create) signs in and acts as \
        themselves: there is no --by on the web, and every change records that it came \
        through the web. The CLI and the server can work on the same workspace at once.

        It listens on --host and --port (default 127.0.0.1:8080; --port 0 picks a free \
        port) and says where. Put it behind a TLS reverse proxy to reach it from other \
        machines, with --behind-proxy so that it trusts the proxy's X-Forwarded-Proto \
        and X-Forwarded-For. One log line a request goes to standard error. SIGTERM or \
        Ctrl-C stops it once the requests under way are answered.

        A client that takes longer than --request-timeout to send a request is answered \
        408 and its connection closed; an idle connection is closed after as long. One \
        address may hold --connections-per-address connections open at once; more are \
        closed as they arrive.

        With --database (or $ACCORD_DATABASE, unless --workspace names a folder) the clients, access and \
        settings are kept in that PostgreSQL database, prepared by accord db migrate, and \
        several servers may serve it at once; the folder is not used. With --smtp too, \
        each server mails the reminders through the database's outbox, which they share: \
        each message goes once, however many servers run. --smtp also lets the server \
        mail the one-time links and codes accord login asks for, which point at --url \
        (else $ACCORD_URL, else the address it listens on).

        When this user has the firm's key (accord key create), the server issues \
        certificates with it and gives its public half to the command line; the private \
        key never leaves the server.
        """)

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host = "127.0.0.1"
    @Option(help: ArgumentHelp("The port to listen on (0: any free port).", valueName: "port"))
    var port = 8080
    @Flag(help: "Trust X-Forwarded-Proto and X-Forwarded-For from a reverse proxy in front.")
    var behindProxy = false
    @Option(
      help: ArgumentHelp(
        "How long a client may take to send a request, headers and body (408 past it).",
        valueName: "seconds"))
    var requestTimeout = 30
    @Option(
      help: ArgumentHelp(
        "How many connections one address may hold open (not behind a proxy).", valueName: "count"))
    var connectionsPerAddress = 256
    @OptionGroup var reminders: ServeReminderOptions
    @Option(
      help: ArgumentHelp(
        "The web address people reach the server at, for the sign-in links it mails.",
        discussion: "Defaults to $ACCORD_URL, else the address it listens on.", valueName: "url"))
    var url: String?
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      guard (0...65_535).contains(port) else { throw ValidationError("--port \(port) is not a port (0 to 65535)") }
      if host.isEmpty { throw ValidationError("--host is empty") }
      guard (1...3_600).contains(requestTimeout) else {
        throw ValidationError("--request-timeout \(requestTimeout) is not from 1 to 3600 seconds")
      }
      if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
        throw ValidationError("--url '\(url)' must start with http:// or https://")
      }
      guard connectionsPerAddress >= 1 else {
        throw ValidationError("--connections-per-address \(connectionsPerAddress) is not at least 1")
      }
    }

    /// Hands the options to `serving`, the web application the `accord` executable gives
    /// `Accord.commandLine(serving:)` (AccordServer's), which runs until SIGTERM or Ctrl-C.
    func run(serving: Serving) async throws {
      if let session = RemoteSession.current {
        throw UsageError(
          "accord serve serves a workspace folder or a database, not this laptop's copy of \(session.name)",
          hint: "Give --workspace DIR or --database URL.")
      }
      // The rule every command follows (WorkspaceOptions): --workspace, else --database,
      // else $ACCORD_DATABASE; the server reads the address itself.
      let database =
        workspace.workspace == nil
        ? (workspace.database ?? ProcessInfo.processInfo.environment["ACCORD_DATABASE"]).flatMap { $0.isEmpty ? nil : $0 }
        : nil
      let daily = try reminders.daily()
      try await serving(
        ServeSettings(
          workspace: workspace.open(holder: Environment.holder(Environment.loginName, "serve")), host: host,
          port: port, behindProxy: behindProxy, requestTimeout: requestTimeout,
          connectionsPerAddress: connectionsPerAddress, reminders: daily, database: database,
          firmKey: try FirmSeal.serverKey(),
          url: siteBase))
    }

    /// Where the links the server mails point: `--url`, else `$ACCORD_URL`, without a
    /// trailing slash; nil for the address it listens on.
    private var siteBase: String? {
      guard var text = url ?? Environment.value("ACCORD_URL"), !text.isEmpty else { return nil }
      while text.hasSuffix("/") { text.removeLast() }
      return text
    }

    /// Only `commandLine(serving:)` runs serve, with the server it is given: a program that
    /// runs the command any other way has no server to run.
    func run() async throws {
      throw UsageError("accord serve needs the web server, and this program was built without it")
    }
  }
}
