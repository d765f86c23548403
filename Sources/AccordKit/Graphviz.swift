import Foundation

/// Graphviz's `dot`, the one outside program `accord graph --format svg` and the server's
/// `graph.svg` use: Accord writes DOT itself and leaves the layout to Graphviz rather than
/// draw one of its own. Found on PATH when asked, never bundled or required elsewhere.
package struct Graphviz: Sendable {
  /// The `dot` program's path.
  package var program: String

  /// How long `dot` may take before it is stopped: a programme's picture takes it well under
  /// a second, so anything longer is a stuck process, not a large graph.
  package static let timeLimit: Double = 20

  /// `dot` as found on `path` (a PATH value: folders separated by `:`), or nil when no
  /// folder on it holds an executable `dot`.
  package init?(path: String? = Environment.value("PATH")) {
    let folders = (path ?? "").split(separator: ":", omittingEmptySubsequences: true)
    guard
      let found = folders.lazy.map({ "\($0)/dot" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else { return nil }
    program = found
  }

  /// The picture `dot` lays out from `source`, as SVG.
  package func svg(from source: String) throws(GraphvizFailure) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = ["-Tsvg"]
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    do {
      try process.run()
    } catch {
      throw .failed("\(program) could not be started: \(error.localizedDescription)")
    }
    // Written and read on their own threads, so that neither side waits on a full pipe.
    let writing = DispatchGroup()
    DispatchQueue.global().async(group: writing) {
      try? input.fileHandleForWriting.write(contentsOf: Data(source.utf8))
      try? input.fileHandleForWriting.close()
    }
    let collected = Collected()
    DispatchQueue.global().async(group: writing) {
      collected.errors = errors.fileHandleForReading.readDataToEndOfFile()
    }
    let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + Self.timeLimit, execute: watchdog)
    let svg = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    watchdog.cancel()
    writing.wait()
    guard process.terminationReason == .exit, process.terminationStatus == 0 else {
      let said = String(decoding: collected.errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      if process.terminationReason == .uncaughtSignal {
        throw .failed("\(program) was stopped after \(Int(Self.timeLimit)) seconds")
      }
      throw .failed("\(program) failed (exit \(process.terminationStatus))" + (said.isEmpty ? "" : ": \(said)"))
    }
    return String(decoding: svg, as: UTF8.self)
  }

  /// Standard error as read on its own thread; only read once the process is done.
  private final class Collected: @unchecked Sendable {
    var errors = Data()
  }
}

/// Why no SVG could be drawn.
package enum GraphvizFailure: Error, CustomStringConvertible, Equatable {
  /// No `dot` on PATH.
  case missing
  /// `dot` ran and failed, or was stopped.
  case failed(String)

  /// A stable name for programs.
  package var code: String {
    switch self {
    case .missing: "no-graphviz"
    case .failed: "graphviz-failed"
    }
  }

  /// No `dot` is a program that is not there to run (66, as a missing file); one that
  /// failed is the system failing to produce the output (74).
  package var status: ExitStatus {
    switch self {
    case .missing: .noInput
    case .failed: .ioError
    }
  }

  package var description: String {
    switch self {
    case .missing:
      "accord graph --format svg needs Graphviz's dot: install it (Debian/Ubuntu: apt-get install graphviz; "
        + "macOS: brew install graphviz), or use --format dot or mermaid"
    case let .failed(problem): problem
    }
  }
}
