import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A tiny SMTP server on the loopback for tests: takes every message it is given and keeps
/// it, or answers RCPT TO with the reply `failWith` holds (a 451, say) so a send fails.
/// One connection at a time, on a thread of its own, until `stop()`.
final class SMTPSink: Sendable {
  struct Message: Sendable {
    var from: String
    var recipients: [String]
    /// The message as it arrived, dots unstuffed, lines ending in CRLF.
    var data: String
    /// The DATA lines as they came over the wire, dot-stuffing and all.
    var raw: [String]
  }

  let port: Int
  private let listener: Int32
  private let state = Mutex(State())
  private let finished = DispatchSemaphore(value: 0)

  private struct State {
    var messages: [Message] = []
    var failWith: String?
    var stopped = false
    var connections = 0
  }

  init() throws {
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

  var url: String { "smtp://127.0.0.1:\(port)" }
  var messages: [Message] { state.withLock { $0.messages } }
  /// How many connections it has taken.
  var connections: Int { state.withLock { $0.connections } }

  /// Answer RCPT TO with `reply` (such as `451 4.3.0 Try again later`), or accept again (nil).
  func fail(with reply: String?) { state.withLock { $0.failWith = reply } }

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
    func send(_ line: String) {
      let bytes = Array((line + "\r\n").utf8)
      _ = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
    func readLine() -> String? {
      while true {
        if let end = buffer.firstIndex(of: 0x0A) {
          var line = Array(buffer[..<end])
          buffer.removeSubrange(...end)
          if line.last == 0x0D { line.removeLast() }
          return String(decoding: line, as: UTF8.self)
        }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        buffer += chunk[..<count]
      }
    }
    send("220 sink.test ESMTP")
    var from = ""
    var recipients: [String] = []
    while let line = readLine() {
      let verb = line.prefix(4).uppercased()
      switch verb {
      case "EHLO": send("250-sink.test\r\n250 8BITMIME")
      case "HELO": send("250 sink.test")
      case "MAIL":
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
        state.withLock { $0.messages.append(Message(from: from, recipients: recipients, data: text, raw: raw)) }
        send("250 2.0.0 Queued")
      case "RSET": send("250 OK")
      case "QUIT":
        send("221 Bye")
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
