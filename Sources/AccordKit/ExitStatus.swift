/// How `accord` exits, with the names of BSD's sysexits.h (as ArgumentParser's own codes
/// are). The README and docs/guide/commands.md list them; scripts rely on them, so none ever changes meaning.
public enum ExitStatus: Int32, Sendable, CaseIterable {
  /// Done.
  case success = 0
  /// Refused by the programme's rules (or a client that already exists).
  case refused = 1
  /// EX_USAGE: the command line is wrong.
  case usage = 64
  /// EX_DATAERR: an invalid playbook, survey file or state file.
  case dataError = 65
  /// EX_NOINPUT: no such file, client or survey round.
  case noInput = 66
  /// EX_CANTCREAT: an output file exists.
  case cannotCreate = 73
  /// EX_IOERR: a file could not be written.
  case ioError = 74
  /// EX_TEMPFAIL: the client is locked by another process, or changed while the command
  /// ran; trying again later may work.
  case tryAgain = 75
  /// 128 + SIGINT, as shells report a command stopped by Ctrl-C: stopped (by Ctrl-C or
  /// SIGTERM) before its change was written, so nothing was changed.
  case interrupted = 130
}

/// Stops a command with `status` after it has said what went wrong itself (a listing that
/// reported each unreadable client, a validation that printed every diagnostic).
package struct CommandExit: Error {
  package var status: ExitStatus

  package init(status: ExitStatus) {
    self.status = status
  }
}
