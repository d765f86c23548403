import AccordKit
import ArgumentParser
import Foundation

/// A file a command writes on request: created, or with `force` replaced atomically; never
/// half-written, and an existing file never replaced without `force` (exit 73).
struct OutputFile {
  var path: String
  var force: Bool

  /// Refuses `--force` without `--out FILE`: there is no file to replace. Each command that
  /// writes `--out FILE` calls it from its `validate()`.
  static func checkForce(_ force: Bool, out: String?) throws {
    if force && out == nil { throw ValidationError("--force only applies to --out FILE") }
  }

  func write(_ text: String) throws {
    let url = URL(fileURLWithPath: path)
    do {
      try Data(text.utf8).write(to: url, options: force ? .atomic : .withoutOverwriting)
    } catch {
      if !force && FileManager.default.fileExists(atPath: path) {
        throw FileProblem(
          path: path, problem: "already exists; use --force to replace it", status: .cannotCreate, code: "file-exists")
      }
      throw FileProblem(
        path: path, problem: "cannot be written: \(error.localizedDescription)", status: .ioError,
        code: "write-failed")
    }
  }

  /// Refuses, before anything is changed, a file that exists and may not be replaced.
  func checkWritable() throws {
    if !force && FileManager.default.fileExists(atPath: path) {
      throw FileProblem(
        path: path, problem: "already exists; use --force to replace it", status: .cannotCreate, code: "file-exists")
    }
  }

  /// Writes `text` to a new file only its owner may read (it holds secrets, such as sign-in
  /// links): created with mode 0600, never widened by the umask or an existing file's mode.
  func writeSecret(_ text: String) throws {
    try checkWritable()
    if force { try? FileManager.default.removeItem(atPath: path) }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw FileProblem(
        path: path, problem: "cannot be written: \(String(cString: strerror(errno)))", status: .ioError,
        code: "write-failed")
    }
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    do {
      try handle.write(contentsOf: Data(text.utf8))
      try handle.synchronize()
    } catch {
      throw FileProblem(
        path: path, problem: "cannot be written: \(error.localizedDescription)", status: .ioError, code: "write-failed")
    }
  }
}
