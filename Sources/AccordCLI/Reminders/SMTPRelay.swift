import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The mail relay reminders are handed to, from `--smtp smtp://HOST[:PORT]` (port 25 when
/// none is given). Plain SMTP, no TLS and no login: Accord hands mail to a relay the firm
/// runs beside it (a local postfix, msmtp's daemon, a smarthost on a private network),
/// which takes it further.
struct SMTPRelay: Sendable, CustomStringConvertible {
  var host: String
  var port: Int

  /// Reads `smtp://HOST[:PORT]`; throws a sentence saying what is wrong.
  init(url text: String) throws(SMTPURLProblem) {
    guard let components = URLComponents(string: text), components.scheme?.lowercased() == "smtp" else {
      if text.lowercased().hasPrefix("smtps:") || text.lowercased().hasPrefix("submission") {
        throw SMTPURLProblem(
          "--smtp \(text): Accord speaks plain SMTP only, with no TLS: give a relay such as a local postfix "
            + "or msmtp as smtp://HOST[:PORT], and let it send the mail on securely")
      }
      throw SMTPURLProblem("--smtp \(text) is not smtp://HOST[:PORT]")
    }
    guard let host = components.host, !host.isEmpty else { throw SMTPURLProblem("--smtp \(text) names no host") }
    guard components.user == nil, components.password == nil else {
      throw SMTPURLProblem("--smtp \(text): Accord does not log in to a relay; give smtp://HOST[:PORT]")
    }
    guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
      throw SMTPURLProblem("--smtp \(text) is not smtp://HOST[:PORT]")
    }
    let port = components.port ?? 25
    guard (1...65_535).contains(port) else { throw SMTPURLProblem("--smtp \(text): port \(port) is not a port") }
    self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    self.port = port
  }

  var description: String { "smtp://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}

/// A `--smtp` value that is not a relay Accord can use.
struct SMTPURLProblem: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// Why a message was not delivered: the relay's reply, or what went wrong on the network.
/// Never holds the message.
struct SMTPFailure: Error, CustomStringConvertible {
  var description: String
}

/// One message handed to a relay over plain SMTP (RFC 5321): greeting, EHLO (HELO when the
/// relay does not know EHLO), MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. Every wait
/// is bounded: `connectTimeout` to connect, `timeout` for each reply.
struct SMTPClient: Sendable {
  var relay: SMTPRelay
  var connectTimeout: TimeInterval = 15
  var timeout: TimeInterval = 60
  /// The name given in EHLO.
  var helloName = "localhost"

  func send(from: MailAddress, to: MailAddress, message: String) throws(SMTPFailure) {
    let connection = try SMTPConnection(relay: relay, connectTimeout: connectTimeout, timeout: timeout)
    defer { connection.close() }
    try connection.expect(220, after: "connecting")
    try connection.command("EHLO \(helloName)")
    if (try? connection.expect(250, after: "EHLO")) == nil {
      try connection.command("HELO \(helloName)")
      try connection.expect(250, after: "HELO")
    }
    try connection.command("MAIL FROM:<\(from)>")
    try connection.expect(250, after: "MAIL FROM")
    try connection.command("RCPT TO:<\(to)>")
    try connection.expect([250, 251], after: "RCPT TO")
    try connection.command("DATA")
    try connection.expect(354, after: "DATA")
    try connection.write(Self.dotStuffed(message) + ".\r\n")
    try connection.expect(250, after: "the message")
    try? connection.command("QUIT")
    _ = try? connection.reply()
  }

  /// The message as DATA carries it: CRLF line ends, a final CRLF, and a `.` doubled where
  /// it starts a line.
  static func dotStuffed(_ message: String) -> String {
    var lines = message.replacingOccurrences(of: "\r\n", with: "\n").split(
      separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    return lines.map { ($0.hasPrefix(".") ? "." + $0 : String($0)) + "\r\n" }.joined()
  }
}

/// A TCP connection to the relay, with a timeout on every read and write.
final class SMTPConnection {
  private let socket: Int32
  private var buffer: [UInt8] = []
  private let relay: SMTPRelay

  init(relay: SMTPRelay, connectTimeout: TimeInterval, timeout: TimeInterval) throws(SMTPFailure) {
    self.relay = relay
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    #if canImport(Glibc)
      hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    #else
      hints.ai_socktype = SOCK_STREAM
    #endif
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(relay.host, String(relay.port), &hints, &list)
    guard status == 0, let first = list else {
      throw SMTPFailure(description: "cannot find \(relay.host): \(String(cString: gai_strerror(status)))")
    }
    defer { freeaddrinfo(list) }
    var lastError = "no address"
    var candidate: UnsafeMutablePointer<addrinfo>? = first
    while let info = candidate {
      candidate = info.pointee.ai_next
      let fd = posixSocket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
      guard fd >= 0 else {
        lastError = String(cString: strerror(errno))
        continue
      }
      if let problem = Self.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen, timeout: connectTimeout) {
        lastError = problem
        _ = posixClose(fd)
        continue
      }
      var interval = timeval(tv_sec: Int(timeout), tv_usec: 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
      #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
      #endif
      socket = fd
      return
    }
    throw SMTPFailure(description: "cannot connect to \(relay): \(lastError)")
  }

  /// Connects without blocking longer than `timeout`; nil when connected, else why not.
  private static func connect(
    _ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, timeout: TimeInterval
  ) -> String? {
    let flags = fcntl(fd, F_GETFL, 0)
    _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    defer { _ = fcntl(fd, F_SETFL, flags) }
    if posixConnect(fd, address, length) == 0 { return nil }
    guard errno == EINPROGRESS else { return String(cString: strerror(errno)) }
    var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
    let ready = poll(&poller, 1, Int32(timeout * 1000))
    if ready == 0 { return "timed out after \(Int(timeout)) seconds" }
    if ready < 0 { return String(cString: strerror(errno)) }
    var error: Int32 = 0
    var size = socklen_t(MemoryLayout<Int32>.size)
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
    return error == 0 ? nil : String(cString: strerror(error))
  }

  func close() { _ = posixClose(socket) }

  func command(_ line: String) throws(SMTPFailure) { try write(line + "\r\n") }

  func write(_ text: String) throws(SMTPFailure) {
    let bytes = Array(text.utf8)
    var sent = 0
    while sent < bytes.count {
      let count = bytes[sent...].withUnsafeBytes { pointer in
        #if canImport(Glibc)
          Glibc.send(socket, pointer.baseAddress, pointer.count, Int32(MSG_NOSIGNAL))
        #else
          Darwin.send(socket, pointer.baseAddress, pointer.count, 0)
        #endif
      }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { throw failure("writing to") }
      sent += count
    }
  }

  /// The next reply, joined over its lines: its code and its text.
  func reply() throws(SMTPFailure) -> (code: Int, text: String) {
    var lines: [String] = []
    while true {
      let line = try readLine()
      lines.append(line)
      let bytes = Array(line.utf8)
      guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
        throw SMTPFailure(description: "\(relay) answered something that is not SMTP: \(Self.shown(line))")
      }
      if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") {
        return (code, lines.map(Self.shown).joined(separator: " / "))
      }
      if lines.count > 100 { throw SMTPFailure(description: "\(relay) sent a reply of more than 100 lines") }
    }
  }

  func expect(_ code: Int, after step: String) throws(SMTPFailure) { try expect([code], after: step) }

  func expect(_ codes: [Int], after step: String) throws(SMTPFailure) {
    let (code, text) = try reply()
    guard codes.contains(code) else {
      throw SMTPFailure(description: "\(relay) refused \(step): \(text)")
    }
  }

  private func readLine() throws(SMTPFailure) -> String {
    while true {
      if let end = buffer.firstIndex(of: 0x0A) {
        var line = Array(buffer[..<end])
        buffer.removeSubrange(...end)
        if line.last == 0x0D { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
      }
      if buffer.count > 4096 { throw SMTPFailure(description: "\(relay) sent a line longer than 4096 bytes") }
      var chunk = [UInt8](repeating: 0, count: 1024)
      let count = chunk.withUnsafeMutableBytes { posixReceive(socket, $0.baseAddress, $0.count, 0) }
      if count < 0 && errno == EINTR { continue }
      if count == 0 { throw SMTPFailure(description: "\(relay) closed the connection") }
      guard count > 0 else { throw failure("reading from") }
      buffer += chunk[..<count]
    }
  }

  private func failure(_ doing: String) -> SMTPFailure {
    let code = errno
    if code == EAGAIN || code == EWOULDBLOCK { return SMTPFailure(description: "timed out \(doing) \(relay)") }
    return SMTPFailure(description: "error \(doing) \(relay): \(String(cString: strerror(code)))")
  }

  /// A reply line as it may be logged: printable, at most 200 characters.
  static func shown(_ line: String) -> String {
    String(MailText.oneLine(line).prefix(200))
  }
}

// The C functions under names of their own: inside the class, `socket`, `close`, `connect`
// and `send` are its members.
private func posixSocket(_ domain: Int32, _ type: Int32, _ proto: Int32) -> Int32 { socket(domain, type, proto) }
private func posixClose(_ fd: Int32) -> Int32 { close(fd) }
private func posixConnect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t) -> Int32 {
  connect(fd, address, length)
}
private func posixReceive(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ flags: Int32) -> Int {
  recv(fd, buffer, count, flags)
}
