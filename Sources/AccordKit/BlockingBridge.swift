import Dispatch

/// Where the synchronous commands meet an asynchronous store (PostgreSQL): the one place
/// the CLI waits for async work. The calling thread blocks until `work` is done on
/// Swift's concurrent executor.
///
/// The commands stay synchronous, so that the folder's path (most of what people run, and
/// what `next` is timed on) is the code it was, with no executor hop, and only a command
/// on a database pays for the bridge. The caller must not be a thread of Swift's
/// cooperative pool, which `work` may need: `Accord.commandLine` runs every synchronous
/// command on the main thread.
package enum BlockingBridge {
  /// Runs `work` and answers what it answered, or throws what it threw.
  package static func wait<T>(_ work: @escaping () async throws -> T) throws -> T {
    let box = Box(work: work)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
      box.result = await box.run()
      done.signal()
    }
    done.wait()
    return try box.result!.get()
  }

  /// The work and its result, handed between the waiting thread and the task. Safe without
  /// a lock: the waiting thread reads the result only after the semaphore, which the task
  /// signals after writing it, and the task takes the work only while the caller waits.
  private final class Box<T>: @unchecked Sendable {
    private var work: (() async throws -> T)?
    var result: Result<T, any Error>?
    init(work: @escaping () async throws -> T) { self.work = work }

    /// Runs the work, let go of before the caller is woken: a caller may hand over a
    /// closure that must not outlive its call (`withoutActuallyEscaping`).
    func run() async -> Result<T, any Error> {
      guard let work else { preconditionFailure("the work was run twice") }
      self.work = nil
      do {
        return .success(try await work())
      } catch {
        return .failure(error)
      }
    }
  }
}
