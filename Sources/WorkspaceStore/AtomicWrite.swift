import Foundation
import Glibc

/// A step of an atomic write, named so that tests can make a write fail at that point.
enum WriteStep: String, CaseIterable, Sendable {
  /// Creating the hidden temporary file beside the target.
  case createTemp
  /// Writing the bytes; the fault strikes after half of them are written.
  case writeTemp
  /// Setting the temporary file's mode to 0600.
  case chmodTemp
  /// Flushing the temporary file to the disk.
  case syncTemp
  /// Renaming the temporary file over the target (linking it, for a new file): the moment
  /// the new content takes over.
  case rename
  /// Flushing the folder so the rename itself survives a power cut.
  case syncFolder
}

/// Fault injection for tests: called before each step; an error code makes that step fail
/// as if the system call had returned it. `nil` in production.
typealias WriteFaults = @Sendable (WriteStep) -> Int32?

/// Why an atomic write did not happen. In every case the target is as it was and the
/// temporary file is gone.
enum WriteFailure: Error {
  /// A system call failed.
  case system(POSIXFile.Failure)
  /// A new file was to be written, but something is already at the target.
  case targetExists
  /// The target no longer holds the bytes the caller read: `current` is what it holds now,
  /// or nil when it is gone or cannot be read.
  case targetChanged(current: Data?)
  /// The caller asked to stop (the user pressed Ctrl-C) before the rename.
  case interrupted
}

/// Asked at the safe points of a write, before the rename: true stops the write there, its
/// temporary file removed. Nothing stops it once the rename has happened.
public typealias InterruptionCheck = @Sendable () -> Bool

/// Replaces the file at `path` with `bytes` so that readers, and the disk after a crash,
/// see either the old content or the new, never a mix.
///
/// The bytes go to a hidden temporary file in the same folder (a rename is atomic only
/// within one file system), which is flushed and then moved into place. On any failure
/// before that, the temporary file is removed and the target is untouched.
///
/// `expected` says what the target must hold at the moment of the move: the bytes the
/// caller read, or nil for a file that must not exist yet. The lock keeps other Accord
/// commands out, but not a sync tool or another machine writing to a shared folder, so
/// the target is read again just before the rename and the write is refused if it
/// changed; a new file is linked into place, which fails rather than replace a file that
/// appeared meanwhile.
///
/// `interrupted` is asked before the temporary file is made, after its bytes are written
/// and flushed, and last just before the rename: a stop there removes the temporary file
/// and throws `.interrupted`, the target untouched.
///
/// `committed` is handed the new file's status (taken from the temporary file once flushed:
/// the same inode, size and modification time the rename puts in place) the moment the
/// rename is done, before the folder is flushed.
func writeAtomically(
  _ bytes: Data, to path: String, expected: Data?, faults: WriteFaults? = nil,
  interrupted: InterruptionCheck? = nil, prepared: (stat) -> Void = { _ in }, committed: (stat) -> Void = { _ in }
) throws(WriteFailure) {
  func stopIfAsked() throws(WriteFailure) {
    if interrupted?() == true { throw .interrupted }
  }
  try stopIfAsked()
  let folder = (path as NSString).deletingLastPathComponent
  let name = (path as NSString).lastPathComponent
  let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
  let tempPath = folder + "/." + name + ".tmp-\(getpid())-" + random

  func check(_ step: WriteStep, _ action: String) throws(POSIXFile.Failure) {
    if let code = faults?(step) { throw POSIXFile.Failure(code: code, action: action) }
  }

  let descriptor: Int32
  do {
    try check(.createTemp, "create a temporary file")
    descriptor = try POSIXFile.open(
      tempPath, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600, action: "create a temporary file")
  } catch {
    throw .system(error)
  }
  var written = stat()
  do throws(WriteFailure) {
    defer { close(descriptor) }
    do throws(POSIXFile.Failure) {
        let half = bytes.count / 2
      try POSIXFile.writeAll(descriptor, bytes.prefix(half))
      try check(.writeTemp, "write")
      try POSIXFile.writeAll(descriptor, bytes.dropFirst(half))
      // The mode given to open() is reduced by the umask; fchmod makes it exactly 0600,
      // since client files hold names and commitments that are nobody else's business.
      try check(.chmodTemp, "set the file's permissions")
      if fchmod(descriptor, 0o600) != 0 {
        throw POSIXFile.Failure(code: errno, action: "set the file's permissions")
      }
      try check(.syncTemp, "flush to disk")
      try POSIXFile.sync(descriptor)
      if fstat(descriptor, &written) != 0 { throw POSIXFile.Failure(code: errno, action: "look up") }
      try check(.rename, "replace the file")
    } catch {
      throw .system(error)
    }
    try stopIfAsked()
    if let expected {
      try requireUnchanged(path, expected)
      // The last moment a stop can be honoured: after the rename the change is made.
      try stopIfAsked()
      prepared(written)
      if rename(tempPath, path) != 0 {
        throw .system(POSIXFile.Failure(code: errno, action: "replace the file"))
      }
    } else {
      try stopIfAsked()
      try linkNew(tempPath, path)
    }
  } catch {
    unlink(tempPath)
    throw error
  }
  committed(written)
  // The rename is the commit point: the new content is what every reader now sees, so a
  // failure to flush the folder must not be reported as a failed write (the caller would
  // believe nothing changed). It only narrows durability after a power cut.
  if faults?(.syncFolder) == nil {
    syncFolder(folder)
  }
}

/// Refuses the write if the target no longer holds `expected`. What remains is the moment
/// between this read and the rename, microseconds rather than the whole command.
private func requireUnchanged(_ path: String, _ expected: Data) throws(WriteFailure) {
  let current = try? POSIXFile.readAll(path)
  if current != expected { throw .targetChanged(current: current) }
}

/// Puts a new file in place without ever replacing one: `link` fails if the name is taken,
/// where `rename` would silently overwrite. The temporary name is removed afterwards.
private func linkNew(_ tempPath: String, _ path: String) throws(WriteFailure) {
  if link(tempPath, path) == 0 {
    unlink(tempPath)
    return
  }
  let code = errno
  if code == EEXIST { throw .targetExists }
  // Some file systems (FAT, some network and FUSE mounts) have no hard links; there the
  // caller's lock and existence check are all we have, so fall back to a rename.
  guard [EPERM, ENOTSUP, EOPNOTSUPP, ENOSYS, EMLINK].contains(code) else {
    throw .system(POSIXFile.Failure(code: code, action: "create the file"))
  }
  if (try? POSIXFile.linkStatus(path)) != nil { throw .targetExists }
  if rename(tempPath, path) != 0 {
    throw .system(POSIXFile.Failure(code: errno, action: "create the file"))
  }
}

/// Best effort: some file systems refuse fsync on a folder, and the write is already done.
private func syncFolder(_ folder: String) {
  guard let descriptor = try? POSIXFile.open(folder, O_RDONLY | O_DIRECTORY, action: "open")
  else { return }
  try? POSIXFile.sync(descriptor)
  close(descriptor)
}

/// Writes `bytes` to the file at `path` atomically, mode 0600, replacing what is there: for
/// the small private files Accord keeps outside any workspace (the remotes and their
/// credentials), which readers must see whole or not at all. The folder must exist.
public func replacePrivateFile(_ bytes: Data, at path: String) throws(StoreError) {
  let current: Data?
  do {
    current = try POSIXFile.linkStatus(path) == nil ? nil : try POSIXFile.readAll(path)
  } catch {
    throw .io(path: path, problem: error.problem)
  }
  do throws(WriteFailure) {
    try writeAtomically(bytes, to: path, expected: current)
  } catch {
    switch error {
    case let .system(failure): throw .io(path: path, problem: failure.problem)
    case .targetExists, .targetChanged: throw .io(path: path, problem: "changed while it was written; run it again")
    case .interrupted: throw .interrupted(path: path)
    }
  }
}
