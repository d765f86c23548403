import Foundation
import Yams

extension Playbook {
  /// The largest playbook accepted, 16 MiB. A real playbook is a few kilobytes; the limit
  /// keeps a wrong file (a log, a database dump) from being read into memory whole.
  public static let maximumSize = 16 * 1024 * 1024

  /// Decodes and validates a playbook file's bytes, which must be UTF-8 text.
  ///
  /// - Parameter file: the name shown in every diagnostic's location, usually the path
  ///   as the user typed it.
  /// - Throws: every problem found, each located in `file`.
  public static func parse(_ data: Data, file: String) throws(PlaybookError) -> Playbook {
    try checkSize(data.count, file: file)
    guard let text = String(validating: data, as: UTF8.self) else {
      throw PlaybookError([.invalidUTF8(data, file: file)])
    }
    return try parse(text, file: file)
  }

  /// Decodes and validates a playbook's text.
  ///
  /// Decoding stops short of validation when the document's shape is wrong, because
  /// references cannot be checked in a half-read playbook; within each pass every
  /// problem is reported at once.
  ///
  /// - Parameter file: the name shown in every diagnostic's location.
  /// - Throws: every problem found, each located in `file`.
  public static func parse(_ text: String, file: String) throws(PlaybookError) -> Playbook {
    try checkSize(text.utf8.count, file: file)
    // libyaml's events composed directly for an everyday document; Yams for anything
    // else (anchors and aliases, tags, errors), so its checks and messages stay the same.
    let root: YAMLNode
    if let composed = YAMLComposer.compose(text) {
      root = composed
    } else {
      let node: Node?
      do {
        // The basic resolver leaves scalars untyped (see `PlaybookDecoder.isNull`), and
        // UTF-8 is explicit because Yams' default encoding can be changed from the environment.
        node = try Yams.compose(yaml: text, .basic, .default, .utf8)
      } catch let error as YamlError {
        throw PlaybookError([Diagnostic(error, file: file, text: text)])
      } catch {
        throw PlaybookError([Diagnostic("could not read the playbook: \(error)", at: start(of: file))])
      }
      guard let node else {
        throw PlaybookError([Diagnostic("the playbook is empty", at: start(of: file))])
      }
      // Aliases share nodes, so a small file can describe a huge tree; refuse before walking
      // it. Only Yams resolves aliases: the direct composer refuses them.
      guard node.fits(within: 2 * text.utf8.count + 16) else {
        let message = "the playbook's anchors and aliases expand to more elements than it is worth reading"
        throw PlaybookError([Diagnostic(message, at: start(of: file))])
      }
      root = YAMLNode(node)
    }

    var decoder = PlaybookDecoder(file: file)
    guard let playbook = decoder.decode(root), decoder.diagnostics.isEmpty else {
      // The decoder reports every part it drops; the fallback keeps the error non-empty.
      let fallback = Diagnostic("could not read the playbook", at: start(of: file))
      throw PlaybookError(decoder.diagnostics.isEmpty ? [fallback] : decoder.diagnostics)
    }
    var validator = PlaybookValidator(playbook: playbook, sourceMap: decoder.sourceMap)
    let problems = validator.validate()
    guard problems.isEmpty else { throw PlaybookError(problems) }
    return playbook
  }

  /// Refuses a playbook of `size` bytes that is empty or over `maximumSize`, so that a
  /// caller can check a file's size before reading it.
  public static func checkSize(_ size: Int, file: String) throws(PlaybookError) {
    if size == 0 {
      throw PlaybookError([Diagnostic("the playbook is empty", at: start(of: file))])
    }
    if size > maximumSize {
      let message = "the playbook is \(size) bytes, more than the limit of \(describeLimit(maximumSize))"
      throw PlaybookError([Diagnostic(message, at: start(of: file))])
    }
  }

  private static func start(of file: String) -> SourceLocation {
    SourceLocation(file: file, line: 1, column: 1)
  }
}

extension Node {
  /// Whether the tree, counting a shared node once per use, has at most `limit` nodes.
  /// Without aliases a node takes at least half a byte of text, so a tree bigger than
  /// twice the text can only come from aliases multiplying it.
  fileprivate func fits(within limit: Int) -> Bool {
    var count = 0
    var pending = [self]
    while let node = pending.popLast() {
      count += 1
      if count > limit { return false }
      switch node {
      case .mapping(let mapping):
        for (key, value) in mapping {
          pending.append(key)
          pending.append(value)
        }
      case .sequence(let sequence):
        pending.append(contentsOf: sequence)
      case .scalar, .alias:
        break
      }
    }
    return true
  }
}
