import Foundation

/// Two pieces of work done at once, one on a thread of its own: for a long history, whose
/// chain is followed while its events are replayed (`Workspace.verifiedProgramme`), so that
/// verifying every read costs a second core rather than the reader's time.
enum SideBySide {
  /// `side()` on a new thread while `main()` runs on this one; returns both results once
  /// both are done. `side` must not throw or block on `main`.
  static func run<Side: Sendable, Main>(
    _ side: @escaping @Sendable () -> Side, alongside main: () throws -> Main
  ) rethrows -> (side: Side, main: Main) {
    let box = Result<Side>()
    let thread = Thread {
      box.value = side()
      box.done.signal()
    }
    thread.start()
    let result: Main
    do {
      result = try main()
    } catch {
      // Waited for all the same, so that nothing runs on after the caller is done.
      box.done.wait()
      throw error
    }
    box.done.wait()
    return (box.value!, result)
  }

  /// What the side thread hands back. The semaphore orders its write before the read.
  private final class Result<Value: Sendable>: @unchecked Sendable {
    var value: Value?
    let done = DispatchSemaphore(value: 0)
  }
}
