import Foundation
import Glibc

/// A command started without Foundation's `Process`, for the tests that need what `Process`
/// hides: killing it at a chosen moment, stopping it, and its resource usage (peak memory)
/// as `wait4` reports it. Output goes to files, so nothing can stall on a full pipe.
final class Child {
  /// How it ended.
  enum Ending: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    var description: String {
      switch self {
      case let .exited(code): "exit \(code)"
      case let .signalled(signal): "signal \(signal)"
      }
    }
  }

  let pid: pid_t
  private let stdoutPath: String
  private let stderrPath: String

  /// Starts `executable` with `arguments` and exactly `environment`; stdout and stderr go to
  /// fresh files in `folder`.
  init(_ executable: String, _ arguments: [String], environment: [String: String], folder: URL) throws {
    let name = UUID().uuidString
    stdoutPath = folder.appendingPathComponent("\(name).out").path
    stderrPath = folder.appendingPathComponent("\(name).err").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    // The test's threads block most signals, and a child would inherit that: start it with
    // none blocked and every signal at its default, as from a shell.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    var all = sigset_t()
    sigemptyset(&none)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard result == 0 else {
      throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO)
    }
    self.pid = pid
  }

  /// Sends `signal`; harmless if the child has already ended (it stays a zombie until waited for).
  func send(_ signal: Int32) {
    kill(pid, signal)
  }

  /// Waits for the child to end; returns how, and its resource usage.
  func wait() -> (ending: Ending, usage: rusage) {
    if let finished { return finished }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    return record(status, usage)
  }

  /// Stops the child (SIGSTOP) and waits until it is stopped. False if it ended first.
  func stop() -> Bool {
    send(SIGSTOP)
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, WUNTRACED, &usage) < 0 && errno == EINTR {}
    // WIFSTOPPED and friends are macros Swift cannot see: 0x7F in the low byte is "stopped".
    if status & 0xFF == 0x7F { return true }
    _ = record(status, usage)
    return false
  }

  /// Whether the child has ended (it is a zombie, not yet waited for, or gone).
  var hasEnded: Bool {
    if finished != nil { return true }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return true }
    return stat[close...].dropFirst(2).first == "Z"
  }

  /// Watches the child until it ends and returns the highest resident memory it reached, in
  /// KiB, as sampled from /proc (VmHWM, the high-water mark, read every 200 µs).
  ///
  /// Not `wait4`'s `ru_maxrss`: on Linux a new program keeps the high-water mark of the
  /// memory it was started from, so a child of a large test process reports the test
  /// process's peak. Sampling can only under-read a spike in the last moment before exit;
  /// tests that need a hard bound also cap the child's memory (`ulimit -d`).
  func peakResidentKiB() -> Int {
    var peak = 0
    while !hasEnded {
      if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
      {
        peak = max(peak, kib)
      }
      usleep(200)
    }
    return peak
  }

  private var finished: (ending: Ending, usage: rusage)?

  private func record(_ status: Int32, _ usage: rusage) -> (ending: Ending, usage: rusage) {
    // The low seven bits are the signal that ended it, zero for a normal exit.
    let signal = status & 0x7F
    let ending: Ending = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    finished = (ending, usage)
    return (ending, usage)
  }

  var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
  var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}

extension AccordBinary {
  /// Starts `accord arguments...` as `person` without waiting for it.
  func start(_ arguments: [String], as person: String = "alice", environment: [String: String] = [:]) throws -> Child {
    try Child(executable.path, arguments, environment: self.environment(as: person, adding: environment), folder: folder)
  }
}

/// Monotonic time in nanoseconds, for ordering what separate processes did.
func monotonicNow() -> UInt64 {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
