import Foundation
import Glibc
import Testing

@testable import WorkspaceStore

/// The lock keeps other Accord commands on this machine out, but not a sync tool or another
/// machine writing to a shared folder. A write whose file changed after it was read is
/// refused rather than laid over the other change, and a new client never replaces a file
/// that appeared meanwhile.
@Suite struct ChangedOnDiskTests {
  /// What another machine's copy of Accord might have written meanwhile.
  static func otherMachinesRevision() throws -> Data {
    var record = try sampleRecord()
    record.revision = 2
    record.name = "Acme Ltd (renamed on the other machine)"
    return record.encoded()
  }

  @Test func aChangeJustBeforeTheRenameIsRefusedAndKept() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let url = workspace.fileURL(for: id)
      let other = try Self.otherMachinesRevision()
      var racing = workspace
      // The other write lands at the last moment: after our temporary file is complete.
      racing.faults = { step in
        if step == .rename { try? other.write(to: url) }
        return nil
      }
      let error = #expect(throws: StoreError.self) {
        try racing.update(id) { $0.events.append(completion("coaching-sessions")) }
      }
      #expect(error == .changedOnDisk(path: url.path, read: 1, found: 2))
      #expect(error?.code == "changed-on-disk")
      #expect(error?.description.contains("run the command again") == true)
      #expect(try Data(contentsOf: url) == other, "the other machine's write is kept whole")
      #expect(try temporaryFiles(workspace).isEmpty)
    }
  }

  @Test func aChangeWhileTheCommandWorksIsRefused() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let url = workspace.fileURL(for: id)
      let other = try Self.otherMachinesRevision()
      #expect(throws: StoreError.changedOnDisk(path: url.path, read: 1, found: 2)) {
        try workspace.update(id) { record in
          try other.write(to: url)
          record.name = "Acme Group"
        }
      }
      #expect(try Data(contentsOf: url) == other)
      // Run again, the change applies to the file as it now is.
      try workspace.update(id) { $0.name = "Acme Group" }
      #expect(try workspace.read(id).revision == 3)
    }
  }

  @Test func aFileRemovedUnderTheCommandIsNotRecreated() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let url = workspace.fileURL(for: id)
      #expect(throws: StoreError.changedOnDisk(path: url.path, read: 1, found: nil)) {
        try workspace.update(id) { record in
          try FileManager.default.removeItem(at: url)
          record.name = "Acme Group"
        }
      }
      #expect(!FileManager.default.fileExists(atPath: url.path))
    }
  }

  /// A client started at the same moment elsewhere: ours must not replace theirs.
  @Test func aNewClientNeverReplacesAFileThatAppeared() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      let url = workspace.fileURL(for: id)
      let theirs = Data("their client, started elsewhere a moment ago\n".utf8)
      var racing = workspace
      racing.faults = { step in
        if step == .rename { try? theirs.write(to: url) }
        return nil
      }
      #expect(throws: StoreError.clientExists(path: url.path)) {
        try racing.create(try sampleRecord())
      }
      #expect(try Data(contentsOf: url) == theirs)
      #expect(try temporaryFiles(workspace).isEmpty)
    }
  }
}
