import Foundation
import Glibc
import Testing

@testable import WorkspaceStore

/// Nothing in the workspace can lead Accord to a file elsewhere: client and lock files are
/// used only when they are regular files, never through a symbolic link, and a named pipe
/// cannot stall a command.
@Suite struct PathSafetyTests {
  /// A file outside the workspace that a link could point at.
  static func outsideFile(_ workspace: Workspace, content: Data) throws -> URL {
    let url = workspace.directory.deletingLastPathComponent().appendingPathComponent("outside.txt")
    try content.write(to: url)
    return url
  }

  @Test func aSymlinkedClientFileIsRefusedAndItsTargetUntouched() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      // Even a link to a perfectly good client file elsewhere is refused.
      let outside = try Self.outsideFile(workspace, content: try bytes(workspace))
      let url = workspace.fileURL(for: id)
      try FileManager.default.removeItem(at: url)
      try FileManager.default.createSymbolicLink(at: url, withDestinationURL: outside)
      let before = try Data(contentsOf: outside)

      let expected = StoreError.notRegularFile(path: url.path, found: "a symbolic link")
      #expect(throws: expected) { try workspace.read(id) }
      #expect(throws: expected) { try workspace.update(id) { $0.name = "Overwritten" } }
      #expect(throws: StoreError.clientExists(path: url.path)) {
        try workspace.create(try sampleRecord())
      }
      #expect(expected.code == "not-regular-file")
      #expect(try Data(contentsOf: outside) == before)
      #expect(try FileManager.default.destinationOfSymbolicLink(atPath: url.path) == outside.path)
    }
  }

  /// The holder's note truncates the lock file: through a link it would wipe the target.
  @Test func aSymlinkedLockFileIsRefusedAndItsTargetNotTruncated() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let outside = try Self.outsideFile(workspace, content: Data("precious\n".utf8))
      let lock = workspace.lockPath(for: id)
      try FileManager.default.removeItem(atPath: lock)
      try FileManager.default.createSymbolicLink(atPath: lock, withDestinationPath: outside.path)
      let before = try bytes(workspace)

      #expect(throws: StoreError.notRegularFile(path: lock, found: "a symbolic link")) {
        try workspace.update(id) { $0.name = "Acme Group" }
      }
      #expect(try Data(contentsOf: outside) == Data("precious\n".utf8))
      #expect(try bytes(workspace) == before)
    }
  }

  @Test func aDanglingSymlinkCountsAsTaken() throws {
    try withWorkspace { workspace in
      try FileManager.default.createDirectory(at: workspace.directory, withIntermediateDirectories: true)
      let url = workspace.fileURL(for: try ClientID("acme"))
      let target = workspace.directory.deletingLastPathComponent().appendingPathComponent("nowhere.json")
      try FileManager.default.createSymbolicLink(at: url, withDestinationURL: target)
      #expect(throws: StoreError.clientExists(path: url.path)) {
        try workspace.create(try sampleRecord())
      }
      #expect(!FileManager.default.fileExists(atPath: target.path), "nothing written through the link")
    }
  }

  /// Opening a named pipe for reading would wait for a writer for ever.
  @Test func aNamedPipeIsRefusedWithoutWaiting() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let url = workspace.fileURL(for: id)
      try FileManager.default.removeItem(at: url)
      #expect(mkfifo(url.path, 0o600) == 0)
      #expect(throws: StoreError.notRegularFile(path: url.path, found: "a named pipe")) {
        try workspace.read(id)
      }
    }
  }

  /// A lock file that is not a plain file (here a pipe; a device node would be worse, as the
  /// holder's note is written into it) is refused too.
  @Test func aLockThatIsNotAPlainFileIsRefused() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let lock = workspace.lockPath(for: id)
      try FileManager.default.removeItem(atPath: lock)
      #expect(mkfifo(lock, 0o600) == 0)
      #expect(throws: StoreError.notRegularFile(path: lock, found: "a named pipe")) {
        try workspace.update(id) { $0.name = "Acme Group" }
      }
    }
  }

  /// Client ids are the only user input that becomes a path inside the workspace.
  @Test(arguments: ["..", "../outside", "/etc/passwd", "a/../../b", "a\0b", String(repeating: "x", count: 65)])
  func idsThatWouldLeaveTheWorkspaceAreRefused(raw: String) {
    #expect(throws: StoreError.self) { try ClientID(raw) }
  }
}
