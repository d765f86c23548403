import Foundation
import Glibc
import Testing

@testable import WorkspaceStore

/// A write that fails part-way must leave the old file exactly as it was and no temporary
/// file behind. The failures are injected, because tests run as root and root is not
/// stopped by a read-only folder.
@Suite struct FailedWriteTests {
  static let stepsBeforeTheRename: [WriteStep] = [
    .createTemp, .writeTemp, .chmodTemp, .syncTemp, .rename,
  ]

  @Test(arguments: stepsBeforeTheRename)
  func failedUpdateLeavesTheOldFile(step: WriteStep) throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let before = try bytes(workspace)
      var failing = workspace
      failing.faults = { $0 == step ? ENOSPC : nil }
      let error = #expect(throws: StoreError.self) {
        try failing.update(id) { $0.events.append(completion("coaching-sessions")) }
      }
      guard case let .io(path, problem)? = error else {
        Issue.record("expected an io error, got \(String(describing: error))")
        return
      }
      #expect(path == workspace.fileURL(for: id).path)
      #expect(problem.contains("No space left on device"), "\(problem)")
      #expect(try bytes(workspace) == before)
      #expect(try temporaryFiles(workspace).isEmpty)
      // Nothing is stuck: the same update succeeds once the fault is gone.
      try workspace.update(id) { $0.events.append(completion("coaching-sessions")) }
      #expect(try workspace.read(id).revision == 2)
    }
  }

  @Test(arguments: stepsBeforeTheRename)
  func failedCreateLeavesNoFile(step: WriteStep) throws {
    // `throws` spelled out: every `try` here is inside a macro, which closure inference misses.
    try withWorkspace { workspace throws in
      var failing = workspace
      failing.faults = { $0 == step ? EIO : nil }
      #expect(throws: StoreError.self) { try failing.create(try sampleRecord()) }
      #expect(try workspace.clientIDs().isEmpty)
      #expect(try temporaryFiles(workspace).isEmpty)
    }
  }

  /// Once the rename has happened the new content is what everyone reads, so a failure to
  /// flush the folder afterwards must not be reported as a failed command.
  @Test func folderFlushFailureAfterTheRenameIsNotAFailedWrite() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      var failing = workspace
      failing.faults = { $0 == .syncFolder ? EIO : nil }
      try failing.update(id) { $0.name = "Acme Group" }
      #expect(try workspace.read(id).name == "Acme Group")
      #expect(try workspace.read(id).revision == 2)
      #expect(try temporaryFiles(workspace).isEmpty)
    }
  }
}
