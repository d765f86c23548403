/// Which of Accord's front doors a change came through, when it was not the command line:
/// the web pages or the JSON API of `accord serve`. Recorded as an event's `via`, so that the
/// history says how each change reached it; the command line records none.
public enum Via: String, Sendable, Hashable, Codable {
  /// The server's pages, used by a person in a browser.
  case web
  /// The server's JSON API, used by a program.
  case api
}
