import Foundation

/// Encodes any `Encodable` to the bytes `JSONEncoder` writes with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (without a final newline), in a
/// fraction of the time: it builds a plain tree of the values and writes it with
/// `JSONWriter`, the writer the store's client files use.
///
/// It knows only what Accord encodes: strings, integers, booleans, finite Doubles, nulls and
/// containers of them. Anything else (Date, Data, URL, Decimal, Float, a non-finite
/// Double, `superEncoder`, a value that encodes nothing or twice, a key given twice) makes
/// it throw `PrettyJSONEncoder.Unsupported`, and the caller falls back to JSONEncoder, so the
/// bytes are the same either way. Tests hold it to JSONEncoder byte for byte.
public enum PrettyJSONEncoder {
  /// What this encoder does not write the way JSONEncoder does; use JSONEncoder instead.
  public struct Unsupported: Error {}

  /// The value's JSON text, or `Unsupported`, or the error its `encode(to:)` threw.
  public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
    let state = EncodingState()
    let node = try Node.of(value, state: state)
    if state.unsupported { throw Unsupported() }
    let out = JSONWriter()
    out.reserve(4096)
    try node.write(to: out, indent: 0)
    return out.bytes
  }

  /// JSONEncoder's text with the same options, for what this encoder does not support.
  public static func foundationEncode<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
  }

  /// This encoder's text, else JSONEncoder's: the same bytes either way.
  public static func encodeOrFallBack<T: Encodable>(_ value: T) throws -> [UInt8] {
    do {
      return try encode(value)
    } catch is Unsupported {
      return Array(try foundationEncode(value))
    }
  }
}

/// Shared by every encoder of one encoding: whether something was asked that this encoder
/// cannot write as JSONEncoder would.
private final class EncodingState {
  var unsupported = false
}

private final class ArrayBox {
  var items: [Node] = []
}

private final class ObjectBox {
  var members: [(key: String, value: Node)] = []
}

private enum Node {
  case none
  /// A number or literal, in JSON's form.
  case literal(String)
  case string(String)
  case array(ArrayBox)
  case object(ObjectBox)

  static var null: Node { .literal("null") }
  static var `true`: Node { .literal("true") }
  static var `false`: Node { .literal("false") }

  static func bool(_ value: Bool) -> Node { value ? .true : .false }

  /// JSONEncoder writes a Double's `description`, less a final `.0`; it refuses NaN and
  /// the infinities, which this leaves to it.
  static func double(_ value: Double) throws -> Node {
    guard value.isFinite else { throw PrettyJSONEncoder.Unsupported() }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    return .literal(text)
  }

  static func of<T: Encodable>(_ value: T, state: EncodingState) throws -> Node {
    switch value {
    case let text as String: return .string(text)
    case let number as Int: return .literal(String(number))
    case let flag as Bool: return .bool(flag)
    case let number as Double: return try .double(number)
    case is Date, is Data, is URL, is Decimal, is Float:
      throw PrettyJSONEncoder.Unsupported()
    default:
      let encoder = NodeEncoder(state: state)
      try value.encode(to: encoder)
      guard case .none = encoder.node else { return encoder.node }
      throw PrettyJSONEncoder.Unsupported()
    }
  }

  func write(to out: JSONWriter, indent: Int) throws {
    switch self {
    case .none: throw PrettyJSONEncoder.Unsupported()
    case let .literal(text): out.raw(text)
    case let .string(text): out.string(text)
    case let .array(box):
      var failure: (any Error)?
      out.array(indent: indent, box.items) { out, item in
        do { try item.write(to: out, indent: indent + 1) } catch { failure = error }
      }
      if let failure { throw failure }
    case let .object(box):
      var members = box.members
      members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
      // A key given twice keeps its last value in JSONEncoder; rare enough to leave to it.
      for index in members.indices.dropFirst() where members[index - 1].key == members[index].key {
        throw PrettyJSONEncoder.Unsupported()
      }
      var failure: (any Error)?
      out.object(indent: indent) { fields in
        for member in members {
          fields.member(member.key) { out in
            do { try member.value.write(to: out, indent: indent + 1) } catch { failure = error }
          }
        }
      }
      if let failure { throw failure }
    }
  }
}

private final class NodeEncoder: Encoder {
  let state: EncodingState
  var node = Node.none

  init(state: EncodingState) { self.state = state }

  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    switch node {
    case let .object(box): return KeyedEncodingContainer(KeyedContainer(box: box, state: state))
    case .none: break
    default: state.unsupported = true
    }
    let box = ObjectBox()
    node = .object(box)
    return KeyedEncodingContainer(KeyedContainer(box: box, state: state))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    switch node {
    case let .array(box): return UnkeyedContainer(box: box, state: state)
    case .none: break
    default: state.unsupported = true
    }
    let box = ArrayBox()
    node = .array(box)
    return UnkeyedContainer(box: box, state: state)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleContainer(encoder: self)
  }

  func set(_ value: Node) {
    guard case .none = node else {
      state.unsupported = true
      return
    }
    node = value
  }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let box: ObjectBox
  let state: EncodingState

  var codingPath: [any CodingKey] { [] }

  private func add(_ key: Key, _ value: Node) {
    box.members.append((key.stringValue, value))
  }

  mutating func encodeNil(forKey key: Key) throws { add(key, .null) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, .bool(value)) }
  mutating func encode(_ value: String, forKey key: Key) throws { add(key, .string(value)) }
  mutating func encode(_ value: Double, forKey key: Key) throws { add(key, try .double(value)) }
  mutating func encode(_ value: Int, forKey key: Key) throws { add(key, .literal(String(value))) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { add(key, .literal(String(value))) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { add(key, .literal(String(value))) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { add(key, .literal(String(value))) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { add(key, .literal(String(value))) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { add(key, .literal(String(value))) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { add(key, .literal(String(value))) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { add(key, .literal(String(value))) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { add(key, .literal(String(value))) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { add(key, .literal(String(value))) }
  mutating func encode(_ value: Float, forKey key: Key) throws { throw PrettyJSONEncoder.Unsupported() }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    add(key, try .of(value, state: state))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    let nested = ObjectBox()
    add(key, .object(nested))
    return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, state: state))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let nested = ArrayBox()
    add(key, .array(nested))
    return UnkeyedContainer(box: nested, state: state)
  }

  mutating func superEncoder() -> any Encoder {
    state.unsupported = true
    return NodeEncoder(state: state)
  }

  mutating func superEncoder(forKey key: Key) -> any Encoder {
    state.unsupported = true
    return NodeEncoder(state: state)
  }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
  let box: ArrayBox
  let state: EncodingState

  var codingPath: [any CodingKey] { [] }
  var count: Int { box.items.count }

  mutating func encodeNil() throws { box.items.append(.null) }
  mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
  mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
  mutating func encode(_ value: Double) throws { box.items.append(try .double(value)) }
  mutating func encode(_ value: Int) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: Int8) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: Int16) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: Int32) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: Int64) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: UInt) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: UInt8) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: UInt16) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: UInt32) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: UInt64) throws { box.items.append(.literal(String(value))) }
  mutating func encode(_ value: Float) throws { throw PrettyJSONEncoder.Unsupported() }
  mutating func encode<T: Encodable>(_ value: T) throws {
    box.items.append(try .of(value, state: state))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type
  ) -> KeyedEncodingContainer<NestedKey> {
    let nested = ObjectBox()
    box.items.append(.object(nested))
    return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, state: state))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let nested = ArrayBox()
    box.items.append(.array(nested))
    return UnkeyedContainer(box: nested, state: state)
  }

  mutating func superEncoder() -> any Encoder {
    state.unsupported = true
    return NodeEncoder(state: state)
  }
}

private struct SingleContainer: SingleValueEncodingContainer {
  let encoder: NodeEncoder

  var codingPath: [any CodingKey] { [] }

  mutating func encodeNil() throws { encoder.set(.null) }
  mutating func encode(_ value: Bool) throws { encoder.set(.bool(value)) }
  mutating func encode(_ value: String) throws { encoder.set(.string(value)) }
  mutating func encode(_ value: Double) throws { encoder.set(try .double(value)) }
  mutating func encode(_ value: Int) throws { encoder.set(.literal(String(value))) }
  mutating func encode(_ value: Int8) throws { encoder.set(.literal(String(value))) }
  mutating func encode(_ value: Int16) throws { encoder.set(.literal(String(value))) }
  mutating func encode(_ value: Int32) throws { encoder.set(.literal(String(value))) }
  mutating func encode(_ value: Int64) throws { encoder.set(.literal(String(value))) }
  mutating func encode(_ value: UInt) throws { encoder.set(.literal(String(value))) }
  mutating func encode(_ value: UInt8) throws { encoder.set(.literal(String(value))) }
  mutating func encode(_ value: UInt16) throws { encoder.set(.literal(String(value))) }
  mutating func encode(_ value: UInt32) throws { encoder.set(.literal(String(value))) }
  mutating func encode(_ value: UInt64) throws { encoder.set(.literal(String(value))) }
  mutating func encode(_ value: Float) throws { throw PrettyJSONEncoder.Unsupported() }
  mutating func encode<T: Encodable>(_ value: T) throws {
    encoder.set(try .of(value, state: encoder.state))
  }
}
