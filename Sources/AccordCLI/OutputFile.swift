import AccordKit
import Foundation

/// A file a command writes on request: created, or with `force` replaced atomically; never
/// half-written, and an existing file never replaced without `force` (exit 73).
struct OutputFile {
  var path: String
  var force: Bool

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
}
