import AccordKit
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

extension WebServer {
  /// Runs `accord serve` as its options ask, until SIGTERM or Ctrl-C: the web application
  /// and the daily reminders, as one group of services. The `accord` executable hands this
  /// to the command line (`Accord.commandLine(serving:)`).
  package static func serve(_ settings: ServeSettings) async throws {
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = .info
      return handler
    }
    var logger = Logger(label: "accord")
    logger.logLevel = .info
    let store = settings.workspace
    let folder = store.directory.path
    let services: [any Service] =
      settings.reminders.map { daily in
        [
          ReminderSchedule(
            workspace: store, relay: daily.relay, from: daily.from, hour: daily.hour, minute: daily.minute,
            logger: logger)
        ]
      } ?? []
    let limits = ConnectionLimits(
      requestTime: .seconds(Int64(settings.requestTimeout)), perAddress: settings.connectionsPerAddress)
    let server = WebServer(
      workspace: store, behindProxy: settings.behindProxy, limits: limits, metrics: ServerMetrics.bootstrap(),
      logger: logger)
    let host = settings.host
    let application = server.application(host: host, port: settings.port, services: services) { port in
      let shown = host.contains(":") ? "[\(host)]" : host
      // Written straight to the descriptor, so a script waiting for the line sees it at once.
      FileHandle.standardOutput.write(Data("accord: serving \(folder) at http://\(shown):\(port) (Ctrl-C stops)\n".utf8))
    }
    // The web application and the reminders run as one group of services, which SIGTERM
    // or Ctrl-C shuts down gracefully: the requests under way are answered first.
    do {
      try await application.runService()
    } catch {
      throw ServeFailure.describe(error, host: host, port: settings.port)
    }
    printError("accord: stopped serving \(folder)")
  }
}
