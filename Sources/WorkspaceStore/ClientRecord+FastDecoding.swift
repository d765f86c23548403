import Foundation
import PlaybookSpec
import ProgrammeEngine

extension ClientRecord {
  /// Reads a client file the quick way, straight from its bytes into the record, or
  /// answers `nil` for anything it does not expect, so that `JSONDecoder` reads it and says
  /// what is wrong. A long history is most of a client file, and most of reading it.
  ///
  /// A stored text whose `sha256` is in `trusted` is not hashed (see `HashedTexts`).
  static func fastDecode(_ data: Data, trusting trusted: Set<String> = []) -> ClientRecord? {
    data.withUnsafeBytes { bytes -> ClientRecord? in
      var reader = JSONReader(bytes)
      var fields = Fields(file: data, trusted: trusted)
      guard reader.object({ reader, key in fields.read(key, from: &reader) }), reader.atEnd() else {
        return nil
      }
      return fields.record()
    }
  }

  /// The top-level fields as they are read; each may appear once.
  private struct Fields {
    /// The file's bytes, which a stored playbook's text is left in until it is needed.
    let file: Data
    /// The SHA-256s of texts this file is known to hold (`HashedTexts`).
    let trusted: Set<String>
    var format: Int?, client: String?, name: String?, uid: String?, revision: Int?
    var playbook: StoredPlaybook?
    var earlierPlaybooks: [StoredPlaybook]?
    var assignments: [String: String]?
    var events: [Event]?
    var head: String?
    /// Where each event's text lies in the file, when it is plain (see `event`).
    var spans: [Range<Int>?] = []

    mutating func read(_ key: UnsafeRawBufferPointer, from reader: inout JSONReader) -> Bool {
      if key.spells("events") {
        guard events == nil else { return false }
        var list: [Event] = []
        // Where each event's text lies, so that the chain can be followed from the file's
        // own bytes (`ClientRecord.chainBreak`) without writing the events again.
        var spans: [Range<Int>?] = []
        guard reader.array({ reader in
          let start = reader.offset
          if let (event, plain) = Self.event(&reader) {
            list.append(event)
            spans.append(plain ? start..<reader.offset : nil)
            return true
          }
          // An event this reader does not know in detail (a kind with nested fields):
          // JSONDecoder reads that one event, so the rest of the file stays quick.
          reader.rewind(to: start)
          guard reader.skipValue(),
            let event = try? JSONDecoder().decode(Event.self, from: Data(reader.bytes(from: start)))
          else { return false }
          list.append(event)
          spans.append(nil)
          return true
        }) else { return false }
        events = list
        self.spans = spans
        return true
      }
      if key.spells("format") { return once(&format, reader.integer()) }
      if key.spells("revision") { return once(&revision, reader.integer()) }
      if key.spells("client") { return once(&client, reader.string()) }
      if key.spells("name") { return once(&name, reader.string()) }
      if key.spells("uid") { return once(&uid, reader.string()) }
      if key.spells("head") { return once(&head, reader.string()) }
      if key.spells("assignments") {
        var map: [String: String] = [:]
        let ok = reader.object { reader, key in
          guard let role = String(validating: key, as: UTF8.self), map[role] == nil,
            let person = reader.string()
          else { return false }
          map[role] = person
          return true
        }
        return ok && once(&assignments, map)
      }
      if key.spells("playbook") { return once(&playbook, Self.playbook(&reader, in: file, trusting: trusted)) }
      if key.spells("earlierPlaybooks") {
        guard earlierPlaybooks == nil else { return false }
        var list: [StoredPlaybook] = []
        guard reader.array({ reader in
          guard let playbook = Self.playbook(&reader, in: file, trusting: trusted) else { return false }
          list.append(playbook)
          return true
        }) else { return false }
        earlierPlaybooks = list
        return true
      }
      return reader.skipValue()
    }

    func record() -> ClientRecord? {
      // A revision below 1, or one the next write could not add to, is damage: the slow
      // path names it.
      guard let format, (1...ClientRecord.currentFormat).contains(format), let client, let name,
        let uid, let revision, (1..<Int.max).contains(revision), let playbook, let assignments,
        let events
      else { return nil }
      guard let id = try? ClientID(client) else { return nil }
      var record = ClientRecord(
        client: id, name: name, uid: uid, playbook: playbook, assignments: assignments,
        events: events)
      record.format = format
      record.revision = revision
      record.head = head
      record.earlierPlaybooks = earlierPlaybooks ?? []
      record.eventTexts = EventTexts(data: file, spans: spans)
      return record
    }

    /// A stored playbook; its text is checked and hashed where it lies in `file`, and left
    /// there (see `StoredPlaybook.source`).
    private static func playbook(_ reader: inout JSONReader, in file: Data, trusting trusted: Set<String>)
      -> StoredPlaybook?
    {
      var id: String?, title: String?, origin: String?, sha256: String?, source: Range<Int>?
      var version: Int?
      let ok = reader.object { reader, key in
        if key.spells("id") { return once(&id, reader.string()) }
        if key.spells("version") { return once(&version, reader.integer()) }
        if key.spells("title") { return once(&title, reader.string()) }
        if key.spells("origin") { return once(&origin, reader.string()) }
        if key.spells("sha256") { return once(&sha256, reader.string()) }
        if key.spells("source") { return once(&source, reader.stringBytes()) }
        return reader.skipValue()
      }
      guard ok, let id, let version, let title, let origin, let sha256, let source else { return nil }
      // A fingerprint that does not match is the slow path's to report.
      let start = file.startIndex
      return StoredPlaybook(
        id: id, version: version, title: title, origin: origin,
        escaped: file[start + source.lowerBound..<start + source.upperBound], verifying: sha256,
        trusted: trusted.contains(sha256.lowercased()))
    }

    /// One event, its fields read by the declaration in `Change.kinds`; nil for anything
    /// that is not exactly an event of a known kind with its fields (the slow path judges
    /// it), and for a field whose value this reader leaves to JSONDecoder (`inputs`, `from`, `to`).
    ///
    /// `plain` says whether the event's text in the file is its canonical form but for white
    /// space outside strings: its keys in byte order, each one the canonical form writes (no
    /// `null`, nothing this reader skips), and no string that needed an escape or holds a
    /// structured value. Every event Accord writes of the common kinds is.
    private static func event(_ reader: inout JSONReader) -> (event: Event, plain: Bool)? {
      var type: UnsafeRawBufferPointer?, by: String?, at: Date?, note: String?, noteSeen = false
      var previous: String?, holder: String?, onBehalfOf: String?, evidence: EvidenceFile?, via: Via?
      var printedBy: String?, id: String?
      var values = [FieldValue?](repeating: nil, count: EventField.allCases.count)
      var fieldCount = 0
      var plain = true
      var lastKey: UnsafeRawBufferPointer?
      let ok = reader.object { reader, key in
        if let lastKey, !precedes(lastKey, key) { plain = false }
        lastKey = key
        if key.spells("type") {
          guard type == nil else { return false }
          type = reader.rawString()
          return type != nil
        }
        if key.spells("by") { return once(&by, reader.string()) }
        if key.spells("at") {
          guard at == nil else { return false }
          at = reader.rawString().flatMap { Timestamp.parse(utf8: $0) }
          return at != nil
        }
        if key.spells("note") {
          guard !noteSeen else { return false }
          noteSeen = true
          if reader.null() {
            plain = false
            return true
          }
          note = reader.string()
          return note != nil
        }
        // `null` is the slow path's to judge, as for every optional field but `note`.
        if key.spells("previous") { return once(&previous, reader.string()) }
        if key.spells("holder") { return once(&holder, reader.string()) }
        if key.spells("onBehalfOf") { return once(&onBehalfOf, reader.string()) }
        if key.spells("evidence") {
          plain = false  // its own keys are not checked here
          return once(&evidence, Self.evidence(&reader))
        }
        // A door this reader does not know is the slow path's to refuse.
        if key.spells("via") { return once(&via, reader.string().flatMap(Via.init(rawValue:))) }
        if key.spells("printedBy") { return once(&printedBy, reader.string()) }
        if key.spells("id") { return once(&id, reader.string()) }
        guard let slot = Self.fieldKeys.firstIndex(where: { key.spells($0) }) else {
          plain = false
          return reader.skipValue()
        }
        guard values[slot] == nil else { return false }
        switch EventField.allCases[slot].shape {
        case .text: values[slot] = reader.string().map(FieldValue.text)
        case .optionalText: values[slot] = reader.string().map(FieldValue.optionalText)
        case .responses:
          plain = false
          values[slot] = Self.responses(&reader).map(FieldValue.responses)
        case .inputs, .playbook: return false
        }
        fieldCount += 1
        return values[slot] != nil
      }
      guard ok, let type, let by, let at,
        let kind = Self.kindTypes.firstIndex(where: { type.spells($0) }).map({ Change.kinds[$0] })
      else { return nil }
      // Exactly the kind's fields: each of them (an optional one may be absent), and no other.
      var own: [FieldValue] = []
      own.reserveCapacity(kind.fields.count)
      var present = 0
      for field in kind.fields {
        if let value = values[Self.slot[field]!] {
          own.append(value)
          present += 1
        } else if field.shape == .optionalText {
          own.append(.optionalText(nil))
        } else {
          return nil
        }
      }
      guard present == fieldCount else { return nil }
      return kind.change(own).map {
        let event = Event(
          $0, by: by, at: at, note: note, previous: previous, holder: holder, onBehalfOf: onBehalfOf,
          evidence: evidence, via: via, printedBy: printedBy, id: id)
        return (event, plain)
      }
    }

    /// An evidence file, `{"name", "sha256"}`, each once; anything else is the slow path's.
    private static func evidence(_ reader: inout JSONReader) -> EvidenceFile? {
      var name: String?, sha256: String?
      let ok = reader.object { reader, key in
        if key.spells("name") { return once(&name, reader.string()) }
        if key.spells("sha256") { return once(&sha256, reader.string()) }
        return reader.skipValue()
      }
      guard ok, let name, let sha256 else { return nil }
      return EvidenceFile(name: name, sha256: sha256)
    }

    /// The file's names for the fields, by their position in `EventField.allCases`.
    private static let fieldKeys = EventField.allCases.map { Array($0.rawValue.utf8) }
    private static let slot = Dictionary(
      uniqueKeysWithValues: EventField.allCases.enumerated().map { ($1, $0) })
    /// The kinds' `type`s, by their position in `Change.kinds`.
    private static let kindTypes = Change.kinds.map { Array($0.type.utf8) }

    /// A survey round's responses: `[{"answers": {statement: score}, "level", "respondent",
    /// "team"}]`, each key once, scores whole numbers.
    private static func responses(_ reader: inout JSONReader) -> [SurveyResponse]? {
      var list: [SurveyResponse] = []
      // Every response of a round answers much the same statements: size each one's
      // dictionary like the one before, rather than growing it (and rehashing) five times.
      var statements = 0
      let ok = reader.array { reader in
        var respondent: String?, team: String?, level: String?, answers: [String: Int]?
        let ok = reader.object { reader, key in
          if key.spells("respondent") { return once(&respondent, reader.string()) }
          if key.spells("team") { return once(&team, reader.string()) }
          if key.spells("level") { return once(&level, reader.string()) }
          if key.spells("answers") {
            var scores: [String: Int] = [:]
            scores.reserveCapacity(statements)
            let ok = reader.object { reader, statement in
              guard let id = JSONReader.text(statement), let score = reader.integer() else { return false }
              return scores.updateValue(score, forKey: id) == nil
            }
            statements = scores.count
            return ok && once(&answers, scores)
          }
          return reader.skipValue()
        }
        guard ok, let respondent, let team, let level, let answers else { return false }
        list.append(SurveyResponse(respondent: respondent, team: team, level: level, answers: answers))
        return true
      }
      return ok ? list : nil
    }
  }
}

extension ClientRecord {
  /// The first place the history's hash chain does not hold, or nil when every link and
  /// the head match (`HistoryChain.firstBreak`). For a record the quick reader read, each
  /// event's canonical form is taken from the file's own bytes (see `Canonical`).
  func chainBreak() -> HistoryChain.Break? {
    guard let texts = eventTexts, texts.spans.count == events.count else {
      return HistoryChain.firstBreak(in: events, head: head)
    }
    var canonical = Canonical()
    texts.data.withUnsafeBytes { bytes in
      for (event, span) in zip(events, texts.spans) {
        canonical.follow(event, span.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) })
        if canonical.follower.broken != nil { break }
      }
    }
    return canonical.follower.finish(head: head)
  }
}

/// A history as the quick reader found it in the file: the file's bytes and, for each event
/// whose text is `plain`, where that text lies.
struct EventTexts: Sendable {
  var data: Data
  var spans: [Range<Int>?]
}

/// The history's chain, followed from the file: each event's canonical form is its text in
/// the file with the white space outside strings taken out, when the reader found it
/// `plain`, and written again from the event (`CanonicalEventWriter`) otherwise, so that
/// verifying a long history costs one hash per event and no second writing of it. The
/// forms are the same bytes either way (`FastDecodingTests` holds the two to each other).
private struct Canonical {
  var follower = HistoryChain.Follower()
  private var writer = CanonicalEventWriter()
  private var compact: [UInt8] = []

  mutating func follow(_ event: Event, _ text: UnsafeRawBufferPointer?) {
    guard follower.broken == nil else { return }
    if let text, squeeze(text) {
      compact.withUnsafeBytes { follower.add(previous: event.previous, canonical: UnsafeRawBufferPointer(rebasing: $0[..<length])) }
    } else {
      writer.write(event)
      writer.bytes.withUnsafeBytes { follower.add(previous: event.previous, canonical: $0) }
    }
  }

  /// `text` without white space outside strings, and a newline, into `compact`; false for
  /// text with a backslash (an escape the canonical form may write otherwise). This runs
  /// over every byte of a long history: the backslash is looked for with `memchr`, and each
  /// string (no backslash, so its first quote after the opening one closes it) is found with
  /// `memchr` and copied whole.
  private mutating func squeeze(_ text: UnsafeRawBufferPointer) -> Bool {
    guard let input = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
    let total = text.count
    if memchr(input, 0x5C, total) != nil { return false }
    let capacity = total + 1
    if compact.count < capacity { compact = [UInt8](repeating: 0, count: max(capacity, 2 * compact.count)) }
    let written = compact.withUnsafeMutableBufferPointer { out -> Int? in
      guard let output = out.baseAddress else { return nil }
      var count = 0
      var index = 0
      while index < total {
        let byte = input[index]
        if byte == 0x22 {
          guard let close = memchr(input + index + 1, 0x22, total - index - 1) else { return nil }
          let end = input.distance(to: close.assumingMemoryBound(to: UInt8.self)) + 1
          (output + count).update(from: input + index, count: end - index)
          count += end - index
          index = end
          continue
        }
        index += 1
        if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D { continue }
        output[count] = byte
        count += 1
      }
      output[count] = 0x0A
      return count + 1
    }
    guard let written else { return false }
    length = written
    return true
  }

  /// How many bytes of `compact` the last `squeeze` wrote.
  private var length = 0
}

/// Whether `a` comes before `b` in byte order, as the canonical form sorts keys.
private func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
  let common = min(a.count, b.count)
  if common > 0, let left = a.baseAddress, let right = b.baseAddress {
    let order = memcmp(left, right, common)
    if order != 0 { return order < 0 }
  }
  return a.count < b.count
}

/// Stores `value` in `slot` unless it is missing or the slot was filled already (a
/// duplicate key, which only the slow path may judge).
private func once<Value>(_ slot: inout Value?, _ value: Value?) -> Bool {
  guard slot == nil, let value else { return false }
  slot = value
  return true
}
