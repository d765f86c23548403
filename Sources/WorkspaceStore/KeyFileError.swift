/// Why the firm's key file cannot be used or made.
public enum KeyFileError: Error, Sendable, Hashable, CustomStringConvertible {
  /// There is no key file: `accord key create` makes one.
  case missing(path: String)
  /// `key create` found a file at the path already, and never replaces one.
  case exists(path: String)
  /// The file can be read or written by someone else.
  case insecure(path: String, problem: String)
  /// The file is not one key line, or not a regular file.
  case malformed(path: String, problem: String)
  /// The system refused to read or write it.
  case io(path: String, problem: String)

  /// A stable name for programs.
  public var code: String {
    switch self {
    case .missing: "no-firm-key"
    case .exists: "key-exists"
    case .insecure: "insecure-key-file"
    case .malformed: "invalid-key-file"
    case .io: "io-error"
    }
  }

  public var path: String {
    switch self {
    case let .missing(path), let .exists(path), let .insecure(path, _), let .malformed(path, _), let .io(path, _): path
    }
  }

  public var description: String {
    switch self {
    case let .missing(path): "\(path): no firm key; make one with `accord key create`"
    case let .exists(path):
      "\(path): a firm key exists already; it is never replaced, since certificates sealed with it "
        + "could no longer be checked with the key clients were given"
    case let .insecure(path, problem), let .malformed(path, problem), let .io(path, problem): "\(path): \(problem)"
    }
  }
}
