import Foundation
import Synchronization

@testable import AccordCLI
@testable import AccordKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A tiny SMTP server on the loopback for tests: takes every message it is given and keeps
/// it, or answers RCPT TO with the reply `failWith` holds (a 451, say) so a send fails.
/// One connection at a time, on a thread of its own, until `stop()`.
///
/// With `security`, it speaks TLS as a mail provider does: STARTTLS offered in EHLO, or TLS
/// from the first byte (`smtps://`), presenting `certificate`; with `login`, it offers AUTH
/// PLAIN and LOGIN once TLS has begun and takes mail only after a login.
final class SMTPSink: Sendable {
  struct Message: Sendable {
    var from: String
    var recipients: [String]
    /// The message as it arrived, dots unstuffed, lines ending in CRLF.
    var data: String
    /// The DATA lines as they came over the wire, dot-stuffing and all.
    var raw: [String]
    /// Whether it came over TLS, and who had logged in.
    var overTLS = false
    var user: String?
  }

  enum Security: Sendable { case plain, startTLS, implicitTLS }

  /// A certificate and its key, PEM files.
  struct Certificate: Sendable {
    var certificate: String
    var key: String
  }

  let security: Security
  let certificate: Certificate?
  let login: (user: String, password: String)?

  let port: Int
  private let listener: Int32
  private let state = Mutex(State())
  private let finished = DispatchSemaphore(value: 0)

  private struct State {
    var messages: [Message] = []
    var failWith: String?
    var pause: Double?
    var stopped = false
    var connections = 0
    /// Why TLS handshakes failed (a client that did not trust the certificate).
    var handshakeFailures: [String] = []
    /// Every line a client sent, as it came (to check what crossed the wire).
    var lines: [String] = []
  }

  init(security: Security = .plain, certificate: Certificate? = nil, login: (user: String, password: String)? = nil)
    throws
  {
    self.security = security
    self.certificate = certificate
    self.login = login
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw POSIXError(.EIO) }
    var one: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    port = Int(UInt16(bigEndian: address.sin_port))
    self.listener = listener
    Thread { [self] in serve() }.start()
  }

  var url: String { "\(security == .implicitTLS ? "smtps" : "smtp")://127.0.0.1:\(port)" }
  var handshakeFailures: [String] { state.withLock { $0.handshakeFailures } }
  var lines: [String] { state.withLock { $0.lines } }
  var messages: [Message] { state.withLock { $0.messages } }
  /// How many connections it has taken.
  var connections: Int { state.withLock { $0.connections } }

  /// Answer RCPT TO with `reply` (such as `451 4.3.0 Try again later`), or accept again (nil).
  func fail(with reply: String?) { state.withLock { $0.failWith = reply } }

  /// Takes `seconds` to accept each message's data (nil: at once).
  func slow(_ seconds: Double?) { state.withLock { $0.pause = seconds } }

  /// Stops listening, and waits until the thread has.
  func stop() {
    state.withLock { $0.stopped = true }
    finished.wait()
    close(listener)
  }

  private func serve() {
    defer { finished.signal() }
    while !state.withLock({ $0.stopped }) {
      var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
      guard poll(&poller, 1, 50) > 0 else { continue }
      let client = accept(listener, nil, nil)
      guard client >= 0 else { continue }
      state.withLock { $0.connections += 1 }
      converse(client)
      close(client)
    }
  }

  private func converse(_ client: Int32) {
    var buffer: [UInt8] = []
    var tls: TLSStream?
    var user: String?
    func send(_ line: String) {
      let bytes = Array((line + "\r\n").utf8)
      if let tls {
        try? tls.write(bytes)
        return
      }
      _ = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
    func readLine() -> String? {
      while true {
        if let end = buffer.firstIndex(of: 0x0A) {
          var line = Array(buffer[..<end])
          buffer.removeSubrange(...end)
          if line.last == 0x0D { line.removeLast() }
          let text = String(decoding: line, as: UTF8.self)
          state.withLock { $0.lines.append(text) }
          return text
        }
        if let tls {
          guard let bytes = try? tls.read() else { return nil }
          buffer += bytes
          continue
        }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        buffer += chunk[..<count]
      }
    }
    func startTLS() -> Bool {
      guard let certificate else { return false }
      buffer = []
      do {
        tls = try TLSStream.server(fd: client, certificate: certificate.certificate, key: certificate.key)
        return true
      } catch {
        state.withLock { $0.handshakeFailures.append("\(error)") }
        return false
      }
    }
    func decoded(_ text: String) -> String {
      String(decoding: Data(base64Encoded: text.trimmingCharacters(in: .whitespaces)) ?? Data(), as: UTF8.self)
    }
    if security == .implicitTLS && !startTLS() { return }
    send("220 sink.test ESMTP")
    var from = ""
    var recipients: [String] = []
    while let line = readLine() {
      let verb = line.prefix(4).uppercased()
      switch verb {
      case "EHLO":
        var lines = ["sink.test"]
        if security == .startTLS && tls == nil { lines.append("STARTTLS") }
        if login != nil && tls != nil { lines.append("AUTH PLAIN LOGIN") }
        lines.append("8BITMIME")
        send(lines.enumerated().map { "250\($0.offset == lines.count - 1 ? " " : "-")\($0.element)" }.joined(separator: "\r\n"))
      case "HELO": send("250 sink.test")
      case "STAR":
        guard security == .startTLS, tls == nil else {
          send("502 5.5.1 No")
          continue
        }
        send("220 2.0.0 Ready to start TLS")
        if !startTLS() { return }
      case "AUTH":
        guard let login, tls != nil else {
          send("503 5.5.1 No AUTH here")
          continue
        }
        let words = line.split(separator: " ").map(String.init)
        var given: (String, String)?
        if words.count == 3, words[1].uppercased() == "PLAIN" {
          let parts = decoded(words[2]).split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
          if parts.count == 3 { given = (parts[1], parts[2]) }
        } else if words.count == 2, words[1].uppercased() == "LOGIN" {
          send("334 VXNlcm5hbWU6")
          let name = readLine().map(decoded) ?? ""
          send("334 UGFzc3dvcmQ6")
          given = (name, readLine().map(decoded) ?? "")
        }
        if let given, given.0 == login.user, given.1 == login.password {
          user = given.0
          send("235 2.7.0 Authentication successful")
        } else {
          send("535 5.7.8 Authentication credentials invalid")
        }
      case "MAIL":
        if login != nil && user == nil {
          send("530 5.7.0 Authentication required")
          continue
        }
        from = Self.address(in: line)
        recipients = []
        send("250 2.1.0 OK")
      case "RCPT":
        if let reply = state.withLock({ $0.failWith }) {
          send(reply)
        } else {
          recipients.append(Self.address(in: line))
          send("250 2.1.5 OK")
        }
      case "DATA":
        guard !recipients.isEmpty else {
          send("554 5.5.1 No valid recipients")
          continue
        }
        send("354 End data with <CR><LF>.<CR><LF>")
        var raw: [String] = []
        while let data = readLine(), data != "." { raw.append(data) }
        let text = raw.map { ($0.hasPrefix(".") ? String($0.dropFirst()) : $0) + "\r\n" }.joined()
        let message = Message(
          from: from, recipients: recipients, data: text, raw: raw, overTLS: tls != nil, user: user)
        state.withLock { $0.messages.append(message) }
        // A slow relay, so that senders that run at once overlap while a message is handed over.
        if let pause = state.withLock({ $0.pause }) { usleep(UInt32(pause * 1_000_000)) }
        send("250 2.0.0 Queued")
      case "RSET": send("250 OK")
      case "QUIT":
        send("221 Bye")
        tls?.close()
        return
      default: send("500 5.5.2 What?")
      }
    }
  }

  private static func address(in line: String) -> String {
    guard let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">"), open < close else { return "" }
    return String(line[line.index(after: open)..<close])
  }
}
