import AccordKit
import Foundation
import Hummingbird
import Logging
import PostgresStore
import ServiceLifecycle
import WorkspaceStore

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
    let limits = ConnectionLimits(
      requestTime: .seconds(Int64(settings.requestTimeout)), perAddress: settings.connectionsPerAddress)
    let workspace = settings.workspace
    var server: WebServer
    let place: String
    var database: PostgresStore?
    var services: [any Service] = []
    if let text = settings.database {
      let address: PostgresAddress
      do { address = try PostgresAddress(parsing: text) } catch { throw UsageError(error.description) }
      var storeLogger = Logger(label: "accord.postgres")
      storeLogger.logLevel = .warning
      // A database that is down, not migrated or migrated by a newer Accord is said so here,
      // before the server listens.
      let store = try await PostgresStore.open(address, logger: storeLogger)
      database = store
      place = store.place
      services = settings.reminders.map { daily in
        [
          ReminderSchedule(
            source: .store(store, compiled: workspace.compiled), relay: daily.relay, from: daily.from,
            hour: daily.hour, minute: daily.minute, logger: logger)
        ]
      } ?? []
      var onStore = WebServer(
        store: TimeLimitedStore(store: store, limit: .seconds(5)), compiled: workspace.compiled, behindProxy: settings.behindProxy, limits: limits,
        metrics: ServerMetrics.bootstrap(), logger: logger)
      onStore.mail = settings.reminders.map { CodeMail(relay: $0.relay, from: $0.from, outbox: store) }
      server = onStore
      // The server's memory of the database, kept current by the change feed, woken by the
      // NOTIFY of every append (see `MemoryFollower`).
      if let memory = server.desk.memory {
        services.append(MemoryFollower(memory: memory, listen: { wake in await store.listen(wake: wake) }, logger: logger))
      }
    } else {
      place = workspace.directory.path
      services = settings.reminders.map { daily in
        [
          ReminderSchedule(
            source: .folder(workspace), relay: daily.relay, from: daily.from, hour: daily.hour, minute: daily.minute,
            logger: logger)
        ]
      } ?? []
      var onFolder = WebServer(
        workspace: workspace, behindProxy: settings.behindProxy, limits: limits, metrics: ServerMetrics.bootstrap(),
        logger: logger)
      onFolder.mail = settings.reminders.map { CodeMail(relay: $0.relay, from: $0.from, outbox: FolderStore(workspace)) }
      server = onFolder
    }
    // The private key is kept in memory only; the log says whose public key it is.
    server.firmKey = settings.firmKey
    if let key = settings.firmKey {
      logger.info("issuing certificates with the firm's key \(key.publicKey.fingerprint)")
    }
    let host = settings.host
    let site = server.site
    site.withLockedValue { $0 = settings.url }
    let application = server.application(host: host, port: settings.port, services: services) { port in
      let shown = host.contains(":") ? "[\(host)]" : host
      site.withLockedValue { $0 = $0 ?? "http://\(shown):\(port)" }
      // Written straight to the descriptor, so a script waiting for the line sees it at once.
      FileHandle.standardOutput.write(Data("accord: serving \(place) at http://\(shown):\(port) (Ctrl-C stops)\n".utf8))
    }
    // The web application and the reminders run as one group of services, which SIGTERM
    // or Ctrl-C shuts down gracefully: the requests under way are answered first. The
    // database's pool is closed after them.
    do {
      try await application.runService()
    } catch {
      await database?.shutdown()
      throw ServeFailure.describe(error, host: host, port: settings.port)
    }
    await database?.shutdown()
    printError("accord: stopped serving \(place)")
  }
}
