import ArgumentParser
import Foundation
import Synchronization
import Testing

@testable import AccordCLI
@testable import AccordKit

/// `accord serve` reads its options in AccordCLI and hands them, as one `ServeSettings`, to
/// the server the `accord` executable gives it: what arrives must be what was typed.
@Suite("Commands: serve hands its options to the server")
struct ServeHandOverTests {
  /// The settings `serve` hands over for `arguments`, caught instead of served.
  static func handed(_ arguments: [String]) async throws -> ServeSettings {
    let serve = try #require(try Accord.parseAsRoot(["serve"] + arguments) as? Accord.Serve)
    let caught = Mutex<ServeSettings?>(nil)
    try await serve.run(serving: { settings in caught.withLock { $0 = settings } })
    return try #require(caught.withLock { $0 })
  }

  static func folder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("accord-serve-\(UUID().uuidString)")
  }

  @Test func theDefaultsArriveAsTheHelpSaysAndNoRemindersWithoutSMTP() async throws {
    let folder = Self.folder()
    let settings = try await Self.handed(["--workspace", folder.path])
    #expect(settings.host == "127.0.0.1")
    #expect(settings.port == 8080)
    #expect(!settings.behindProxy)
    #expect(settings.requestTimeout == 30)
    #expect(settings.connectionsPerAddress == 256)
    #expect(settings.reminders == nil)
    #expect(settings.workspace.directory.standardizedFileURL.path == folder.standardizedFileURL.path)
  }

  @Test func everyOptionArrivesAsTyped() async throws {
    let settings = try await Self.handed([
      "--host", "::1", "--port", "0", "--behind-proxy", "--request-timeout", "5",
      "--connections-per-address", "3", "--workspace", Self.folder().path,
      "--smtp", "smtp://127.0.0.1:2525", "--from", "desk@example.com", "--remind-at", "06:45",
    ])
    #expect(settings.host == "::1")
    #expect(settings.port == 0)
    #expect(settings.behindProxy)
    #expect(settings.requestTimeout == 5)
    #expect(settings.connectionsPerAddress == 3)
    let reminders = try #require(settings.reminders)
    #expect(reminders.relay.host == "127.0.0.1")
    #expect(reminders.relay.port == 2525)
    #expect(reminders.from.value == "desk@example.com")
    #expect(reminders.hour == 6 && reminders.minute == 45)
  }

  /// Run any other way than through `commandLine(serving:)`, serve has no server: it says
  /// so rather than doing nothing.
  @Test func withoutAServerItRefuses() async throws {
    let serve = try #require(try Accord.parseAsRoot(["serve", "--workspace", Self.folder().path]) as? Accord.Serve)
    await #expect(throws: UsageError.self) { try await serve.run() }
  }
}
