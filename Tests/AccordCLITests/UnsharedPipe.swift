import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension Pipe {
  /// A pipe no other child process inherits. Tests spawn processes on many threads at once:
  /// a plain pipe's descriptors, open in this process while its own child starts, are
  /// inherited by any other child started in that moment, and one that lives long (a server
  /// under test, a database) keeps the pipe's writing end open, so its reader waits for an
  /// end of file that never comes. Close-on-exec keeps them out of every other child; the
  /// child the pipe is for still gets it, as its standard input or output (dup2 clears the
  /// flag on the copy).
  static func unshared() -> Pipe {
    let pipe = Pipe()
    for descriptor in [pipe.fileHandleForReading.fileDescriptor, pipe.fileHandleForWriting.fileDescriptor] {
      _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
    }
    return pipe
  }
}
