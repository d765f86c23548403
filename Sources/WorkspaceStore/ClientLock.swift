import Foundation
import Glibc
import ProgrammeEngine

/// An exclusive `flock` on a client's lock file, held from the read of a client to the end
/// of its write so that two commands never lose each other's change.
///
/// `flock` is tied to the open file description, so the kernel releases it when the process
/// dies: a lock left by a crashed or killed command never blocks anyone. The lock file is
/// never deleted, because deleting it while another process waits on it would let two
/// processes each hold a lock on a different file of the same name.
///
/// Use as `let lock = try ClientLock(...); defer { lock.release() }`: an explicit release
/// rather than a `deinit`, so the lock's extent is plain to see in the caller.
struct ClientLock {
  private let descriptor: Int32

  /// Waits up to `timeout` for the lock at `path`, then records `holder` in it.
  ///
  /// Throws `.locked` naming the current holder when the time runs out, `.interrupted`
  /// (naming `target`, the file the lock guards) as soon as `interrupted` says so while it
  /// waits, or `.io`.
  init(
    path: String, holder: String, timeout: Duration, target: String,
    interrupted: InterruptionCheck? = nil
  ) throws(StoreError) {
    let descriptor: Int32
    do {
      // Never through a symbolic link: the holder's note truncates the file, which through a
      // link planted in the workspace would wipe a file elsewhere.
      descriptor = try POSIXFile.open(
        path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK, mode: 0o600, action: "open")
    } catch {
      if error.code == ELOOP { throw .notRegularFile(path: path, found: "a symbolic link") }
      throw .io(path: path, problem: error.problem)
    }
    var info = stat()
    if fstat(descriptor, &info) != 0 || info.st_mode & S_IFMT != S_IFREG {
      close(descriptor)
      throw .notRegularFile(path: path, found: POSIXFile.kind(of: info))
    }
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    var pauseMicroseconds: UInt32 = 2_000
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      let code = errno
      if code == EINTR { continue }
      guard code == EWOULDBLOCK else {
        close(descriptor)
        throw .io(path: path, problem: POSIXFile.Failure(code: code, action: "lock").problem)
      }
      // A signal also cuts the pause below short, so a stop asked for while waiting is
      // honoured at once.
      if interrupted?() == true {
        close(descriptor)
        throw .interrupted(path: target)
      }
      guard clock.now < deadline else {
        let holder = Self.holder(descriptor)
        close(descriptor)
        throw .locked(path: path, holder: holder)
      }
      // Polling rather than a blocking flock, so the wait can end at the timeout; the pause
      // grows so that a long wait does not spin.
      usleep(pauseMicroseconds)
      pauseMicroseconds = min(pauseMicroseconds * 2, 50_000)
    }
    self.descriptor = descriptor
    // Who holds the lock, for the message of anyone who times out waiting. Best effort:
    // failing to write it must not fail the command.
    let text = "\(holder) since \(Timestamp.format(Date()))\n"
    if ftruncate(descriptor, 0) == 0 {
      try? POSIXFile.writeAll(descriptor, Array(text.utf8))
    }
  }

  /// Clears the holder's note and releases the lock.
  func release() {
    ftruncate(descriptor, 0)
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }

  /// The note the current holder wrote, or a placeholder if it has not written it yet.
  private static func holder(_ descriptor: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 512)
    let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
    let text = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? "holder unknown" : trimmed
  }
}
