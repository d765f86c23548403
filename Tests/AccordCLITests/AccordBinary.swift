import Foundation
import Synchronization
import Testing

/// Runs the built `accord` the way a user does: a separate process, its own workspace,
/// arguments and environment, with stdout, stderr and the exit code captured.
struct AccordBinary {
  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as JSON.
    func json() throws -> Any {
      try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }
  }

  /// The package's root, found from this file so tests run from any folder.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The built executable: beside the test bundle in the build folder, or $ACCORD_BINARY.
  static let executable: URL = {
    if let path = ProcessInfo.processInfo.environment["ACCORD_BINARY"] {
      return URL(fileURLWithPath: path)
    }
    let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    // On Linux the tests run from <build>/debug/AccordPackageTests.xctest; on macOS from
    // inside a bundle, a few folders further down.
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent("accord")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      folder.deleteLastPathComponent()
    }
    return packageRoot.appendingPathComponent(".build/debug/accord")
  }()

  /// A fresh folder for one test, removed by nobody: the system's temporary folder is.
  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("accord-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  var executable = AccordBinary.executable
  /// The folder the command runs in.
  var folder: URL
  /// The workspace, passed through $ACCORD_WORKSPACE.
  var workspace: URL
  /// This "machine's" own state (the revisions it has seen), passed through
  /// $XDG_STATE_HOME so that tests never write into the home folder or see each other's.
  var stateHome: URL
  /// This "machine's" cache of parsed playbooks, through $XDG_CACHE_HOME, for the same reason.
  var cacheHome: URL
  /// This user's config folder, through $XDG_CONFIG_HOME: where the firm's key is kept, so
  /// that no test ever reads or makes a key in the real home folder.
  var configHome: URL

  init() throws {
    folder = try Self.temporaryFolder()
    workspace = folder.appendingPathComponent("workspace", isDirectory: true)
    stateHome = folder.appendingPathComponent("state", isDirectory: true)
    cacheHome = folder.appendingPathComponent("cache", isDirectory: true)
    configHome = folder.appendingPathComponent("config", isDirectory: true)
  }

  /// Runs `accord arguments...` as `person` (through $ACCORD_USER).
  @discardableResult
  func callAsFunction(_ arguments: String..., as person: String = "alice", environment: [String: String] = [:])
    throws -> Run
  {
    try run(arguments, as: person, environment: environment)
  }

  func run(_ arguments: [String], as person: String = "alice", environment: [String: String] = [:]) throws -> Run {
    let (process, out, err) = try Self.launch {
      let process = Process()
      process.executableURL = executable
      process.arguments = arguments
      process.currentDirectoryURL = folder
      process.environment = self.environment(as: person, adding: environment)
      let out = Pipe.unshared()
      let err = Pipe.unshared()
      process.standardOutput = out
      process.standardError = err
      return (process, out, err)
    }
    // Drain stderr on another thread while stdout is read here: reading one pipe to its
    // end first would deadlock once the child fills the other (64 KiB of diagnostics).
    let errors = Mutex(Data())
    let drained = DispatchSemaphore(value: 0)
    Thread {
      let data = err.fileHandleForReading.readDataToEndOfFile()
      errors.withLock { $0 = data }
      drained.signal()
    }.start()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    let stderr = errors.withLock { $0 }
    return Run(
      status: Self.exitStatus(of: process),
      stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  /// The environment a command runs with: the test's own, this workspace, `person`, no colour.
  func environment(as person: String, adding extra: [String: String] = [:]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["ACCORD_WORKSPACE"] = workspace.path
    env["ACCORD_USER"] = person
    env["NO_COLOR"] = "1"
    env["XDG_STATE_HOME"] = stateHome.path
    env["XDG_CACHE_HOME"] = cacheHome.path
    env["XDG_CONFIG_HOME"] = configHome.path
    env.merge(extra) { $1 }
    return env
  }

  /// Starts `process`, waiting out "Text file busy": a binary just copied (the installed
  /// copy) can still be open for writing in a child that another test forked meanwhile,
  /// until that child execs. The kernel refuses to run it until then; it is not our bug.
  /// A fresh process (and pipes) from `make` for each try, since a Process runs once.
  static func launch<Parts>(_ make: () -> (Process, Parts, Parts)) throws -> (Process, Parts, Parts) {
    var attempt = 0
    while true {
      attempt += 1
      let parts = make()
      do {
        try parts.0.run()
        return parts
      } catch let error as NSError where attempt < 100 && Self.isTextFileBusy(error) {
        Thread.sleep(forTimeInterval: 0.05)
      }
    }
  }

  private static func isTextFileBusy(_ error: NSError) -> Bool {
    let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
    return (error.domain == NSPOSIXErrorDomain && error.code == Int(ETXTBSY))
      || (underlying?.domain == NSPOSIXErrorDomain && underlying?.code == Int(ETXTBSY))
  }

  /// Runs `accord ARGUMENTS` with a terminal for its standard input and output (util-linux's
  /// `script`, as a person at a keyboard would), typing `answer` to its question. Returns the
  /// exit status and all it printed on the terminal.
  func onTerminal(_ arguments: [String], as person: String, answering answer: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qec", ([executable.path] + arguments).joined(separator: " "), "/dev/null"]
    process.environment = environment(as: person)
    let input = Pipe.unshared()
    let output = Pipe.unshared()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(answer.utf8))
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (Self.exitStatus(of: process), text)
  }

  /// Waits for `process` to end and answers its exit status (for a signal, the signal's
  /// number, as `Process.terminationStatus` gives it). Now and then Foundation's
  /// `waitUntilExit` never returned for a child that had ended (a zombie, its SIGCHLD
  /// missed), and a whole test run hung on it. So the end is awaited here with `waitid`
  /// and `WNOWAIT`, which leaves the child for Foundation to reap as it always has; only if
  /// Foundation has not seen it end some seconds later is it reaped here.
  static func exitStatus(of process: Process) -> Int32 {
    var info = siginfo_t()
    var waited: Int32
    repeat {
      waited = waitid(P_PID, id_t(process.processIdentifier), &info, WEXITED | WNOWAIT)
    } while waited == -1 && errno == EINTR
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    if !process.isRunning || waited == -1 {
      process.waitUntilExit()
      return process.terminationStatus
    }
    var status: Int32 = 0
    guard waitpid(process.processIdentifier, &status, WNOHANG) == process.processIdentifier else {
      process.waitUntilExit()
      return process.terminationStatus
    }
    // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : signal
  }

  /// The bytes of a client's state file.
  func stateFile(_ client: String) throws -> Data {
    try Data(contentsOf: workspace.appendingPathComponent("\(client).json"))
  }
}
