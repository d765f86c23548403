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
  /// Renaming the temporary file over the target: the moment the new content takes over.
  case rename
  /// Flushing the folder so the rename itself survives a power cut.
  case syncFolder
}

/// Fault injection for tests: called before each step; an error code makes that step fail
/// as if the system call had returned it. `nil` in production.
typealias WriteFaults = @Sendable (WriteStep) -> Int32?

/// Replaces the file at `path` with `bytes` so that readers, and the disk after a crash,
/// see either the old content or the new, never a mix.
///
/// The bytes go to a hidden temporary file in the same folder (a rename is atomic only
/// within one file system), which is flushed and then renamed over the target. On any
/// failure before the rename, the temporary file is removed and the target is untouched.
func writeAtomically(
  _ bytes: Data, to path: String, faults: WriteFaults? = nil
) throws(POSIXFile.Failure) {
  let folder = (path as NSString).deletingLastPathComponent
  let name = (path as NSString).lastPathComponent
  let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
  let tempPath = folder + "/." + name + ".tmp-\(getpid())-" + random

  func check(_ step: WriteStep, _ action: String) throws(POSIXFile.Failure) {
    if let code = faults?(step) { throw POSIXFile.Failure(code: code, action: action) }
  }

  try check(.createTemp, "create a temporary file")
  let descriptor = try POSIXFile.open(
    tempPath, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600, action: "create a temporary file")
  do throws(POSIXFile.Failure) {
    defer { close(descriptor) }
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
    try check(.rename, "replace the file")
    if rename(tempPath, path) != 0 {
      throw POSIXFile.Failure(code: errno, action: "replace the file")
    }
  } catch {
    unlink(tempPath)
    throw error
  }
  // The rename is the commit point: the new content is what every reader now sees, so a
  // failure to flush the folder must not be reported as a failed write (the caller would
  // believe nothing changed). It only narrows durability after a power cut.
  if faults?(.syncFolder) == nil {
    syncFolder(folder)
  }
}

/// Best effort: some file systems refuse fsync on a folder, and the write is already done.
private func syncFolder(_ folder: String) {
  guard let descriptor = try? POSIXFile.open(folder, O_RDONLY | O_DIRECTORY, action: "open")
  else { return }
  try? POSIXFile.sync(descriptor)
  close(descriptor)
}
