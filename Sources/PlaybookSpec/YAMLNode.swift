import Yams

/// A composed YAML node with just what the playbook decoder reads: the scalars' text and
/// whether they are plain, the structure, and where each node starts.
///
/// Built by `YAMLComposer` straight from libyaml's events for everyday documents, or
/// converted from Yams' `Node` tree when Yams composes (a document with anchors, aliases or
/// tags, or one with an error, which Yams words).
enum YAMLNode {
  case scalar(Scalar)
  case mapping([(key: YAMLNode, value: YAMLNode)], at: Position)
  case sequence([YAMLNode], at: Position)
  /// Yams keeps an alias node only in trees it is asked to write; composing resolves them.
  case alias(at: Position)

  /// A 1-based line and column, as libyaml's marks plus one (which is what Yams' `Mark` is).
  struct Position {
    var line: Int
    var column: Int
  }

  struct Scalar {
    var string: String
    /// Written without quotes or block indicators: only a plain scalar can be null or a number.
    var isPlain: Bool
    var position: Position
  }

  var position: Position {
    switch self {
    case .scalar(let scalar): scalar.position
    case .mapping(_, let position), .sequence(_, let position), .alias(let position): position
    }
  }

  /// Yams' tree in this form.
  init(_ node: Node) {
    let position = node.mark.map { Position(line: $0.line, column: $0.column) } ?? Position(line: 1, column: 1)
    switch node {
    case .scalar(let scalar):
      self = .scalar(Scalar(string: scalar.string, isPlain: scalar.style == .plain, position: position))
    case .mapping(let mapping):
      self = .mapping(mapping.map { (YAMLNode($0.key), YAMLNode($0.value)) }, at: position)
    case .sequence(let sequence):
      self = .sequence(sequence.map(YAMLNode.init), at: position)
    case .alias:
      self = .alias(at: position)
    }
  }
}
