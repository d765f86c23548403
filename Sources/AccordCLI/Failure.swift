import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// Runs a command's work, turning every error into a message on stderr and the exit code
/// documented in the README (sysexits.h, as ArgumentParser's own codes are).
func reporting(_ work: () throws -> Void) throws {
  do {
    try work()
  } catch let error as Refusal {
    printError("accord: refused: \(error)")
    throw ExitCode(1)
  } catch let error as StoreError {
    printError("accord: error: \(error)")
    throw ExitCode(error.exitCode)
  } catch let error as PlaybookError {
    // Diagnostics are whole lines of their own: file:line:column: error: message.
    printError(error.description)
    throw ExitCode(65)
  } catch let error as FileProblem {
    printError("accord: error: \(error)")
    throw ExitCode(error.exitCode)
  }
}

/// A file named on the command line that cannot be used.
struct FileProblem: Error, CustomStringConvertible {
  var path: String
  var problem: String
  var exitCode: Int32

  var description: String { "\(path): \(problem)" }
}

/// Writes a line to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}
