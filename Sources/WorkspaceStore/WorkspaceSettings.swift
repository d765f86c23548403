import Foundation

/// What a workspace records about itself: for now, the time zone its dates are in.
///
/// Kept in `<workspace>/.accord-workspace.json`, hidden beside the client files as the access
/// file is, and written the same way (locked, atomic, re-read before the rename). A missing
/// file means the defaults: dates in UTC. Accord never uses the machine's own zone: a
/// consultant's laptop and the firm's server must agree on what day an item is due.
public struct WorkspaceSettings: Codable, Sendable, Equatable {
  /// The newest format this version writes and reads.
  public static let currentFormat = 1

  public var format = Self.currentFormat
  /// An IANA time zone name, such as `Europe/London`; dates are calendar dates there.
  public var timeZone = "UTC"
  /// People's e-mail addresses, by name, for the reminders `accord remind` mails (`accord
  /// address`). Nil rather than empty, so a workspace that records none keeps its file as it was.
  public var addresses: [String: String]?

  public init(timeZone: String = "UTC") { self.timeZone = timeZone }

  /// The zone `name` names, or nil when this machine's time zone database has no such zone.
  /// Only IANA names and `UTC`: abbreviations such as `BST` mean different zones to
  /// different people.
  public static func zone(named name: String) -> TimeZone? {
    // UTC, the default, as a fixed offset: a named zone loads ICU's time zone data (a few
    // milliseconds of page faults on every command that shows a date).
    if name == "UTC" { return TimeZone(secondsFromGMT: 0) }
    guard name.contains("/") || name.hasPrefix("Etc"), TimeZone.knownTimeZoneIdentifiers.contains(name) else {
      return nil
    }
    return TimeZone(identifier: name)
  }
}

/// Reads and writes a workspace's `WorkspaceSettings`.
public struct SettingsStore: Sendable {
  public let workspace: Workspace

  public init(_ workspace: Workspace) { self.workspace = workspace }

  public var path: String {
    workspace.directory.appendingPathComponent(".accord-workspace.json", isDirectory: false).path
  }

  var lockPath: String {
    workspace.directory.appendingPathComponent(".accord-workspace.lock", isDirectory: false).path
  }

  /// The settings, the defaults when the file does not exist.
  public func read() throws(StoreError) -> WorkspaceSettings {
    try load()?.settings ?? WorkspaceSettings()
  }

  /// The zone the workspace's dates are in.
  public func timeZone() throws(StoreError) -> TimeZone {
    let settings = try read()
    guard let zone = WorkspaceSettings.zone(named: settings.timeZone) else {
      throw .corrupt(
        path: path, problem: "timeZone '\(settings.timeZone)' is not a time zone this machine knows")
    }
    return zone
  }

  private func load() throws(StoreError) -> (data: Data, settings: WorkspaceSettings)? {
    guard let data = try POSIXFile.readRegularFile(path) else { return nil }
    struct FormatOnly: Decodable { var format: Int }
    if let format = try? JSONDecoder().decode(FormatOnly.self, from: data).format,
      format > WorkspaceSettings.currentFormat
    {
      throw .newerFormat(path: path, found: format, supported: WorkspaceSettings.currentFormat)
    }
    do {
      return (data, try JSONDecoder().decode(WorkspaceSettings.self, from: data))
    } catch {
      throw .corrupt(path: path, problem: "the workspace settings do not parse: \(error)")
    }
  }

  /// Reads the settings, lets `body` change them, and writes them back if they changed,
  /// under the settings lock.
  public func update<T>(_ body: (inout WorkspaceSettings) throws -> T) throws -> T {
    try WorkspaceDocument(
      workspace: workspace, path: path, lockPath: lockPath, empty: WorkspaceSettings(),
      load: { () throws(StoreError) in try load().map { ($0.data, $0.settings) } },
      encode: { settings in
        var settings = settings
        settings.format = WorkspaceSettings.currentFormat
        return try WorkspaceDocument<WorkspaceSettings>.json(settings)
      }
    ).update(body)
  }
}
