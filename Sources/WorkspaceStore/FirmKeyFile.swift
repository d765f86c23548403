import Foundation
import Glibc

/// The file that holds the firm's private signing key, which seals certificates:
/// `$XDG_CONFIG_HOME/accord/firm-key` (by default `~/.config/accord/firm-key`).
///
/// It is kept outside every workspace on purpose: a workspace is shared, synced or kept in
/// git, and whoever can read the key can seal anything in the firm's name. The file is one
/// line, `accord-ed25519-private:` and the base64 of the key's 32-byte seed, mode 0600 in a
/// 0700 folder. It is written once, atomically (never half a key), and never replaced: a
/// new key would make every certificate handed out so far unverifiable with the key the
/// clients were given. A file that others can read, or that holds anything else, is refused.
public struct FirmKeyFile: Sendable {
  /// The file's name in the config folder.
  public static let fileName = "firm-key"
  /// What the file's line begins with.
  public static let prefix = "accord-ed25519-private:"
  /// The most a key file can hold; a bigger one is not a key.
  static let maximumSize = 4096

  public let path: String

  public init(path: String) {
    self.path = path
  }

  /// The key file of this user, from `$XDG_CONFIG_HOME` or `$HOME`; nil when neither is set
  /// to an absolute path.
  public static func standard(variable: (String) -> String? = processVariable) -> FirmKeyFile? {
    UserFolder.config.path(fileName, variable: variable).map(FirmKeyFile.init)
  }

  /// Whether something is at the path (a file, a link, anything).
  public var exists: Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// The key's 32-byte seed, after checking that the file is a regular file of this user's,
  /// readable by nobody else, holding one key line.
  public func read() throws(KeyFileError) -> [UInt8] {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { throw .missing(path: path) }
      throw .io(path: path, problem: "cannot look it up: \(String(cString: strerror(errno)))")
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw .malformed(path: path, problem: "is \(POSIXFile.kind(of: info)), not a regular file")
    }
    guard info.st_uid == geteuid() else {
      throw .insecure(path: path, problem: "belongs to another user (uid \(info.st_uid))")
    }
    let mode = info.st_mode & 0o777
    guard mode & 0o077 == 0 else {
      throw .insecure(
        path: path,
        problem: "can be read or written by others (mode \(String(mode, radix: 8))); "
          + "it must be 0600 (chmod 600 \(path)), and since others could read it, consider the key exposed")
    }
    guard info.st_size <= Self.maximumSize else {
      throw .malformed(path: path, problem: "is \(info.st_size) bytes, too long for a key")
    }
    let data: Data
    do {
      data = try POSIXFile.readAll(path)
    } catch {
      throw .io(path: path, problem: error.problem)
    }
    return try Self.seed(in: data, path: path)
  }

  /// The seed in a key file's bytes.
  static func seed(in data: Data, path: String) throws(KeyFileError) -> [UInt8] {
    guard let text = String(data: data, encoding: .utf8) else {
      throw .malformed(path: path, problem: "is not text")
    }
    let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard line.hasPrefix(prefix) else {
      throw .malformed(path: path, problem: "does not hold a key: it must be one line starting '\(prefix)'")
    }
    guard let seed = Data(base64Encoded: String(line.dropFirst(prefix.count))), seed.count == 32 else {
      throw .malformed(path: path, problem: "does not hold a key: after '\(prefix)' must come 32 bytes in base64")
    }
    return [UInt8](seed)
  }

  /// Writes a new key file holding `seed`; refused if anything is at the path already.
  public func create(seed: [UInt8]) throws(KeyFileError) {
    if exists { throw .exists(path: path) }
    let folder = (path as NSString).deletingLastPathComponent
    // The config folder and our folder in it: owner only (XDG asks 0700 of the base folder).
    for folder in [(folder as NSString).deletingLastPathComponent, folder] {
      var info = stat()
      if lstat(folder, &info) != 0 {
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
          throw .io(path: path, problem: "cannot create \(folder): \(String(cString: strerror(errno)))")
        }
      }
    }
    guard chmod(folder, 0o700) == 0 else {
      throw .io(path: path, problem: "cannot make \(folder) private: \(String(cString: strerror(errno)))")
    }
    let line = Self.prefix + Data(seed).base64EncodedString() + "\n"
    do throws(WriteFailure) {
      try writeAtomically(Data(line.utf8), to: path, expected: nil)
    } catch {
      switch error {
      case .targetExists: throw .exists(path: path)
      case let .system(failure): throw .io(path: path, problem: failure.problem)
      case .targetChanged, .interrupted: throw .io(path: path, problem: "the write was stopped")
      }
    }
  }
}
