import Foundation
import Testing

@testable import AccordCLI
@testable import AccordKit

/// The workspace is found as git finds its repository: the flag, the variable, the nearest
/// accord-workspace folder here or above, the per-user default.
@Suite struct WorkspaceLocationTests {
  static let here = URL(fileURLWithPath: "/home/ann/clients/acme/notes", isDirectory: true)

  static func resolve(_ flag: String? = nil, _ variables: [String: String], folders: Set<String> = [])
    -> WorkspaceLocation
  {
    WorkspaceLocation.resolve(
      flag: flag, variable: { variables[$0] }, currentDirectory: here,
      isFolder: { folders.contains($0.path) })
  }

  @Test func theFlagWinsThenTheVariable() {
    let found: Set = ["/home/ann/clients/accord-workspace"]
    let flag = Self.resolve("../ws", ["ACCORD_WORKSPACE": "/srv/accord"], folders: found)
    #expect(flag.directory.path == "/home/ann/clients/acme/ws")
    #expect(flag.source == .flag)
    let variable = Self.resolve(nil, ["ACCORD_WORKSPACE": "/srv/accord"], folders: found)
    #expect(variable.directory.path == "/srv/accord")
    #expect(variable.source == .environment)
  }

  @Test func theNearestFolderAboveIsFound() {
    let found = Self.resolve(
      nil, ["HOME": "/home/ann"],
      folders: ["/home/ann/clients/accord-workspace", "/home/ann/accord-workspace"])
    #expect(found.directory.path == "/home/ann/clients/accord-workspace")
    #expect(found.source == .found)
  }

  @Test func elseThePerUserDefault() {
    let data = Self.resolve(nil, ["HOME": "/home/ann", "XDG_DATA_HOME": "/data/ann"])
    #expect(data.directory.path == "/data/ann/accord/workspace")
    #expect(data.source == .userDefault)
    let home = Self.resolve(nil, ["HOME": "/home/ann", "XDG_DATA_HOME": "relative"])
    #expect(home.directory.path == "/home/ann/.local/share/accord/workspace")
    // No home at all: the current folder's accord-workspace, as before.
    #expect(Self.resolve(nil, [:]).directory.path == "/home/ann/clients/acme/notes/accord-workspace")
  }

  /// Through the binary: `clients` from a folder below the workspace finds it, and `start`
  /// with no workspace anywhere says which folder it created.
  @Test func commandsFindTheWorkspaceFromAnyFolderBelowIt() throws {
    let root = try AccordBinary.temporaryFolder()
    var accord = try AccordBinary()
    accord.folder = root
    let home = root.appendingPathComponent("home")
    let environment = ["ACCORD_WORKSPACE": "", "HOME": home.path, "XDG_DATA_HOME": ""]

    let started = try accord("start", "acme", environment: environment)
    #expect(started.status == 0)
    let defaultFolder = home.appendingPathComponent(".local/share/accord/workspace")
    #expect(started.stdout.hasPrefix("Created the workspace \(defaultFolder.path) (your default workspace)."))
    #expect(FileManager.default.fileExists(atPath: defaultFolder.appendingPathComponent("acme.json").path))

    // A project folder with its own workspace, and a command run deep below it.
    let project = root.appendingPathComponent("project")
    let deep = project.appendingPathComponent("a/b/c")
    try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      at: project.appendingPathComponent("accord-workspace"), withIntermediateDirectories: true)
    accord.folder = project
    #expect(try accord("start", "beta", environment: environment).status == 0)
    accord.folder = deep
    let listed = try accord("clients", "--json", environment: environment)
    let clients = try #require(try listed.json() as? [[String: Any]])
    #expect(clients.compactMap { $0["client"] as? String } == ["beta"])
    let missing = try accord("next", "acme", environment: environment)
    #expect(missing.status == 66)
    #expect(missing.stderr.contains(project.appendingPathComponent("accord-workspace").path))

    // A workspace that is a file is one usage error, in every command.
    let file = root.appendingPathComponent("notes.txt")
    try "x".write(to: file, atomically: true, encoding: .utf8)
    for arguments in [["clients"], ["next", "acme"], ["check"], ["start", "gamma"]] {
      let run = try accord.run(arguments + ["--workspace", file.path], environment: environment)
      #expect(run.status == 64)
      #expect(run.stderr.contains("the workspace \(file.path) (from --workspace) is a file, not a folder"))
    }
  }
}
