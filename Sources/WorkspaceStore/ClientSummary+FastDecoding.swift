import ProgrammeEngine

extension ClientSummary.Listing {
  /// Reads a kept listing (or a whole summary, whose other fields it passes over) the quick
  /// way, straight from its text, or answers `nil` for anything it does not expect (a
  /// duplicate key, a missing field, a number with a fraction), so that `JSONDecoder` reads
  /// it and says what is wrong. A list of 10,000 clients is 10,000 of these, and Foundation's
  /// decoder spent two thirds of such a list's time on them.
  public static func fastDecode(_ text: String) -> ClientSummary.Listing? {
    var text = text
    return text.withUTF8 { utf8 -> ClientSummary.Listing? in
      var reader = JSONReader(UnsafeRawBufferPointer(utf8))
      var fields = Fields()
      guard reader.object({ reader, key in fields.read(key, from: &reader) }), reader.atEnd() else { return nil }
      return fields.listing()
    }
  }

  /// The fields as they are read; each may appear once.
  private struct Fields {
    var version: Int?, client: String?, name: String?, stage: String??, progress: Int?, actions: Int?
    var archived: Bool?, sustaining: Bool?, zone: String??, due: [Int]?

    mutating func read(_ key: UnsafeRawBufferPointer, from reader: inout JSONReader) -> Bool {
      if key.spells("version") { return Self.once(&version, reader.integer()) }
      if key.spells("client") { return Self.once(&client, reader.string()) }
      if key.spells("name") { return Self.once(&name, reader.string()) }
      if key.spells("stage") { return Self.once(&stage, Self.optional(&reader) { $0.string() }) }
      if key.spells("progress") { return Self.once(&progress, reader.integer()) }
      if key.spells("actions") { return Self.once(&actions, reader.integer()) }
      if key.spells("archived") { return Self.once(&archived, reader.boolean()) }
      if key.spells("sustaining") { return Self.once(&sustaining, reader.boolean()) }
      if key.spells("zone") { return Self.once(&zone, Self.optional(&reader) { $0.string() }) }
      if key.spells("due") {
        var days: [Int] = []
        guard due == nil, reader.array({ reader in
          guard let day = reader.integer() else { return false }
          days.append(day)
          return true
        }) else { return false }
        due = days
        return true
      }
      // The summary's other fields (the pages' next actions, gates and dates), or one a
      // later Accord adds.
      return reader.skipValue()
    }

    /// Sets `field` to `value` if it was not set before and `value` was read.
    private static func once<T>(_ field: inout T?, _ value: T?) -> Bool {
      guard field == nil, let value else { return false }
      field = value
      return true
    }

    /// `null` as `.some(nil)`, a value `read` reads as `.some(value)`, else `nil`.
    private static func optional(_ reader: inout JSONReader, _ read: (inout JSONReader) -> String?) -> String?? {
      if reader.null() { return .some(nil) }
      return read(&reader).map { .some($0) }
    }

    func listing() -> ClientSummary.Listing? {
      guard let client, let name, let progress, let actions, let archived, let sustaining, let due else { return nil }
      // An absent stage or zone is null, as JSONDecoder's decodeIfPresent reads it; an
      // absent version is 1 (a summary kept before summaries had one).
      return ClientSummary.Listing(
        version: version ?? 1, client: client, name: name, stage: stage ?? nil, progress: progress, actions: actions,
        archived: archived, sustaining: sustaining, zone: zone ?? nil, due: due)
    }
  }
}
