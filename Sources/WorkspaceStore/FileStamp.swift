import Glibc

/// A file's identity, size and modification time: enough to tell, with one `lstat`, whether
/// it is still the file that was read. Accord replaces files by renaming a new one into
/// place, so every write gives a new inode as well as a new time.
public struct FileStamp: Sendable, Equatable {
  var device: UInt
  var inode: UInt
  var size: Int
  var seconds: Int
  var nanoseconds: Int

  /// The stamp of the file at `path` now (never through a symbolic link), or nil when there
  /// is none.
  static func of(_ path: String) throws(StoreError) -> FileStamp? {
    let info: stat?
    do {
      info = try POSIXFile.linkStatus(path)
    } catch {
      throw .io(path: path, problem: error.problem)
    }
    guard let info else { return nil }
    return FileStamp(info)
  }
}

extension FileStamp {
  /// The stamp of the file `info` describes.
  init(_ info: stat) {
    self.init(
      device: UInt(info.st_dev), inode: UInt(info.st_ino), size: Int(info.st_size),
      seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
  }
}

extension Workspace {
  /// The client file's stamp now, or nil when there is none.
  public func stamp(of id: ClientID) throws(StoreError) -> FileStamp? {
    try FileStamp.of(fileURL(for: id).path)
  }
}
