import Foundation
import ProgrammeEngine

extension SeenRevisions {
  /// SHA-256 fingerprints of the first `count` events and of all of them, in one pass.
  ///
  /// Histories only ever grow, so a later revision of what this machine saw starts with
  /// exactly the events it saw: comparing the fingerprint of that prefix tells a later
  /// revision from a different one. Each event is hashed as its fields, every one preceded
  /// by its length, rather than as JSON, so the fingerprint does not move when the file's
  /// layout does (a later format adding keys, a different encoder).
  static func fingerprints(of events: [Event], at count: Int) -> (prefix: String, whole: String) {
    var hasher = SHA256()
    var prefix: String?
    for (position, event) in events.enumerated() {
      if position == count { prefix = hex(hasher) }
      for field in fields(of: event) {
        hasher.update("\(field.utf8.count):".utf8)
        hasher.update(field.utf8)
      }
    }
    let whole = hex(hasher)
    return (prefix ?? whole, whole)
  }

  private static func fields(of event: Event) -> [String] {
    let (kind, values) = event.change.parts
    var fields = [kind.type, event.by, Timestamp.format(event.at)]
    // A missing note and an empty one are different records.
    fields.append(event.note.map { "+" + $0 } ?? "-")
    var text: [String] = []
    var structured = false
    for value in values {
      switch value {
      case let .text(value): text.append(value)
      // An absent optional field adds nothing, so that events written before the field
      // existed keep their fingerprints; a present one is marked, as a note is.
      case let .optionalText(value): if let value { text.append("+" + value) }
      case .responses, .inputs, .playbook: structured = true
      }
    }
    // A change with a structured field is stood for by its compact JSON with sorted keys;
    // one of text fields alone, by those fields in the order its kind declares them.
    fields += structured ? [Self.canonicalJSON(of: event.change)] : text
    // The fields of an act for someone else and `via`, only when present (so that every other event's
    // fingerprint is as it always was), each tagged with its name: a kind's own fields are
    // fixed in number and an optional one is marked "+", so a tag cannot be mistaken for one.
    if let holder = event.holder { fields.append("holder=" + holder) }
    if let other = event.onBehalfOf { fields.append("onBehalfOf=" + other) }
    if let evidence = event.evidence {
      fields.append("evidence=" + evidence.name)
      fields.append("evidence.sha256=" + evidence.sha256)
    }
    if let via = event.via { fields.append("via=" + via.rawValue) }
    if let printer = event.printedBy { fields.append("printedBy=" + printer) }
    // An absent id adds nothing, so that a history from before ids keeps its fingerprint.
    if let id = event.id { fields.append("id=" + id) }
    return fields
  }

  private static func canonicalJSON(of change: Change) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let event = Event(change, by: "", at: Date(timeIntervalSince1970: 0))
    return (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? ""
  }

  /// The digest so far, leaving `hasher` free to take more (for the prefix's fingerprint).
  private static func hex(_ hasher: SHA256) -> String {
    var copy = hasher
    return copy.hexDigest()
  }
}
