/// How an event reached the workspace when not from the command line.
public enum Channel: String, Sendable, Hashable, Codable {
  /// The web application's pages.
  case web
  /// The JSON API.
  case api
}
