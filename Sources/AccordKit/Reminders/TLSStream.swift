import Foundation
import NIOCore
import NIOEmbedded
import NIOSSL
import NIOTLS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// TLS over a connected socket that is read and written blocking, with its timeouts: swift-nio-ssl's
/// handler in an in-memory channel, fed the socket's bytes and handing back what to send. The
/// SMTP client stays one plain loop of commands and replies, and speaks through this once
/// STARTTLS (or an `smtps://` connection) has begun; the tests' TLS sink uses the server side.
package final class TLSStream {
  private let channel: EmbeddedChannel
  private let watcher = HandshakeWatcher()
  private let fd: Int32
  private var plain: [UInt8] = []
  /// What failures are reported as coming from (`smtp://mail.example.com:587`).
  private let peerName: String

  /// A client, verifying the peer's certificate against the system's trust store and, when
  /// given, the CAs in `caFile` (PEM), and its name against `host`.
  package static func client(fd: Int32, host: String, caFile: String?, peerName: String) throws(SMTPFailure) -> TLSStream {
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.certificateVerification = .fullVerification
    configuration.minimumTLSVersion = .tlsv12
    if let caFile { configuration.additionalTrustRoots = [.file(caFile)] }
    let isAddress = host.contains(":") || host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    do {
      let context = try NIOSSLContext(configuration: configuration)
      // An address is checked against the certificate's IP entries (SNI takes names only).
      let handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
      return try TLSStream(fd: fd, handler: handler, peerName: peerName)
    } catch let failure as SMTPFailure {
      throw failure
    } catch {
      throw SMTPFailure(description: "cannot set up TLS to \(peerName): \(error)")
    }
  }

  /// A server presenting the certificate chain and key in the PEM files (for tests).
  package static func server(fd: Int32, certificate: String, key: String) throws -> TLSStream {
    let configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
      privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
    let handler = NIOSSLServerHandler(context: try NIOSSLContext(configuration: configuration))
    return try TLSStream(fd: fd, handler: handler, peerName: "the client")
  }

  private init(fd: Int32, handler: ChannelHandler, peerName: String) throws {
    self.fd = fd
    self.peerName = peerName
    channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(handler)
    try channel.pipeline.syncOperations.addHandler(watcher)
    // The peer's address, which the handler checks an IP certificate against.
    channel.remoteAddress = Self.peerAddress(fd)
    try channel.connect(to: channel.remoteAddress ?? SocketAddress(ipAddress: "0.0.0.0", port: 0)).wait()
    try handshake()
  }

  /// Runs the handshake to its end: sends what the handler has, reads what the peer answers.
  private func handshake() throws(SMTPFailure) {
    while true {
      try flush()
      if watcher.done { return }
      try feed()
    }
  }

  /// Encrypts and sends `bytes`.
  package func write(_ bytes: [UInt8]) throws(SMTPFailure) {
    do {
      try channel.writeOutbound(ByteBuffer(bytes: bytes))
    } catch {
      throw failure(error)
    }
    try flush()
  }

  /// At least one byte of what the peer sent, decrypted; nil when the peer has closed.
  package func read() throws(SMTPFailure) -> [UInt8]? {
    while plain.isEmpty {
      guard try feed() else { return nil }
      try flush()
    }
    defer { plain = [] }
    return plain
  }

  /// Says goodbye (close_notify), as far as the socket still takes it.
  package func close() {
    channel.close(promise: nil)
    try? flush()
  }

  /// Sends whatever the handler has written.
  private func flush() throws(SMTPFailure) {
    while true {
      let next: ByteBuffer?
      do {
        next = try channel.readOutbound(as: ByteBuffer.self)
      } catch {
        throw failure(error)
      }
      guard let buffer = next else { return }
      try Self.send(fd, Array(buffer.readableBytesView), peerName: peerName)
    }
  }

  /// Reads from the socket into the handler, keeping what it decrypts; false at the end.
  @discardableResult
  private func feed() throws(SMTPFailure) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 16_384)
    var count: Int
    repeat {
      count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    } while count < 0 && errno == EINTR
    if count < 0 {
      let code = errno
      if code == EAGAIN || code == EWOULDBLOCK { throw SMTPFailure(description: "timed out reading from \(peerName)") }
      throw SMTPFailure(description: "error reading from \(peerName): \(String(cString: strerror(code)))")
    }
    if count == 0 {
      if !watcher.done { throw SMTPFailure(description: "\(peerName) closed the connection during the TLS handshake") }
      return false
    }
    do {
      try channel.writeInbound(ByteBuffer(bytes: chunk[..<count]))
      while let buffer = try channel.readInbound(as: ByteBuffer.self) { plain += buffer.readableBytesView }
    } catch {
      throw failure(error)
    }
    return true
  }

  private func failure(_ error: any Error) -> SMTPFailure {
    let text = "\(error)"
    if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("failedToValidateHostname") {
      return SMTPFailure(
        description: "the certificate of \(peerName) is not trusted (nothing was sent): \(text); "
          + "for a private CA, give its certificate with --smtp-ca-file")
    }
    return SMTPFailure(description: "TLS with \(peerName) failed: \(text)")
  }

  static func send(_ fd: Int32, _ bytes: [UInt8], peerName: String) throws(SMTPFailure) {
    if let code = sendAll(fd, bytes) {
      throw SMTPFailure(description: "error writing to \(peerName): \(String(cString: strerror(code)))")
    }
  }

  private static func peerAddress(_ fd: Int32) -> SocketAddress? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let got = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
    }
    guard got == 0 else { return nil }
    var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
    let named = withUnsafePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        getnameinfo($0, length, &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV)
      }
    }
    func text(_ characters: [CChar]) -> String {
      String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    guard named == 0, let port = Int(text(service)) else { return nil }
    return try? SocketAddress(ipAddress: text(host), port: port)
  }
}

/// Notes when the TLS handshake has completed.
private final class HandshakeWatcher: ChannelInboundHandler {
  package typealias InboundIn = ByteBuffer
  package var done = false

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if case TLSUserEvent.handshakeCompleted = event as? TLSUserEvent ?? .shutdownCompleted { done = true }
    context.fireUserInboundEventTriggered(event)
  }
}
