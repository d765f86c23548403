import Foundation
import Testing

@testable import AccordCLI
@testable import AccordKit

/// What the SMTP client refuses before any mail crosses the network in the clear.
@Suite("SMTP: TLS or nothing, beyond this machine")
struct SMTPSecurityTests {
  /// A relay that is not on this machine and offers no STARTTLS: refused, nothing sent. (The
  /// sink is reached through its IPv4-mapped IPv6 address, which Accord does not count as
  /// this machine, so no other host is needed.)
  @Test func aRelayElsewhereWithoutSTARTTLSIsRefused() throws {
    let sink = try SMTPSink()
    defer { sink.stop() }
    let relay = try SMTPRelay(url: "smtp://[::ffff:127.0.0.1]:\(sink.port)")
    #expect(!relay.isLoopback)
    let error = #expect(throws: SMTPFailure.self) {
      try SMTPClient(relay: relay).send(
        from: try MailAddress("accord@example.com"), to: try MailAddress("sid@example.com"), message: "Hi\r\n")
    }
    #expect(error?.description.contains("does not offer STARTTLS") == true, "\(String(describing: error))")
    #expect(sink.messages.isEmpty)
    #expect(!sink.lines.contains { $0.hasPrefix("MAIL") })
  }

  @Test func onlyThisMachineCountsAsLoopback() throws {
    for host in ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"] {
      #expect(try SMTPRelay(url: "smtp://\(host):25").isLoopback, "\(host)")
    }
    for host in ["mail.example.com", "10.0.0.1", "localhost.example.com"] {
      #expect(try !SMTPRelay(url: "smtp://\(host):25").isLoopback, "\(host)")
    }
    // The password is never part of how a relay is shown.
    let relay = try SMTPRelay(url: "smtps://me@mail.example.com", password: "hunter2")
    #expect(relay.description == "smtps://me@mail.example.com:465")
  }
}
