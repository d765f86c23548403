import ArgumentParser
import Dispatch
import Foundation
import Hummingbird
import Logging
import WorkspaceStore

extension Accord {
  /// `accord serve`: the web application, on the same workspace as the CLI.
  struct Serve: ParsableCommand {
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
        """)

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host = "127.0.0.1"
    @Option(help: ArgumentHelp("The port to listen on (0: any free port).", valueName: "port"))
    var port = 8080
    @Flag(help: "Trust X-Forwarded-Proto and X-Forwarded-For from a reverse proxy in front.")
    var behindProxy = false
    @OptionGroup var reminders: ServeReminderOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      guard (0...65_535).contains(port) else { throw ValidationError("--port \(port) is not a port (0 to 65535)") }
      if host.isEmpty { throw ValidationError("--host is empty") }
    }

    func run() throws {
      LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .info
        return handler
      }
      var logger = Logger(label: "accord")
      logger.logLevel = .info
      let store = workspace.open(holder: Environment.holder(Environment.loginName, "serve"))
      let folder = workspace.directory.path
      try reminders.start(workspace: store, logger: logger)
      let server = WebServer(workspace: store, behindProxy: behindProxy, logger: logger)
      let application = server.application(host: host, port: port) { [host] port in
        let shown = host.contains(":") ? "[\(host)]" : host
        // Written straight to the descriptor, so a script waiting for the line sees it at once.
        FileHandle.standardOutput.write(Data("accord: serving \(folder) at http://\(shown):\(port) (Ctrl-C stops)\n".utf8))
      }
      let outcome = Outcome()
      let done = DispatchSemaphore(value: 0)
      Task {
        do {
          try await application.runService()
        } catch {
          outcome.error = error
        }
        done.signal()
      }
      done.wait()
      if let error = outcome.error {
        throw ServeFailure.describe(error, host: host, port: port)
      }
      printError("accord: stopped serving \(folder)")
    }
  }
}

/// What the server's task ended with, handed back to the waiting command.
private final class Outcome: @unchecked Sendable {
  // Written by the task before it signals, read after the wait: never at once.
  var error: (any Error)?
}
