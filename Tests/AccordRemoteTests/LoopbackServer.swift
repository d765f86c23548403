import Foundation
import Glibc
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 for the transport's tests: each request is handed
/// to `answer`, whose reply is sent with `Connection: close`, and every request is kept
/// for the test to look at. One connection at a time, on a thread of its own.
final class LoopbackServer: Sendable {
  struct Request: Sendable {
    var method: String
    var target: String
    /// Header names in lower case.
    var headers: [String: String]
    var body: Data
  }

  struct Reply: Sendable {
    var status: Int
    var body: Data
    var contentType = "application/json"

    static func json(_ status: Int, _ text: String) -> Reply { Reply(status: status, body: Data(text.utf8)) }
  }

  let port: Int
  private let socket: Int32
  private let received = Received()

  /// The requests, shared with the serving thread.
  private final class Received: Sendable {
    let list = Mutex<[Request]>([])
  }

  /// Starts listening; `answer` nil: accept and never answer (a server that hangs).
  init(answer: (@Sendable (Request) -> Reply)?) throws {
    let listener = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    socket = listener
    port = Int(UInt16(bigEndian: address.sin_port))
    let thread = Thread { [received] in
      while true {
        let connection = accept(listener, nil, nil)
        if connection < 0 { return }
        guard let answer else { continue }  // kept open, never answered
        if let request = Self.read(connection) {
          received.list.withLock { $0.append(request) }
          Self.write(answer(request), to: connection)
        }
        close(connection)
      }
    }
    thread.start()
  }

  deinit {
    shutdown(socket, Int32(SHUT_RDWR))
    close(socket)
  }

  var base: URL { URL(string: "http://127.0.0.1:\(port)")! }

  /// The requests received so far, in order.
  var requests: [Request] { received.list.withLock { $0 } }

  private static func read(_ connection: Int32) -> Request? {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    var headerEnd: Range<Data.Index>?
    while headerEnd == nil {
      let count = recv(connection, &buffer, buffer.count, 0)
      if count <= 0 { return nil }
      data.append(contentsOf: buffer[0..<count])
      headerEnd = data.range(of: Data("\r\n\r\n".utf8))
    }
    let head = String(decoding: data[..<headerEnd!.lowerBound], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let requestLine = lines.removeFirst().split(separator: " ")
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    var body = Data(data[headerEnd!.upperBound...])
    while body.count < length {
      let count = recv(connection, &buffer, buffer.count, 0)
      if count <= 0 { break }
      body.append(contentsOf: buffer[0..<count])
    }
    return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
  }

  private static func write(_ reply: Reply, to connection: Int32) {
    let head =
      "HTTP/1.1 \(reply.status) \(HTTPReason.phrase(reply.status))\r\nContent-Type: \(reply.contentType)\r\n"
      + "Content-Length: \(reply.body.count)\r\nConnection: close\r\n\r\n"
    let bytes = Data(head.utf8) + reply.body
    bytes.withUnsafeBytes { raw in
      var sent = 0
      while sent < raw.count {
        let count = send(connection, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
        if count <= 0 { return }
        sent += count
      }
    }
  }
}

enum HTTPReason {
  static func phrase(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 202: "Accepted"
    case 401: "Unauthorized"
    case 404: "Not Found"
    case 409: "Conflict"
    case 502: "Bad Gateway"
    default: "Status"
    }
  }
}
