import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The mail relay Accord hands mail to (reminders, sign-in links), from `--smtp`:
///
/// - `smtps://[USER@]HOST[:PORT]`: TLS from the first byte (port 465 by default).
/// - `smtp://[USER@]HOST[:PORT]`: STARTTLS (port 25 by default). A relay that does not offer
///   it is refused, nothing sent, unless it is on this machine (`localhost`, `127.0.0.1`,
///   `::1`), which is then spoken to in plain SMTP: a local postfix or msmtp takes it further.
///
/// The relay's certificate is verified against the system's trust store, plus the CAs in
/// `caFile` (`--smtp-ca-file`), and its name against HOST. With USER, Accord logs in (AUTH
/// PLAIN, else LOGIN) and only over TLS; the password comes from `--smtp-password-file` or
/// `$ACCORD_SMTP_PASSWORD`, never from the command line, and is never shown.
package struct SMTPRelay: Sendable, CustomStringConvertible {
  package var host: String
  package var port: Int
  /// `smtps://`: TLS from the first byte.
  var implicitTLS = false
  package var user: String?
  package var password: String?
  package var caFile: String?

  /// Reads `smtp://` or `smtps://`; throws a sentence saying what is wrong.
  package init(url text: String, password: String? = nil, caFile: String? = nil) throws(SMTPURLProblem) {
    let scheme = URLComponents(string: text)?.scheme?.lowercased()
    guard let components = URLComponents(string: text), scheme == "smtp" || scheme == "smtps" else {
      throw SMTPURLProblem("--smtp \(text) is not smtps://[USER@]HOST[:PORT] or smtp://[USER@]HOST[:PORT]")
    }
    guard let host = components.host, !host.isEmpty else { throw SMTPURLProblem("--smtp \(text) names no host") }
    guard components.password == nil else {
      throw SMTPURLProblem(
        "--smtp holds a password: a command line is seen by everyone on the machine (ps) and kept in shell "
          + "history; put it in a file given as --smtp-password-file, or in $ACCORD_SMTP_PASSWORD")
    }
    guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
      throw SMTPURLProblem("--smtp \(text) is not smtps://[USER@]HOST[:PORT] or smtp://[USER@]HOST[:PORT]")
    }
    implicitTLS = scheme == "smtps"
    let port = components.port ?? (implicitTLS ? 465 : 25)
    guard (1...65_535).contains(port) else { throw SMTPURLProblem("--smtp \(text): port \(port) is not a port") }
    self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    self.port = port
    user = components.percentEncodedUser.map { $0.removingPercentEncoding ?? $0 }
    if let user, user.isEmpty || user.contains(where: { $0.isNewline || $0 == "\0" }) {
      throw SMTPURLProblem("--smtp \(text): the user name is empty or not on one line")
    }
    if user != nil && password == nil {
      throw SMTPURLProblem(
        "--smtp names the user \(user!) and no password: give it in a file as --smtp-password-file, "
          + "or in $ACCORD_SMTP_PASSWORD")
    }
    if user == nil && password != nil {
      throw SMTPURLProblem("a relay password is given but --smtp names no user: give smtp://USER@HOST")
    }
    self.password = password
    self.caFile = caFile
  }

  /// Whether the relay is on this machine, the one place mail may go in plain SMTP.
  var isLoopback: Bool {
    let name = host.lowercased()
    return name == "localhost" || name == "::1" || name.hasPrefix("127.")
  }

  /// The relay as it may be shown and logged: never the password.
  package var description: String {
    let who = user.map { ($0.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? $0) + "@" } ?? ""
    return "\(implicitTLS ? "smtps" : "smtp")://\(who)\(host.contains(":") ? "[\(host)]" : host):\(port)"
  }
}

/// A `--smtp` value that is not a relay Accord can use.
package struct SMTPURLProblem: Error, CustomStringConvertible {
  package var description: String
  package init(_ description: String) { self.description = description }
}

/// Why a message was not delivered: the relay's reply, or what went wrong on the network.
/// Never holds the message.
package struct SMTPFailure: Error, CustomStringConvertible {
  package var description: String
}

/// One message handed to a relay over SMTP (RFC 5321), over TLS as `SMTPRelay` says (RFC 3207,
/// RFC 8314), logged in when it names a user (RFC 4954): greeting, EHLO (HELO when the
/// relay does not know EHLO), MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. Every wait
/// is bounded: `connectTimeout` to connect, `timeout` for each reply.
package struct SMTPClient: Sendable {
  package var relay: SMTPRelay
  var connectTimeout: TimeInterval = 15
  var timeout: TimeInterval = 60
  /// The name given in EHLO.
  var helloName = "localhost"

  package init(
    relay: SMTPRelay, connectTimeout: TimeInterval = 15, timeout: TimeInterval = 60, helloName: String = "localhost"
  ) {
    self.relay = relay
    self.connectTimeout = connectTimeout
    self.timeout = timeout
    self.helloName = helloName
  }

  func send(from: MailAddress, to: MailAddress, message: String) throws(SMTPFailure) {
    let connection = try SMTPConnection(relay: relay, connectTimeout: connectTimeout, timeout: timeout)
    defer { connection.close() }
    if relay.implicitTLS { try connection.startTLS() }
    try connection.expect(220, after: "connecting")
    var offers = try hello(connection)
    if !connection.isTLS {
      if offers.contains("STARTTLS") {
        try connection.command("STARTTLS")
        try connection.expect(220, after: "STARTTLS")
        try connection.startTLS()
        offers = try hello(connection)
      } else if !relay.isLoopback {
        throw SMTPFailure(
          description: "\(relay) does not offer STARTTLS: Accord sends mail in the clear only to a relay on this "
            + "machine; nothing was sent (use smtps:// if it takes TLS from the start)")
      }
    }
    if let user = relay.user, let password = relay.password {
      guard connection.isTLS else {
        throw SMTPFailure(description: "\(relay) is not spoken to over TLS: Accord will not send the password in the clear")
      }
      try authenticate(connection, user: user, password: password, offers: offers)
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

  /// EHLO (HELO when the relay does not know EHLO); the extensions it offers, upper case.
  private func hello(_ connection: SMTPConnection) throws(SMTPFailure) -> Set<String> {
    try connection.command("EHLO \(helloName)")
    let (code, lines) = try connection.replyLines()
    guard code == 250 else {
      try connection.command("HELO \(helloName)")
      try connection.expect(250, after: "HELO")
      return []
    }
    // The first line greets; each other names an extension and its parameters.
    return Set(lines.dropFirst().map { String($0.dropFirst(4)).uppercased() }.flatMap { line in
      let words = line.split(separator: " ").map(String.init)
      // `AUTH PLAIN LOGIN` offers `AUTH PLAIN` and `AUTH LOGIN`.
      return [words.first ?? ""] + words.dropFirst().map { "\(words[0]) \($0)" }
    })
  }

  /// AUTH PLAIN, else AUTH LOGIN (RFC 4954, RFC 4616). The password is sent only here,
  /// base64 in the command; a refusal reports the relay's words, never what was sent.
  private func authenticate(
    _ connection: SMTPConnection, user: String, password: String, offers: Set<String>
  ) throws(SMTPFailure) {
    func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    if offers.contains("AUTH PLAIN") || !offers.contains("AUTH LOGIN") {
      try connection.command("AUTH PLAIN " + base64("\0\(user)\0\(password)"))
      try connection.expect(235, after: "AUTH PLAIN (the user name or password)")
      return
    }
    try connection.command("AUTH LOGIN")
    try connection.expect(334, after: "AUTH LOGIN")
    try connection.command(base64(user))
    try connection.expect(334, after: "AUTH LOGIN's user name")
    try connection.command(base64(password))
    try connection.expect(235, after: "AUTH LOGIN (the user name or password)")
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
package final class SMTPConnection {
  private let socket: Int32
  private var buffer: [UInt8] = []
  private let relay: SMTPRelay
  /// Once TLS has begun, everything goes through it.
  private var tls: TLSStream?

  var isTLS: Bool { tls != nil }

  /// Begins TLS on the connection (after STARTTLS's 220, or at once for `smtps://`),
  /// verifying the relay's certificate. Anything the relay sent before is dropped (RFC 3207).
  func startTLS() throws(SMTPFailure) {
    buffer = []
    tls = try TLSStream.client(fd: socket, host: relay.host, caFile: relay.caFile, peerName: relay.description)
  }

  package init(relay: SMTPRelay, connectTimeout: TimeInterval, timeout: TimeInterval) throws(SMTPFailure) {
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

  package func close() {
    tls?.close()
    _ = posixClose(socket)
  }

  package func command(_ line: String) throws(SMTPFailure) { try write(line + "\r\n") }

  package func write(_ text: String) throws(SMTPFailure) {
    let bytes = Array(text.utf8)
    if let tls {
      try tls.write(bytes)
      return
    }
    if let code = sendAll(socket, bytes) {
      errno = code
      throw failure("writing to")
    }
  }

  /// The next reply, joined over its lines: its code and its text.
  func reply() throws(SMTPFailure) -> (code: Int, text: String) {
    let (code, lines) = try replyLines()
    return (code, lines.map(Self.shown).joined(separator: " / "))
  }

  /// The next reply: its code and its lines, as they came.
  func replyLines() throws(SMTPFailure) -> (code: Int, lines: [String]) {
    var lines: [String] = []
    while true {
      let line = try readLine()
      lines.append(line)
      let bytes = Array(line.utf8)
      guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
        throw SMTPFailure(description: "\(relay) answered something that is not SMTP: \(Self.shown(line))")
      }
      if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") {
        return (code, lines)
      }
      if lines.count > 100 { throw SMTPFailure(description: "\(relay) sent a reply of more than 100 lines") }
    }
  }

  package func expect(_ code: Int, after step: String) throws(SMTPFailure) { try expect([code], after: step) }

  package func expect(_ codes: [Int], after step: String) throws(SMTPFailure) {
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
      if let tls {
        guard let bytes = try tls.read() else { throw SMTPFailure(description: "\(relay) closed the connection") }
        buffer += bytes
        continue
      }
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
  package static func shown(_ line: String) -> String {
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

/// Writes all of `bytes` to the socket `fd`, again after a signal, never raising SIGPIPE.
/// Returns the errno of a write that failed, or nil when all was written. For the plain
/// connection and for TLS's records alike.
package func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
  var sent = 0
  while sent < bytes.count {
    let count = bytes[sent...].withUnsafeBytes { pointer in
      #if canImport(Glibc)
        Glibc.send(fd, pointer.baseAddress, pointer.count, Int32(MSG_NOSIGNAL))
      #else
        Darwin.send(fd, pointer.baseAddress, pointer.count, 0)
      #endif
    }
    if count < 0 && errno == EINTR { continue }
    guard count > 0 else { return errno }
    sent += count
  }
  return nil
}
