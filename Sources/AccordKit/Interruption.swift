import Interruption

/// What Ctrl-C (SIGINT) and SIGTERM mean: a command stopped before its change is written
/// changes nothing and says so (exit 130); once the change is written, it finishes.
///
/// The handler (Sources/Interruption, in C so that it is installed as the program loads
/// and does only what is safe in a handler) records the request. Until a command starts to
/// change a client there is nothing to protect, so the handler itself prints that nothing
/// was changed and ends the process at once. From the moment a change begins
/// (`deferStop()`), the request is left to the store, which asks `wasRequested` while it
/// waits for the lock and at the safe points of its write, and stops there with nothing
/// written and no temporary file; after the rename the command completes, prints its
/// result and exits 0.
package enum Interruption {
  /// Whether a stop has been asked for.
  package static var wasRequested: Bool { accord_interruption_requested() }

  /// Sets what to print when stopping before any change has begun (JSON with --json).
  package static func prepare(report: String) {
    accord_interruption_set_message(report)
  }

  /// Marks the start of a change: a stop asked for from now on is honoured by the store at
  /// its safe points, or not at all once the change is written.
  package static func deferStop() {
    accord_interruption_defer()
  }
}
