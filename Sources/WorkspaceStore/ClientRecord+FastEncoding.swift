import Foundation
import ProgrammeEngine

extension ClientRecord {
  /// The file's bytes, written directly: the same text JSONEncoder writes with
  /// `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes` (two-space indent, `"key" : value`,
  /// keys in byte order), a final newline, and a fraction of the time and memory on a long
  /// history. Tests hold it to JSONEncoder's output byte for byte.
  func canonicalJSON() -> [UInt8] {
    canonicalJSON(reusing: nil).bytes
  }

  /// `canonicalJSON()`, and where its events lie in the text. With `earlier` (a text this
  /// writer wrote for an earlier revision of the record, whose events this record's begin
  /// with, and where they lie in it), those events' text is copied rather than written
  /// again: a write then costs what it adds, not the whole history. Histories only grow, so
  /// every write of a long-running process after its first can pass what it last wrote.
  func canonicalJSON(reusing earlier: (text: Data, events: WrittenEvents)?) -> (bytes: [UInt8], events: WrittenEvents) {
    canonicalJSON(reserving: events.count * 200) { out in out.events(events, reusing: earlier) }
  }

  /// The file's bytes for this record's header (everything but its events, which are
  /// ignored) and the events whose texts are `eventTexts`, each as `eventText(_:)` lays it
  /// out: what a store that keeps events apart (a database) puts together again to read a
  /// client exactly as the folder would. The result is read with `decode(_:client:place:)`,
  /// which checks it as it checks a file.
  public func canonicalJSON(eventTexts: [[UInt8]]) -> [UInt8] {
    canonicalJSON(reserving: eventTexts.reduce(0) { $0 + $1.count + 8 }) { out in out.events(texts: eventTexts) }.bytes
  }

  /// `canonicalJSON(eventTexts:)` with the fields the store sets when it writes (`format`,
  /// `revision`, `head`) as the store recorded them: a store that keeps the header apart
  /// builds the header from its columns with `init(client:name:...)`, which cannot set them.
  /// What it puts together is checked by `decode(_:client:place:)` like any file.
  public func canonicalJSON(eventTexts: [[UInt8]], format: Int, revision: Int, head: String?) -> [UInt8] {
    var header = self
    header.format = format
    header.revision = revision
    header.head = head
    return header.canonicalJSON(eventTexts: eventTexts)
  }

  /// An event's text as the file lays it out (an object at the history's indent): what
  /// `canonicalJSON(eventTexts:)` takes back.
  public static func eventText(_ event: Event) -> [UInt8] {
    let out = JSONWriter()
    out.event(event, indent: 2)
    return out.bytes
  }

  private func canonicalJSON(reserving eventBytes: Int, events writeEvents: (JSONWriter) -> WrittenEvents)
    -> (bytes: [UInt8], events: WrittenEvents)
  {
    let out = JSONWriter()
    var written = WrittenEvents(range: 0..<0, count: 0)
    out.reserve(eventBytes + playbook.source.utf8.count + 1024)
    out.object(indent: 0) { members in
      members.member("assignments") { out in
        out.object(indent: 1) { roles in
          for role in assignments.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            roles.member(role) { $0.string(assignments[role]!) }
          }
        }
      }
      members.member("client") { $0.string(client) }
      if !earlierPlaybooks.isEmpty {
        members.member("earlierPlaybooks") { out in
          out.array(indent: 1, earlierPlaybooks) { out, playbook in out.storedPlaybook(playbook, indent: 2) }
        }
      }
      members.member("events") { out in
        written = writeEvents(out)
      }
      members.member("format") { $0.integer(format) }
      if let head { members.member("head") { $0.string(head) } }
      members.member("name") { $0.string(name) }
      members.member("playbook") { out in out.storedPlaybook(playbook, indent: 1) }
      members.member("revision") { $0.integer(revision) }
      members.member("uid") { $0.string(uid) }
    }
    return (out.finish(), written)
  }
}

/// Where a history's events lie in a file's text as `canonicalJSON` wrote them: from the
/// first event's opening brace to the last one's closing brace, and how many there are.
public struct WrittenEvents: Sendable, Equatable {
  var range: Range<Int>
  var count: Int
}

extension JSONWriter {
  /// The history as an array at indent 1, as `array` writes it, the first `earlier.count`
  /// events copied from `earlier`'s text when it is given and those are fewer than
  /// `events` holds, or as many; returns where the events lie in what is written.
  fileprivate func events(_ events: [Event], reusing earlier: (text: Data, events: WrittenEvents)?) -> WrittenEvents {
    bytes.append(UInt8(ascii: "["))
    var start = bytes.count
    var next = 0
    if let earlier, earlier.events.count > 0, earlier.events.count <= events.count {
      bytes.append(0x0A)
      pad(2)
      start = bytes.count
      earlier.text.withUnsafeBytes { bytes.append(contentsOf: $0[earlier.events.range]) }
      next = earlier.events.count
    }
    for index in next..<events.count {
      if index > 0 { bytes.append(0x2C) }
      bytes.append(0x0A)
      pad(2)
      if index == 0 { start = bytes.count }
      event(events[index], indent: 2)
    }
    let range = start..<(events.isEmpty ? start : bytes.count)
    close(UInt8(ascii: "]"), indent: 1, empty: events.isEmpty)
    return WrittenEvents(range: range, count: events.count)
  }

  /// The history as `events(_:reusing:)` writes it, from each event's text as
  /// `ClientRecord.eventText(_:)` made it.
  fileprivate func events(texts: [[UInt8]]) -> WrittenEvents {
    bytes.append(UInt8(ascii: "["))
    var start = bytes.count
    for (index, text) in texts.enumerated() {
      if index > 0 { bytes.append(0x2C) }
      bytes.append(0x0A)
      pad(2)
      if index == 0 { start = bytes.count }
      bytes.append(contentsOf: text)
    }
    let range = start..<(texts.isEmpty ? start : bytes.count)
    close(UInt8(ascii: "]"), indent: 1, empty: texts.isEmpty)
    return WrittenEvents(range: range, count: texts.count)
  }
}

/// Appends JSON text in JSONEncoder's pretty-printed layout. A class, so that the one
/// buffer is appended to in place however deeply the writing nests.
public final class JSONWriter {
  /// Unchecked: the one buffer is only ever appended to by one writer at a time, and a
  /// dynamic exclusivity check on every append is a good part of the cost of writing.
  @exclusivity(unchecked) public private(set) var bytes: [UInt8] = []

  public init() {}

  public func reserve(_ count: Int) { bytes.reserveCapacity(count) }

  /// The text written, with the final newline a file ends with.
  public func finish() -> [UInt8] {
    bytes.append(UInt8(ascii: "\n"))
    return bytes
  }

  /// The members of one object, written in the order given (the caller sorts them).
  public struct Members {
    fileprivate let writer: JSONWriter
    fileprivate let indent: Int
    fileprivate var first = true

    public mutating func member(_ key: String, _ value: (JSONWriter) -> Void) {
      if !first { writer.bytes.append(0x2C) }
      writer.bytes.append(0x0A)
      first = false
      writer.pad(indent)
      writer.string(key)
      writer.bytes.append(0x20)
      writer.bytes.append(0x3A)
      writer.bytes.append(0x20)
      value(writer)
    }
  }

  public func object(indent: Int, _ body: (inout Members) -> Void) {
    bytes.append(UInt8(ascii: "{"))
    var members = Members(writer: self, indent: indent + 1)
    body(&members)
    close(UInt8(ascii: "}"), indent: indent, empty: members.first)
  }

  public func array<Element>(indent: Int, _ elements: [Element], _ write: (JSONWriter, Element) -> Void) {
    bytes.append(UInt8(ascii: "["))
    for (index, element) in elements.enumerated() {
      if index > 0 { bytes.append(0x2C) }
      bytes.append(0x0A)
      pad(indent + 1)
      write(self, element)
    }
    close(UInt8(ascii: "]"), indent: indent, empty: elements.isEmpty)
  }

  /// A stored playbook, its keys in byte order.
  func storedPlaybook(_ playbook: StoredPlaybook, indent: Int) {
    object(indent: indent) { fields in
      fields.member("id") { $0.string(playbook.id) }
      fields.member("origin") { $0.string(playbook.origin) }
      fields.member("sha256") { $0.string(playbook.sha256) }
      fields.member("source") { $0.string(playbook.source) }
      fields.member("title") { $0.string(playbook.title) }
      fields.member("version") { $0.integer(playbook.version) }
    }
  }

  /// An event, its keys in byte order: `type`, `by`, `at`, `note`, the optional keys of an
  /// act for someone else, `via`, `printedBy`, `id` and the fields its kind
  /// declares in `Change.kinds`, laid out once per kind rather than sorted per event, since
  /// a long history is tens of thousands of them.
  func event(_ event: Event, indent: Int) {
    let (kind, values) = event.change.parts
    object(indent: indent) { members in
      for key in Self.layouts[kind.type] ?? [] {
        switch key {
        case .type: members.member("type") { $0.string(kind.type) }
        case .by: members.member("by") { $0.string(event.by) }
        case .at: members.member("at") { $0.string(Timestamp.format(event.at)) }
        case .note: if let note = event.note { members.member("note") { $0.string(note) } }
        case .previous:
          if let previous = event.previous { members.member("previous") { $0.string(previous) } }
        case .holder: if let holder = event.holder { members.member("holder") { $0.string(holder) } }
        case .onBehalfOf:
          if let other = event.onBehalfOf { members.member("onBehalfOf") { $0.string(other) } }
        case .evidence:
          if let evidence = event.evidence {
            members.member("evidence") { out in
              out.object(indent: indent + 1) { fields in
                fields.member("name") { $0.string(evidence.name) }
                fields.member("sha256") { $0.string(evidence.sha256) }
              }
            }
          }
        case .via: if let via = event.via { members.member("via") { $0.string(via.rawValue) } }
        case .printedBy:
          if let printer = event.printedBy { members.member("printedBy") { $0.string(printer) } }
        case .id: if let id = event.id { members.member("id") { $0.string(id) } }
        case let .field(position):
          // An absent optional field is not written, as JSONEncoder's `encodeIfPresent`.
          if case .optionalText(nil) = values[position] { continue }
          members.member(kind.fields[position].rawValue) { out in
            out.value(values[position], indent: indent + 1)
          }
        }
      }
    }
  }

  /// A key of an event: one of the eleven every event may have, or the kind's field at a
  /// position.
  private enum EventKey {
    case type, by, at, note, previous, holder, onBehalfOf, evidence, via, printedBy, id, field(Int)
  }

  /// Each kind's keys in the byte order JSONEncoder's `.sortedKeys` writes them.
  private static let layouts: [String: [EventKey]] = Dictionary(
    uniqueKeysWithValues: Change.kinds.map { kind in
      var keys: [(String, EventKey)] = [
        ("type", .type), ("by", .by), ("at", .at), ("note", .note), ("previous", .previous),
        ("holder", .holder), ("onBehalfOf", .onBehalfOf), ("evidence", .evidence), ("via", .via),
        ("printedBy", .printedBy), ("id", .id),
      ]
      keys += kind.fields.enumerated().map { ($1.rawValue, .field($0)) }
      keys.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
      return (kind.type, keys.map(\.1))
    })

  /// A field's value: text directly; a structured value, rare and short, through
  /// JSONEncoder, its own text indented to sit where it belongs. JSON text never holds a
  /// raw line break inside a string, so indenting line by line is safe.
  private func value(_ value: FieldValue, indent: Int) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let encoded: Data?
    switch value {
    case let .text(text), let .optionalText(text?): return string(text)
    case .optionalText(nil): encoded = nil
    case let .responses(responses): encoded = try? encoder.encode(responses)
    case let .inputs(inputs): encoded = try? encoder.encode(inputs)
    case let .playbook(version): encoded = try? encoder.encode(version)
    }
    // Encoding cannot fail: every field is text, a number or a list of them.
    let text = encoded ?? Data("null".utf8)
    for (index, line) in text.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
      if index > 0 {
        bytes.append(0x0A)
        if !line.isEmpty { pad(indent) }
      }
      bytes.append(contentsOf: line)
    }
  }

  public func integer(_ value: Int) {
    bytes.append(contentsOf: String(value).utf8)
  }

  /// Text written as it is: a number or literal already in JSON's form.
  public func raw(_ text: String) {
    bytes.append(contentsOf: text.utf8)
  }

  /// A string, escaped as JSONEncoder escapes: `"` and `\`, the short forms for
  /// backspace, form feed, newline, carriage return and tab, `\u00XX` for other control
  /// characters; everything else (slashes and all non-ASCII) as it is.
  public func string(_ text: String) {
    CanonicalJSON.append(text, to: &bytes)
  }

  fileprivate func pad(_ level: Int) {
    let count = level * 2
    if count <= Self.spaces.count {
      bytes.append(contentsOf: Self.spaces[0..<count])
    } else {
      bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }
  }

  private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

  /// JSONEncoder writes an empty container as an opening, two newlines and a closing.
  fileprivate func close(_ bracket: UInt8, indent: Int, empty: Bool) {
    bytes.append(0x0A)
    if empty { bytes.append(0x0A) }
    pad(indent)
    bytes.append(bracket)
  }
}
