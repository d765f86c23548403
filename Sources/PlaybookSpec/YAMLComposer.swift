import CYaml

/// Composes a YAML document straight from libyaml's events into `YAMLNode`s.
///
/// Yams composes through a class per event, a `Tag` object per node, Foundation's string
/// conversion per scalar and a `Dictionary(grouping:)` of every mapping's keys, which made
/// it most of the time of reading a large playbook. This reads the same events from the
/// same libyaml, but only for the documents a playbook is: one document of mappings,
/// lists and scalars, with no anchors, aliases or tags, and no repeated or complex keys.
/// Anything else, including every syntax error, answers nil so that Yams composes the text
/// and words the error exactly as before.
enum YAMLComposer {
  static func compose(_ text: String) -> YAMLNode? {
    var text = text
    return text.withUTF8 { utf8 -> YAMLNode? in
      let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
      defer { parser.deallocate() }
      guard yaml_parser_initialize(parser) == 1 else { return nil }
      defer { yaml_parser_delete(parser) }
      yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
      yaml_parser_set_input_string(parser, utf8.baseAddress, utf8.count)
      var reader = EventReader(parser: parser)
      return reader.document()
    }
  }
}

/// Reads events one at a time; each is deleted as soon as it has been read.
private struct EventReader {
  let parser: UnsafeMutablePointer<yaml_parser_t>
  var event = yaml_event_t()

  /// The next event's type, or nil on a syntax error. The event stays in `event` until the
  /// next call.
  mutating func next() -> yaml_event_type_t? {
    yaml_event_delete(&event)
    guard yaml_parser_parse(parser, &event) == 1 else { return nil }
    return event.type
  }

  mutating func document() -> YAMLNode? {
    defer { yaml_event_delete(&event) }
    guard next() == YAML_STREAM_START_EVENT, next() == YAML_DOCUMENT_START_EVENT,
      let type = next(), let root = node(type, depth: 0),
      next() == YAML_DOCUMENT_END_EVENT, next() == YAML_STREAM_END_EVENT
    else { return nil }
    return root
  }

  var position: YAMLNode.Position {
    YAMLNode.Position(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
  }

  /// The node that starts with the current event, of type `type`.
  mutating func node(_ type: yaml_event_type_t, depth: Int) -> YAMLNode? {
    // libyaml stops at 1000 levels; this keeps the recursion bounded whatever it allows.
    guard depth < 2000 else { return nil }
    switch type {
    case YAML_SCALAR_EVENT:
      let scalar = event.data.scalar
      guard scalar.anchor == nil, scalar.tag == nil else { return nil }
      let string = String(
        decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
      return .scalar(
        YAMLNode.Scalar(string: string, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE, position: position))

    case YAML_SEQUENCE_START_EVENT:
      let start = event.data.sequence_start
      guard start.anchor == nil, start.tag == nil else { return nil }
      let position = position
      var items: [YAMLNode] = []
      while let type = next(), type != YAML_SEQUENCE_END_EVENT {
        guard let item = node(type, depth: depth + 1) else { return nil }
        items.append(item)
      }
      guard event.type == YAML_SEQUENCE_END_EVENT else { return nil }
      return .sequence(items, at: position)

    case YAML_MAPPING_START_EVENT:
      let start = event.data.mapping_start
      guard start.anchor == nil, start.tag == nil else { return nil }
      let position = position
      var pairs: [(key: YAMLNode, value: YAMLNode)] = []
      var names: [String] = []
      var manyNames: Set<String> = []
      while let type = next(), type != YAML_MAPPING_END_EVENT {
        // Only scalar keys, each once: Yams reports a repeated key, in its own words.
        guard type == YAML_SCALAR_EVENT, let key = node(type, depth: depth + 1),
          case .scalar(let name) = key
        else { return nil }
        // A playbook's mappings have a handful of keys; a set only for long ones.
        if names.count < 16 {
          guard !names.contains(name.string) else { return nil }
          names.append(name.string)
          if names.count == 16 { manyNames = Set(names) }
        } else {
          guard manyNames.insert(name.string).inserted else { return nil }
        }
        guard let valueType = next(), let value = node(valueType, depth: depth + 1) else { return nil }
        pairs.append((key, value))
      }
      guard event.type == YAML_MAPPING_END_EVENT else { return nil }
      return .mapping(pairs, at: position)

    default:
      // An alias, or an event out of place.
      return nil
    }
  }
}
