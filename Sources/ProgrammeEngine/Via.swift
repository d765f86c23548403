/// Which of Accord's front doors a change came through, when it was not the command line:
/// the web pages or the JSON API of `accord serve`. Recorded as an event's `via`, so that the
/// history says how each change reached it; the command line records none.
public enum Via: String, Sendable, Hashable, Codable {
  /// The server's pages, used by a person in a browser.
  case web
  /// The server's JSON API, used by a program.
  case api
  /// The command line working on a copy of the server's clients (`accord --remote`, see
  /// docs/sync.md): made there, perhaps offline, at the event's `at`, and sent by `accord
  /// sync`, which the server decided it again on arrival.
  case remote
}
