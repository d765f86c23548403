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
    try node.write(to: out, indent: 0, state: state)
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
  /// For each CodingKey type, the keys of the object last written with it, as encoded, and
  /// the positions of its members in byte order of their keys.
  var layouts: [ObjectIdentifier: (keys: [String], order: [Int])] = [:]

  /// The positions of `members` in the byte order of their keys, or Unsupported if a key
  /// is there twice.
  func order(of box: ObjectBox) throws -> [Int] {
    let members = box.members
    if let layout = layouts[box.keyType], layout.keys.count == members.count {
      var same = true
      for index in members.indices where layout.keys[index] != members[index].key {
        same = false
        break
      }
      if same { return layout.order }
    }
    var order = Array(members.indices)
    if members.count > 1 { order.sort { Node.precedes(members[$0].key, members[$1].key) } }
    // A key given twice keeps its last value in JSONEncoder; rare enough to leave to it.
    for index in order.indices.dropFirst() where members[order[index - 1]].key == members[order[index]].key {
      throw PrettyJSONEncoder.Unsupported()
    }
    layouts[box.keyType] = (members.map(\.key), order)
    return order
  }
}

private final class ArrayBox {
  @exclusivity(unchecked) var items: [Node] = []
}

private final class ObjectBox {
  /// The CodingKey type its keys are of: the members of one type nearly always come in
  /// the same order, so their sorted order is worked out once per type.
  let keyType: ObjectIdentifier
  @exclusivity(unchecked) var members: [(key: String, value: Node)] = []

  init<Key: CodingKey>(_ type: Key.Type) { keyType = ObjectIdentifier(type) }
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

  /// The value's node. The types JSONEncoder treats specially are told apart by their
  /// metatypes: a dynamic cast (`as?`, `is`) costs a conformance search every time.
  static func of<T: Encodable>(_ value: T, state: EncodingState) throws -> Node {
    if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
    if T.self == Int.self { return .literal(String(unsafeBitCast(value, to: Int.self))) }
    if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
    if T.self == Double.self { return try .double(unsafeBitCast(value, to: Double.self)) }
    if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self
      || T.self == Float.self
    {
      throw PrettyJSONEncoder.Unsupported()
    }
    let encoder = NodeEncoder(state: state)
    try value.encode(to: encoder)
    guard case .none = encoder.node else { return encoder.node }
    throw PrettyJSONEncoder.Unsupported()
  }

  /// Whether `a` comes before `b` in byte (UTF-8) order, as `.sortedKeys` sorts them.
  static func precedes(_ a: String, _ b: String) -> Bool {
    var a = a
    var b = b
    return a.withUTF8 { x in
      b.withUTF8 { y in
        let shorter = min(x.count, y.count)
        if shorter > 0 {
          let order = memcmp(x.baseAddress!, y.baseAddress!, shorter)
          if order != 0 { return order < 0 }
        }
        return x.count < y.count
      }
    }
  }

  func write(to out: JSONWriter, indent: Int, state: EncodingState) throws {
    switch self {
    case .none: throw PrettyJSONEncoder.Unsupported()
    case let .literal(text): out.raw(text)
    case let .string(text): out.string(text)
    case let .array(box):
      var failure: (any Error)?
      out.array(indent: indent, box.items) { out, item in
        do { try item.write(to: out, indent: indent + 1, state: state) } catch { failure = error }
      }
      if let failure { throw failure }
    case let .object(box):
      let order = try state.order(of: box)
      let members = box.members
      var failure: (any Error)?
      out.object(indent: indent) { fields in
        for position in order {
          let member = members[position]
          fields.member(member.key) { out in
            do { try member.value.write(to: out, indent: indent + 1, state: state) } catch { failure = error }
          }
        }
      }
      if let failure { throw failure }
    }
  }
}

private final class NodeEncoder: Encoder {
  let state: EncodingState
  @exclusivity(unchecked) var node = Node.none

  init(state: EncodingState) { self.state = state }

  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    switch node {
    case let .object(box): return KeyedEncodingContainer(KeyedContainer(box: box, state: state))
    case .none: break
    default: state.unsupported = true
    }
    let box = ObjectBox(Key.self)
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
    let nested = ObjectBox(NestedKey.self)
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
    let nested = ObjectBox(NestedKey.self)
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
