import Foundation
import Glibc

/// What this user has already hashed of client files on this machine: for a client file
/// with a given stat, the SHA-256s its stored playbook texts were found to hash to, so that
/// reading the same file again need not hash them again (hundreds of kilobytes for a
/// playbook that is mostly prose, most of what an everyday read of such a client costs).
///
/// A memo names a file by its stat as git's index does: device, inode, size, and its
/// modification and change times to the nanosecond. Accord replaces a client file by
/// renaming a new one into place (a new inode), and any change to a file's bytes in place
/// sets its change time to the time of that change, which no user can set back (only the
/// clock, or root with a disk editor). So while a file has the stat a memo names, it holds
/// the bytes that were hashed. Two guards keep that true:
/// - a memo is written only for a file whose change time is `settled` in the past (as git
///   treats a "racily clean" entry): a change made within the same tick of the file
///   system's clock as the one the memo names would otherwise leave the stat as it was;
/// - a read trusts a memo only when the file's stat, taken from the open file before and
///   after its bytes are read, is the same both times and the memo's, so that bytes changed
///   during the read are never taken for the ones hashed.
///
/// Kept per user, outside the workspace, beside what this machine has seen of each client
/// (`$XDG_STATE_HOME/accord/hashed`): a synced or restored copy of a file is a new inode with
/// a new change time, and is hashed again. Like the cache, only ever an optimisation: a memo
/// that cannot be read or written means hashing as before, and never fails a command. The
/// text is still held to the `sha256` the file gives and to the history's hash chain
/// (`textProblem`) on every read; a memo only stands in for the hashing of the same bytes.
public struct HashedTexts: Sendable {
  /// The folder of memos, one `<device>-<inode>` per client file.
  public let directory: URL
  /// The smallest client file worth a memo: below it, hashing its text costs less than
  /// opening and reading a memo (a listing of a thousand everyday clients on one playbook
  /// hashes that text once per process anyway).
  static let worthwhile = 128 * 1024
  /// How long ago a file's change time must be for a memo of it to be written.
  var settled: Int64 = 2_000_000_000

  public init(directory: URL) {
    self.directory = directory
  }

  /// `$XDG_STATE_HOME/accord/hashed`, else `$HOME/.local/state/accord/hashed`; nil when
  /// neither variable holds an absolute path.
  public static func standard(environment: [String: String]? = nil) -> HashedTexts? {
    let path = UserFolder.state.path("hashed") { name in environment.map { $0[name] } ?? processVariable(name) }
    return path.map { HashedTexts(directory: URL(fileURLWithPath: $0, isDirectory: true)) }
  }

  /// A file's stat, as a memo names it.
  struct Stamp: Equatable {
    var device: UInt64, inode: UInt64, size: Int64
    var modified: timespec, changed: timespec

    init(_ info: stat) {
      device = UInt64(info.st_dev)
      inode = UInt64(info.st_ino)
      size = Int64(info.st_size)
      modified = info.st_mtim
      changed = info.st_ctim
    }

    static func == (a: Stamp, b: Stamp) -> Bool {
      a.device == b.device && a.inode == b.inode && a.size == b.size
        && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
        && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
    }

    /// How a memo begins: what it is about. The hashes follow, each after a space.
    var line: String {
      "accord-hashed 1 \(size) \(modified.tv_sec).\(modified.tv_nsec) \(changed.tv_sec).\(changed.tv_nsec)"
    }
  }

  private func path(for stamp: Stamp) -> String {
    directory.appendingPathComponent("\(stamp.device)-\(stamp.inode)").path
  }

  /// The SHA-256s (lowercase hex) a file with exactly `stamp` was found to hold texts of;
  /// empty when there is no memo for that stamp.
  func recall(_ stamp: Stamp) -> Set<String> {
    guard let data = try? POSIXFile.readAll(path(for: stamp)) else { return [] }
    let text = String(decoding: data, as: UTF8.self)
    let head = stamp.line + " "
    guard text.hasPrefix(head), text.hasSuffix("\n") else { return [] }
    let hashes = text.dropFirst(head.count).dropLast().split(separator: " ").map(String.init)
    guard !hashes.isEmpty, hashes.allSatisfy(Self.isHash) else { return [] }
    return Set(hashes)
  }

  /// Remembers that the file with `stamp` holds texts hashing to `hashes`, unless its change
  /// time is too recent to be sure of (see `settled`). Failing to write changes nothing.
  func note(_ stamp: Stamp, hashes: [String]) {
    guard !hashes.isEmpty, hashes.allSatisfy(Self.isHash) else { return }
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let nanoseconds = { (time: timespec) in Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec) }
    guard nanoseconds(now) - nanoseconds(stamp.changed) >= settled else { return }
    guard (try? UserFolder.makePrivate(directory)) != nil else { return }
    let target = path(for: stamp)
    let temporary = target + ".tmp-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    let bytes = Data((stamp.line + " " + hashes.joined(separator: " ") + "\n").utf8)
    guard let descriptor = try? POSIXFile.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600, action: "create")
    else { return }
    let written = (try? POSIXFile.writeAll(descriptor, bytes)) != nil
    close(descriptor)
    if !written || rename(temporary, target) != 0 { unlink(temporary) }
  }

  private static func isHash(_ text: String) -> Bool {
    text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }
}
