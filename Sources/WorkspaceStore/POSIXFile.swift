import Foundation
import Glibc

/// The few system calls the store makes, with `EINTR` retried and errors in words.
///
/// The store calls the system directly rather than through `FileManager` and `Data` so
/// that it controls every step of a write (mode, fsync, rename) and can tell "no such file"
/// from other failures without decoding `CocoaError`s.
enum POSIXFile {
  /// A failed system call: `errno` and what we were doing.
  struct Failure: Error {
    var code: Int32
    var action: String

    /// For example `cannot write: No space left on device`.
    var problem: String { "cannot \(action): \(String(cString: strerror(code)))" }
  }

  /// Opens `path`, retrying if a signal interrupts the call.
  static func open(_ path: String, _ flags: Int32, mode: mode_t = 0, action: String)
    throws(Failure) -> Int32
  {
    while true {
      let descriptor = Glibc.open(path, flags | O_CLOEXEC, mode)
      if descriptor >= 0 { return descriptor }
      if errno != EINTR { throw Failure(code: errno, action: action) }
    }
  }

  /// The whole content of `path`.
  ///
  /// A symbolic link is not followed (the open fails with `ELOOP`), so a link planted in the
  /// workspace cannot make Accord read a file elsewhere; `O_NONBLOCK` keeps a named pipe
  /// from stalling the open, and anything but a regular file is refused with `EINVAL`.
  /// The bytes of the regular file at `path`, or nil when there is none. Never through a
  /// symbolic link: one planted in the workspace could otherwise lead Accord to read, and
  /// later replace, a file elsewhere. Anything but a regular file is `.notRegularFile`.
  static func readRegularFile(_ path: String) throws(StoreError) -> Data? {
    try readRegularFileStamped(path)?.data
  }

  /// `readRegularFile`, with the open file's status when it was the same just before and
  /// just after the bytes were read (nil otherwise): then the bytes are the ones a file
  /// with that status held (see `HashedTexts`).
  static func readRegularFileStamped(_ path: String) throws(StoreError) -> (data: Data, stamp: stat?)? {
    let info: stat?
    do {
      info = try linkStatus(path)
    } catch {
      throw .io(path: path, problem: error.problem)
    }
    guard let info else { return nil }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw .notRegularFile(path: path, found: kind(of: info))
    }
    do {
      var stamp: stat?
      let data = try readAll(path, stamp: &stamp)
      return (data, stamp)
    } catch {
      if error.code == ENOENT { return nil }
      throw .io(path: path, problem: error.problem)
    }
  }

  static func readAll(_ path: String) throws(Failure) -> Data {
    var stamp: stat?
    return try readAll(path, stamp: &stamp)
  }

  /// The whole content of `path`, and in `stamp` the open file's status when it was the same
  /// before and after the read (nil when it changed meanwhile).
  static func readAll(_ path: String, stamp: inout stat?) throws(Failure) -> Data {
    let descriptor = try open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, action: "open")
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw Failure(code: errno, action: "look up") }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw Failure(code: EINVAL, action: "read \(kind(of: info)), which is not a regular file")
    }
    // Straight into a buffer of the size fstat gave, with one byte more so that the read
    // that finds the end needs no growing: no zero-filled 64 KiB staging buffer per file,
    // and no copying from it into a growing one. A file that grew meanwhile still reads
    // whole, a chunk more at a time.
    var data = Data(count: Int(info.st_size) + 1)
    var filled = 0
    while true {
      if filled == data.count { data.count += 64 * 1024 }
      let count = data.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
      if count == 0 {
        data.count = filled
        var after = stat()
        if fstat(descriptor, &after) == 0, Int(after.st_size) == filled,
          HashedTexts.Stamp(after) == HashedTexts.Stamp(info)
        {
          stamp = after
        }
        return data
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw Failure(code: errno, action: "read")
      }
      filled += count
    }
  }

  /// Writes all of `bytes` at the descriptor's offset, however many calls it takes.
  static func writeAll(_ descriptor: Int32, _ bytes: some Collection<UInt8>) throws(Failure) {
    let result: Int32? = Array(bytes).withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += count
      }
      return nil
    }
    if let code = result { throw Failure(code: code, action: "write") }
  }

  /// Flushes a file or folder to the disk.
  static func sync(_ descriptor: Int32) throws(Failure) {
    while fsync(descriptor) != 0 {
      if errno != EINTR { throw Failure(code: errno, action: "flush to disk") }
    }
  }

  /// The file's status, or `nil` if there is nothing at `path`. Follows symbolic links.
  static func status(_ path: String) throws(Failure) -> stat? {
    var info = stat()
    if stat(path, &info) == 0 { return info }
    if errno == ENOENT { return nil }
    throw Failure(code: errno, action: "look up")
  }

  /// The status of whatever is at `path` itself, a symbolic link included, or `nil` if
  /// there is nothing there.
  static func linkStatus(_ path: String) throws(Failure) -> stat? {
    var info = stat()
    if lstat(path, &info) == 0 { return info }
    if errno == ENOENT { return nil }
    throw Failure(code: errno, action: "look up")
  }

  /// What kind of file `info` describes, in words: `a regular file`, `a symbolic link`...
  static func kind(of info: stat) -> String {
    switch info.st_mode & S_IFMT {
    case S_IFREG: "a regular file"
    case S_IFLNK: "a symbolic link"
    case S_IFDIR: "a folder"
    case S_IFIFO: "a named pipe"
    case S_IFSOCK: "a socket"
    default: "a device"
    }
  }
}

/// One variable of this process's environment, without copying the whole environment the
/// way `ProcessInfo.processInfo.environment` does on every call.
public func processVariable(_ name: String) -> String? {
  getenv(name).map { String(cString: $0) }
}
