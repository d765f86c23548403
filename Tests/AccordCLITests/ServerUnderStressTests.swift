import Foundation
import Glibc
import Testing
import WorkspaceStore

/// A TCP connection to the server made by hand, for what URLSession never sends: a body
/// cut short, a body that trickles in, a connection that says nothing, a HEAD whose bytes
/// are read as they come.
final class RawConnection {
  let descriptor: Int32

  /// Connects to `port` on 127.0.0.1 from `source` (any address of 127/8 is loopback on Linux,
  /// so a test can be two clients at two addresses).
  init(port: Int, from source: String = "127.0.0.1") throws {
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
    var local = sockaddr_in()
    local.sin_family = sa_family_t(AF_INET)
    inet_pton(AF_INET, source, &local.sin_addr)
    var remote = sockaddr_in()
    remote.sin_family = sa_family_t(AF_INET)
    remote.sin_port = in_port_t(UInt16(port).bigEndian)
    inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
    let bound = withUnsafePointer(to: &local) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    let connected = withUnsafePointer(to: &remote) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, connected == 0 else {
      let code = errno
      Glibc.close(descriptor)
      throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }
  }

  deinit { Glibc.close(descriptor) }

  /// Sends `text`; false when the server has closed the connection.
  @discardableResult
  func send(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
  }

  /// Says that nothing more will be sent (the other half stays open for the answer).
  func finishSending() {
    shutdown(descriptor, Int32(SHUT_WR))
  }

  /// Everything the server sends until it closes the connection or `seconds` pass, and
  /// whether it closed it.
  func receive(for seconds: Double) -> (text: String, closed: Bool) {
    let deadline = Date().addingTimeInterval(seconds)
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while Date() < deadline {
      var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      let wait = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
      guard poll(&poller, 1, wait) > 0 else { continue }
      let count = recv(descriptor, &buffer, buffer.count, 0)
      if count <= 0 { return (String(decoding: bytes, as: UTF8.self), true) }
      bytes += buffer[0..<count]
    }
    return (String(decoding: bytes, as: UTF8.self), false)
  }
}

extension ServedWorkspace {
  var port: Int { base.port ?? 0 }
}

/// `accord serve` under bad input and bad luck, over real HTTP on loopback: bodies cut short
/// or trickling in, a crowd of idle connections, a disk that cannot be written, HEAD, and
/// the bearer scheme in any case.
@Suite("Server under stress", .serialized)
struct ServerUnderStressTests {
  /// A request that says its body is longer than what comes before the client stops sending.
  private static func truncated(_ path: String, token: String?, contentType: String) -> String {
    var head = "POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(contentType)\r\nContent-Length: 200\r\n"
    if let token { head += "Authorization: Bearer \(token)\r\n" }
    return head + "\r\n" + #"{"milestone": "stakeh"#
  }

  @Test func aBodyShorterThanItsContentLengthIsABadRequest() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let token = try served.token(for: "alice")
    let before = try space.accord.stateFile("acme")

    let api = try RawConnection(port: served.port)
    api.send(Self.truncated("/api/v1/clients/acme/complete", token: token, contentType: "application/json"))
    api.finishSending()
    let answer = api.receive(for: 10)
    #expect(answer.text.hasPrefix("HTTP/1.1 400"), "\(answer.text)")
    #expect(answer.text.contains(#""code" : "bad-request""#), "\(answer.text)")

    let page = try RawConnection(port: served.port)
    page.send(Self.truncated("/sign-in", token: nil, contentType: "application/x-www-form-urlencoded"))
    page.finishSending()
    let pageAnswer = page.receive(for: 10)
    #expect(pageAnswer.text.hasPrefix("HTTP/1.1 400"), "\(pageAnswer.text)")

    #expect(try space.accord.stateFile("acme") == before, "a cut-short request changed the client")
    #expect(served.stop() == .exited(0))
    #expect(!served.server.stderr.contains(" 500 "), "\(served.server.stderr)")
  }

  @Test func aBodyThatTricklesInIsCutOffAtTheRequestTimeout() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space, options: ["--request-timeout", "2"])
    let token = try served.token(for: "alice")
    let before = try space.accord.stateFile("acme")

    let slow = try RawConnection(port: served.port)
    slow.send(
      "POST /api/v1/clients/acme/complete HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n"
        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    // A byte every 300 ms: each one would reset an idle timeout, never this one.
    let start = Date()
    var answer = (text: "", closed: false)
    for _ in 0..<30 {
      slow.send(" ")
      answer = slow.receive(for: 0.3)
      if answer.closed || !answer.text.isEmpty { break }
    }
    if !answer.closed { answer.closed = slow.receive(for: 2).closed }
    let took = Date().timeIntervalSince(start)
    #expect(answer.text.hasPrefix("HTTP/1.1 408"), "\(answer.text)")
    #expect(answer.closed)
    #expect(took < 5, "cut off after \(took) s")

    // Headers that never end are cut off too, and a connection that sends nothing.
    let headers = try RawConnection(port: served.port)
    headers.send("GET /api/v1/clients HTTP/1.1\r\nHost: localhost\r\n")
    let silent = try RawConnection(port: served.port)
    #expect(headers.receive(for: 5).closed)
    #expect(silent.receive(for: 5).closed)

    // Others were answered all along, and nothing was changed.
    let list = try await served.send("GET", "api/v1/clients", token: token)
    #expect(list.status == 200)
    #expect(try space.accord.stateFile("acme") == before)
    #expect(served.stop() == .exited(0))
  }

  @Test func aThousandIdleConnectionsDoNotKeepOthersOut() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space, options: ["--connections-per-address", "50"])
    let token = try served.token(for: "alice")

    // One address opens a thousand connections and says nothing on any of them.
    var idle: [RawConnection] = []
    for _ in 0..<1_000 { idle.append(try RawConnection(port: served.port)) }
    // All but the fifty it may hold are closed at once.
    var closed = 0
    for connection in idle where connection.receive(for: 0.01).closed { closed += 1 }
    let deadline = Date().addingTimeInterval(10)
    while closed < 950, Date() < deadline {
      closed = 0
      for connection in idle where connection.receive(for: 0.001).closed { closed += 1 }
    }
    #expect(closed == 950, "\(closed) of the idle connections closed")

    // Another address is answered at once, over HTTP as a script sends it.
    let other = try RawConnection(port: served.port, from: "127.0.0.2")
    let start = Date()
    other.send(
      "GET /api/v1/clients/acme/next HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n"
        + "Connection: close\r\n\r\n")
    let answer = other.receive(for: 10)
    #expect(answer.text.hasPrefix("HTTP/1.1 200"), "\(answer.text.prefix(200))")
    #expect(Date().timeIntervalSince(start) < 2)

    // Once the idle ones go, the crowded address is answered again.
    idle.removeAll()
    try await Task.sleep(for: .milliseconds(500))
    let again = try await served.send("GET", "api/v1/clients", token: token)
    #expect(again.status == 200)
    #expect(served.stop() == .exited(0))
  }

  /// How a test makes the workspace's disk refuse writes before the server starts on it, in
  /// a mount namespace of the server's own (root, as CI runs the tests).
  enum BadDisk: String, CaseIterable {
    case readOnly = "mount --bind \"$w\" \"$w\" && mount -o remount,bind,ro \"$w\""
    case full = """
      cp -a "$w" "$w.copy" && mount -t tmpfs -o size=1m,mode=0700 tmpfs "$w" && cp -a "$w.copy/." "$w/" \
      && { dd if=/dev/zero of="$w/.fill" bs=4k 2>/dev/null || true; }
      """
  }

  @Test(arguments: BadDisk.allCases)
  func pagesAreReadWhenTheSessionsLastUseCannotBeSaved(_ disk: BadDisk) async throws {
    try #require(getuid() == 0, "this test mounts a file system: run the tests as root, as CI does")
    let space = try APIWorkspace()
    try space.seed()
    let workspace = space.accord.workspace
    // A session last used two minutes ago: the next request moves its clock forward, a write.
    let secret = try AccessStore(space.workspace).update { book in
      let now = Date()
      let link = book.invite("carol", to: "acme", by: "alice", now: now, expiresAt: now.addingTimeInterval(3600))
      return try book.redeem(linkSecret: link.text, now: now.addingTimeInterval(-120)).session.text
    }
    let script = "set -e; w=\"$1\"; shift; \(disk.rawValue); exec \"$@\""
    let server = try Child(
      "/usr/bin/unshare",
      ["-m", "sh", "-c", script, "sh", workspace.path, space.accord.executable.path, "serve", "--port", "0",
       "--workspace", workspace.path],
      environment: space.accord.environment(as: "alice"), folder: space.accord.folder)
    let served = try ServedWorkspace(space, server: server)

    for path in ["/", "/clients/acme"] {
      let connection = try RawConnection(port: served.port)
      connection.send(
        "GET \(path) HTTP/1.1\r\nHost: localhost\r\nCookie: accord_session=\(secret)\r\nConnection: close\r\n\r\n")
      let answer = connection.receive(for: 10)
      #expect(answer.text.hasPrefix("HTTP/1.1 200"), "\(path): \(answer.text.prefix(300))")
      #expect(answer.text.contains("Acme Ltd"), "\(path)")
    }
    #expect(served.stop() == .exited(0))
    let log = served.server.stderr
    #expect(log.contains("cannot save a session's last use"), "\(log)")
    #expect(!log.contains(secret), "the log holds the session's secret")
    #expect(!log.contains(" 500 "), "\(log)")
  }

  @Test func headAnswersAsGetWithoutTheBody() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let token = try served.token(for: "alice")

    func exchange(_ method: String, _ path: String, _ headers: String) throws -> (head: String, body: String) {
      let connection = try RawConnection(port: served.port)
      connection.send("\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n\(headers)Connection: close\r\n\r\n")
      let answer = connection.receive(for: 10)
      #expect(answer.closed)
      let parts = answer.text.components(separatedBy: "\r\n\r\n")
      return (parts[0], parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
    func field(_ name: String, in head: String) -> String? {
      head.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name + ":") }
        .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }
    let bearer = "Authorization: Bearer \(token)\r\n"
    for (path, headers) in [
      ("/api/v1/clients/acme/next", bearer), ("/api/v1/clients", bearer), ("/api/v1/openapi.json", ""),
      ("/style.css", ""), ("/signed-out", ""), ("/api/v1/clients/nobody/next", bearer), ("/api/v1/clients", ""),
    ] {
      let get = try exchange("GET", path, headers)
      let head = try exchange("HEAD", path, headers)
      #expect(head.head.split(separator: "\r\n").first == get.head.split(separator: "\r\n").first, "\(path)")
      #expect(field("content-type", in: head.head) == field("content-type", in: get.head), "\(path)")
      #expect(field("content-length", in: head.head) == field("content-length", in: get.head), "\(path)")
      #expect(field("content-length", in: get.head) == String(get.body.utf8.count), "\(path)")
      #expect(head.body.isEmpty, "HEAD \(path) sent a body: \(head.body.prefix(100))")
    }
    #expect(served.stop() == .exited(0))
  }

  @Test(arguments: ["Bearer", "bearer", "BEARER", "bEaReR"])
  func theBearerSchemeIsMatchedInAnyCase(_ scheme: String) async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let token = try served.token(for: "alice")
    let connection = try RawConnection(port: served.port)
    connection.send(
      "GET /api/v1/clients/acme/next HTTP/1.1\r\nHost: localhost\r\nAuthorization: \(scheme) \(token)\r\n"
        + "Connection: close\r\n\r\n")
    let answer = connection.receive(for: 10)
    #expect(answer.text.hasPrefix("HTTP/1.1 200"), "\(scheme): \(answer.text.prefix(300))")
    // Another scheme is still no credential at all.
    let basic = try RawConnection(port: served.port)
    basic.send(
      "GET /api/v1/clients/acme/next HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic \(token)\r\n"
        + "Connection: close\r\n\r\n")
    #expect(basic.receive(for: 10).text.hasPrefix("HTTP/1.1 401"))
    #expect(served.stop() == .exited(0))
  }
}

extension ServerUnderStressTests {
  /// `GET /healthz` says whether the store answers, without a token and without a word of
  /// what is in it: 200 while the workspace can be read, 503 when its folder is gone (a
  /// file where it was), and 200 again once it is back.
  @Test func healthzSaysWhetherTheStoreAnswers() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    func health() throws -> (status: String, body: String) {
      let connection = try RawConnection(port: served.port)
      connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
      let answer = connection.receive(for: 10)
      let parts = answer.text.components(separatedBy: "\r\n\r\n")
      return (String(parts[0].split(separator: "\r\n").first ?? ""), parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
    let ready = try health()
    #expect(ready.status == "HTTP/1.1 200 OK", "\(ready)")
    #expect(ready.body == #"{"status":"ready"}"#)

    let folder = space.accord.workspace
    let aside = folder.deletingLastPathComponent().appendingPathComponent("workspace-aside")
    try FileManager.default.moveItem(at: folder, to: aside)
    try Data("not a folder".utf8).write(to: folder)
    let down = try health()
    #expect(down.status == "HTTP/1.1 503 Service Unavailable", "\(down)")
    #expect(down.body == #"{"status":"unavailable"}"#)
    #expect(!down.body.contains(folder.path))

    try FileManager.default.removeItem(at: folder)
    try FileManager.default.moveItem(at: aside, to: folder)
    #expect(try health().status == "HTTP/1.1 200 OK")
  }
}
