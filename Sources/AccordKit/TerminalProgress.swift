import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// "Moving clients: 37 of 120" on one line of a terminal, rewritten as work goes on, for
/// long work (moving, exporting many clients); nothing on a pipe, with `--json`, or when
/// standard error is not a terminal. Finished, the line is cleared.
package struct TerminalProgress {
  private let label: String
  private let shown: Bool

  package init(_ label: String, json: Bool) {
    self.label = label
    shown = !json && isatty(STDERR_FILENO) == 1 && Environment.value("TERM") != "dumb"
  }

  package func update(_ done: Int, of total: Int) {
    guard shown else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K\(label): \(done) of \(total)".utf8))
  }

  package func finish() {
    guard shown else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}
