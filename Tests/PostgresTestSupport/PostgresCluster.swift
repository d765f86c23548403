import Foundation
import Synchronization
import PostgresNIO
import PostgresStore
import Testing
import WorkspaceStore

/// A throwaway PostgreSQL cluster for this test process: `initdb` in a temporary folder,
/// started on a free loopback port (its socket in that folder, fsync off), once, when a test
/// first asks for it, and stopped when the process exits (and by a watchdog if the process
/// dies without exiting). Each test gets a database of its own (`database()`).
///
/// PostgreSQL refuses to run as root, as CI runs: then the cluster is made and run as the
/// `postgres` user Debian's package creates, on a folder it owns.
public enum PostgresCluster {
  /// Signs in over TCP with a password (scram-sha-256), as a server would.
  public static let user = "accord"
  public static let password = "pg-test-Secret-7f3a"

  /// Why there is no cluster.
  public enum Unavailable: Error, CustomStringConvertible {
    /// PostgreSQL is not installed on this machine.
    case notInstalled
    /// It is, and could not be started: what failed, and its output.
    case failed(String)

    public var description: String {
      switch self {
      case .notInstalled:
        "PostgreSQL is not installed (no initdb found through pg_config or in /usr/lib/postgresql); "
          + "run scripts/test-deps to install it"
      case let .failed(problem): "the test cluster did not start: \(problem)"
      }
    }
  }

  public struct Running: Sendable {
    public let port: Int
    public let folder: String
    public let bin: String
    public let runAs: [String]
    /// pg_ctl's -o: the port, the socket's folder, the settings.
    let options: String
  }

  /// The cluster, started on first use.
  public static let shared: Result<Running, Unavailable> = start()

  /// The cluster, or what the test should do without it: outside CI it is cancelled
  /// (reported skipped, naming scripts/test-deps); in CI (`CI=true`) it fails.
  public static func running() throws -> Running {
    switch shared {
    case let .success(running): return running
    case .failure(.notInstalled) where ProcessInfo.processInfo.environment["CI"] != "true":
      try Test.cancel("\(Unavailable.notInstalled)")
    case let .failure(failure): throw failure
    }
  }

  /// The address of a new, empty database of the cluster (no Accord tables yet).
  public static func database(on cluster: Running? = nil) async throws -> PostgresAddress {
    let cluster = try cluster ?? running()
    let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    try await admin(cluster) { connection in
      _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: quiet)
    }
    return address(cluster, database: name)
  }

  /// Drops a database `database()` made.
  public static func drop(_ address: PostgresAddress) async {
    guard case let .success(cluster) = shared else { return }
    try? await admin(cluster) { connection in
      _ = try await connection.query(
        PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(address.database) WITH (FORCE)"), logger: quiet)
    }
  }

  public static func address(_ cluster: Running, database: String, password: String? = Self.password) -> PostgresAddress {
    PostgresAddress(
      host: "127.0.0.1", port: cluster.port, username: user, password: password, database: database, tls: .disable)
  }

  public static let quiet = PostgresStore.quiet

  /// Runs `body` on a connection of its own to `address`'s database, closed after.
  public static func connect<T: Sendable>(_ address: PostgresAddress, _ body: (PostgresConnection) async throws -> T)
    async throws -> T
  {
    let connection = try await PostgresConnection.connect(
      configuration: .init(
        host: address.host, port: address.port, username: address.username, password: address.password,
        database: address.database, tls: .disable),
      id: 0, logger: quiet)
    do {
      let result = try await body(connection)
      try? await connection.close()
      return result
    } catch {
      try? await connection.close()
      throw error
    }
  }

  private static func admin(_ cluster: Running, _ body: (PostgresConnection) async throws -> Void) async throws {
    try await connect(address(cluster, database: "postgres"), body)
  }

  // MARK: - Starting and stopping

  private static func start() -> Result<Running, Unavailable> { make() }

  /// A cluster of this test's own, for a test that stops and starts it (`stop(_:)`,
  /// `start(_:)`) while other tests use the shared one; stopped at exit like it.
  public static func own() throws -> Running {
    switch make() {
    case let .success(running): return running
    case .failure(.notInstalled) where ProcessInfo.processInfo.environment["CI"] != "true":
      try Test.cancel("\(Unavailable.notInstalled)")
    case let .failure(failure): throw failure
    }
  }

  /// Stops `cluster` (pg_ctl stop, fast: its connections are closed).
  public static func stop(_ cluster: Running) throws {
    try run(cluster.runAs + [cluster.bin + "/pg_ctl", "-D", cluster.folder + "/data", "-m", "fast", "-w", "stop"])
  }

  /// Starts `cluster` again on its port, after `stop(_:)`.
  public static func start(_ cluster: Running) throws {
    try run(
      cluster.runAs + [
        cluster.bin + "/pg_ctl", "-D", cluster.folder + "/data", "-l", cluster.folder + "/log", "-w", "-o",
        cluster.options, "start",
      ])
  }

  private static func make() -> Result<Running, Unavailable> {
    guard let bin = binaries() else { return .failure(.notInstalled) }
    var runAs: [String] = []
    var owner: passwd?
    if geteuid() == 0 {
      guard let entry = getpwnam("postgres") else {
        return .failure(.failed("running as root, and there is no 'postgres' user to run PostgreSQL as"))
      }
      owner = entry.pointee
      runAs = ["/usr/sbin/runuser", "-u", "postgres", "--"]
    }
    let folder = "/tmp/accord-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
    var port = 0
    var options = ""
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
      let passwordFile = folder + "/password"
      try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
      if let owner {
        for path in [folder, passwordFile] { chown(path, owner.pw_uid, owner.pw_gid) }
      }
      try run(
        runAs + [
          bin + "/initdb", "-D", folder + "/data", "-U", user, "--pwfile=" + passwordFile, "--auth-local=trust",
          "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync",
        ])
      port = try freePort()
      options = "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off "
        + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
      try run(runAs + [bin + "/pg_ctl", "-D", folder + "/data", "-l", folder + "/log", "-w", "-o", options, "start"])
    } catch {
      try? FileManager.default.removeItem(atPath: folder)
      return .failure(.failed("\(error)"))
    }
    let running = Running(port: port, folder: folder, bin: bin, runAs: runAs, options: options)
    let first = stopCommands.withLock { stops in
      stops.append((runAs + [bin + "/pg_ctl", "-D", folder + "/data", "-m", "immediate", "stop"], folder))
      return stops.count == 1
    }
    if first { atexit { PostgresCluster.stopAll() } }
    watch(running, stop: runAs + [bin + "/pg_ctl", "-D", folder + "/data", "-m", "immediate", "stop"])
    return .success(running)
  }

  /// Each cluster's stop command and folder, for the exit.
  private static let stopCommands = Mutex<[([String], String)]>([])

  /// At exit: every cluster stopped at once (they hold nothing to keep), their folders removed.
  private static func stopAll() {
    for (command, folder) in stopCommands.withLock({ $0 }) {
      _ = try? run(command)
      try? FileManager.default.removeItem(atPath: folder)
    }
  }

  /// A shell that stops the cluster when this process is gone, however it went (a crash
  /// runs no atexit handler).
  private static func watch(_ cluster: Running, stop stopCommand: [String]) {
    let stop = (stopCommand.map { "'\($0)'" }).joined(separator: " ")
    let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop) >/dev/null 2>&1; rm -rf '\(cluster.folder)'"
    _ = try? spawn(["/bin/sh", "-c", script])
  }

  /// initdb and pg_ctl's folder: pg_config's, or the newest of Debian's versions.
  private static func binaries() -> String? {
    let manager = FileManager.default
    if let output = try? capture(["/usr/bin/env", "pg_config", "--bindir"]) {
      let bin = output.trimmingCharacters(in: .whitespacesAndNewlines)
      if manager.isExecutableFile(atPath: bin + "/initdb"), manager.isExecutableFile(atPath: bin + "/pg_ctl") {
        return bin
      }
    }
    let versions = ((try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
      .compactMap(Int.init).sorted()
    for version in versions.reversed() {
      let bin = "/usr/lib/postgresql/\(version)/bin"
      if manager.isExecutableFile(atPath: bin + "/initdb") { return bin }
    }
    return nil
  }

  /// A loopback port nothing listens on now.
  private static func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw Unavailable.failed("no socket for a free port") }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
      }
    }
    guard bound else { throw Unavailable.failed("could not find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  @discardableResult
  private static func run(_ arguments: [String]) throws -> String {
    let (status, output) = try execute(arguments)
    guard status == 0 else {
      throw Unavailable.failed("\(arguments.joined(separator: " ")) exited with \(status): \(output)")
    }
    return output
  }

  private static func capture(_ arguments: [String]) throws -> String? {
    let (status, output) = try execute(arguments)
    return status == 0 ? output : nil
  }

  /// Runs a command to its end, its output in a file. Spawned and waited for by hand:
  /// Foundation's `Process` waits for a descriptor every descendant inherits, and the server
  /// pg_ctl starts outlives it.
  private static func execute(_ arguments: [String]) throws -> (Int32, String) {
    let outputPath = NSTemporaryDirectory() + "accord-pg-\(UUID().uuidString).out"
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let pid = try spawn(arguments, output: outputPath)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    // Exited normally: its code; killed: 128 + the signal, as a shell says it.
    let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (code, text)
  }

  /// Starts `arguments` with no input, its output and errors into `output` (or nowhere),
  /// from /tmp (postgres cannot read a root-only working folder).
  @discardableResult
  private static func spawn(_ arguments: [String], output: String = "/dev/null") throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = (["/bin/sh", "-c", "cd /tmp && exec \"$@\"", "sh"] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
    guard result == 0 else {
      throw Unavailable.failed("could not run \(arguments[0]): \(String(cString: strerror(result)))")
    }
    return pid
  }
}
