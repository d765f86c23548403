import BundledPlaybooks
import Foundation
import PlaybookSpec
import ProgrammeEngine
import Testing
import WorkspaceStore

/// What every store promises (`ClientStore`), held against each kind of store alike: the
/// folder and the database must be interchangeable under the application layer.
@Suite("Store conformance")
struct StoreConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func aNewStoreHoldsNothingAndTheDefaults(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      #expect(try await store.clientIDs() == [])
      #expect(try await store.accessBook() == AccessBook())
      #expect(try await store.settings() == WorkspaceSettings())
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aClientIsKeptAsRevisionOneAndReadBackAsKept(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let started = try Client.started("acme")
      let kept = try await store.create(started.record)
      #expect(kept.revision == 1)
      #expect(kept.format == ClientRecord.currentFormat)
      #expect(kept.head != nil)
      #expect(kept.events.map(\.id) == started.record.events.map(\.id))
      #expect(try await store.load(ClientID("acme")) == kept)
      _ = try await store.create(try Client.started("globex").record)
      #expect(try await store.clientIDs().map(\.rawValue) == ["acme", "globex"])
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aSecondClientWithTheSameIDIsRefusedAndTheFirstKept(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let kept = try await store.create(try Client.started("acme").record)
      await #expect(throws: StoreFailure.clientExists(client: "acme")) {
        try await store.create(try Client.started("acme", name: "Another Acme").record)
      }
      #expect(try await store.load(ClientID("acme")) == kept)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func anUnknownClientIsSaidSoWithTheNearestID(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      _ = try await store.create(try Client.started("acme").record)
      await #expect(throws: StoreFailure.noSuchClient(client: "acne", suggestion: "acme")) {
        try await store.load(ClientID("acne"))
      }
      await #expect(throws: StoreFailure.noSuchClient(client: "globex", suggestion: nil)) {
        try await store.load(ClientID("globex"))
      }
    }
  }

  @Test(arguments: StoreKind.allCases)
  func anAppendAtTheLengthReadIsKeptAndAStaleOneRefused(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let read = try await store.create(try Client.started("acme").record)
      let length = read.events.count
      let first = try Client.changed(read, .assigned(role: "czar", person: "sam"))
      let kept = try await store.append(first, after: length)
      #expect(kept.revision == 2)
      #expect(kept.events.count == length + 1)
      #expect(kept.assignments["czar"] == "sam")
      #expect(kept.events.last?.id == first.events.last?.id)

      // Decided against the same read: another append got there first.
      let second = try Client.changed(read, .assigned(role: "czar", person: "kim"))
      await #expect(throws: StoreFailure.lengthTaken(client: "acme", length: length, found: length + 1)) {
        try await store.append(second, after: length)
      }
      #expect(try await store.load(ClientID("acme")) == kept)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func ofManyAppendsDecidedAgainstOneReadExactlyOneIsKept(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let read = try await store.create(try Client.started("acme").record)
      let people = (1...8).map { "person\($0)" }
      let outcomes = await withTaskGroup(of: Result<ClientRecord, StoreFailure>.self) { group in
        for person in people {
          let record = try! Client.changed(read, .assigned(role: "czar", person: person))
          group.addTask {
            do throws(StoreFailure) { return .success(try await store.append(record, after: read.events.count)) } catch {
              return .failure(error)
            }
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      let kept = outcomes.compactMap { try? $0.get() }
      #expect(kept.count == 1)
      for case let .failure(failure) in outcomes {
        #expect(failure == .lengthTaken(client: "acme", length: read.events.count, found: read.events.count + 1))
      }
      let now = try await store.load(ClientID("acme"))
      #expect(now.revision == 2)
      #expect(now == kept.first)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func anEventSentAgainIsKeptOnce(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let read = try await store.create(try Client.started("acme").record)
      let once = try await store.append(try Client.changed(read, .assigned(role: "czar", person: "sam")), after: read.events.count)
      // The same event (same id) again, on top of the history that already holds it.
      var again = once
      again.events.append(once.events.last!)
      let id = try #require(once.events.last?.id)
      await #expect(throws: StoreFailure.duplicateEvent(client: "acme", id: id)) {
        try await store.append(again, after: once.events.count)
      }
      #expect(try await store.load(ClientID("acme")) == once)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aClientIsReadAsItStoodAtAnyLength(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      var record = try await store.create(try Client.started("acme").record)
      for person in ["sam", "kim", "lee"] {
        record = try await store.append(
          try Client.changed(record, .assigned(role: "czar", person: person)), after: record.events.count)
      }
      let id = try ClientID("acme")
      let start = record.events.count - 3
      for (offset, person) in ["sam", "kim", "lee"].enumerated() {
        let then = try await store.load(id, length: start + offset + 1)
        #expect(then.events == Array(record.events[..<(start + offset + 1)]))
        #expect(then.assignments["czar"] == person)
        #expect(then.playbook == record.playbook)
      }
      await #expect(throws: StoreFailure.noSuchLength(client: "acme", length: record.events.count + 1, newest: record.events.count)) {
        try await store.load(id, length: record.events.count + 1)
      }
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aClientFromAnotherStoreIsKeptExactlyAsItWasKept(_ kind: StoreKind) async throws {
    // Kept in a folder first, with a few revisions behind it.
    var original = ClientRecord?.none
    try await withStore(.folder) { folder async throws in
      var record = try await folder.create(try Client.started("acme").record)
      for person in ["sam", "kim"] {
        record = try await folder.append(
          try Client.changed(record, .assigned(role: "czar", person: person)), after: record.events.count)
      }
      original = try await folder.load(ClientID("acme"))
    }
    let record = try #require(original)
    try await withStore(kind) { store async throws in
      try await store.adopt(record)
      let kept = try await store.load(ClientID("acme"))
      #expect(kept == record)
      #expect(kept.revision == 3 && kept.head == record.head && kept.format == record.format)
      await #expect(throws: StoreFailure.clientExists(client: "acme")) { try await store.adopt(record) }
      // It carries on from where it was.
      let next = try await store.append(
        try Client.changed(kept, .assigned(role: "czar", person: "lee")), after: kept.events.count)
      #expect(next.revision == 4)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func anUpgradeKeepsTheNewTextAndTheEarlierOne(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let read = try await store.create(try Client.started("acme").record)
      let upgraded = try Client.upgraded(read)
      let kept = try await store.append(upgraded, after: read.events.count)
      #expect(kept.playbook.version == Client.playbook.version + 1)
      #expect(kept.earlierPlaybooks == [read.playbook])
      #expect(try await store.load(ClientID("acme")) == kept)
      // Read as it stood before the upgrade: the text then in force.
      #expect(try await store.load(ClientID("acme"), length: read.events.count).playbook == read.playbook)
      // And on, on the new text.
      var programme = try #require(kept.programme(after: kept.events.count))
      try programme.record(
        .assigned(role: "czar", person: "sam"), by: "dana", at: Client.start + 3_600, id: EventID.make())
      var change = kept
      change.adopt(programme)
      let next = try await store.append(change, after: kept.events.count)
      #expect(next.assignments["czar"] == "sam")
      #expect(try await store.load(ClientID("acme")) == next)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func theListingSaysWhatEachHistoryGivesInTheZoneOfTheDay(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      var acme = try await store.create(try Client.started("acme").record)
      acme = try await store.append(
        try Client.changed(acme, .assigned(role: "czar", person: "sam")), after: acme.events.count)
      _ = try await store.create(try Client.started("globex", name: "Globex").record)
      let utc = TimeZone(identifier: "UTC")!
      func expected(_ zone: TimeZone) async throws -> [ClientSummary] {
        var summaries: [ClientSummary] = []
        for id in try await store.clientIDs() { summaries.append(try await store.load(id).summary(zone: zone)) }
        return summaries
      }
      let listed = try await store.summaries()
      #expect(listed.map(\.id.rawValue) == ["acme", "globex"])
      #expect(try listed.map { try $0.summary.get() } == (try await expected(utc)))
      #expect(try listed.first?.summary.get().actions == (try await store.load(ClientID("acme")).verifiedProgramme().nextActions().actions.count))

      // Another zone: the dates are days there now.
      let tokyo = TimeZone(identifier: "Asia/Tokyo")!
      try await store.updateSettings { $0.timeZone = "Asia/Tokyo" }
      #expect(try (await store.summaries()).map { try $0.summary.get() } == (try await expected(tokyo)))
    }
  }

  @Test(arguments: StoreKind.allCases)
  func theAccessBookAndSettingsAreKeptWholeOrNotAtAll(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let now = Date(timeIntervalSince1970: 1_796_000_000)
      let link = try await store.updateAccessBook { book in
        book.grant("sam", to: "acme", by: "dana", now: now)
        return book.createToken(for: "sam", client: "acme", by: "dana", now: now, expiresAt: now + 86_400).token
      }
      let book = try await store.accessBook()
      #expect(book.token(link, now: now)?.person == "sam")

      struct Refused: Error {}
      await #expect(throws: Refused.self) {
        try await store.updateAccessBook { book in
          book = AccessBook()
          throw Refused()
        }
      }
      #expect(try await store.accessBook() == book)

      try await store.updateSettings { $0.timeZone = "Europe/London" }
      #expect(try await store.settings().timeZone == "Europe/London")
      await #expect(throws: Refused.self) {
        try await store.updateSettings { settings in
          settings.timeZone = "Asia/Tokyo"
          throw Refused()
        }
      }
      #expect(try await store.settings().timeZone == "Europe/London")
    }
  }
}

/// Clients for the suite, made as the commands make them: started on the bundled
/// alignment playbook, and changed through the engine's one way to record a change.
enum Client {
  static let source = BundledPlaybooks.text(named: BundledPlaybooks.defaultName)!
  static let playbook = try! Playbook.parse(source, file: BundledPlaybooks.defaultName)
  static let start = Date(timeIntervalSince1970: 1_796_000_000)

  static func started(_ id: String, name: String = "Acme Ltd") throws -> (record: ClientRecord, programme: Programme) {
    let event = Event(
      .started(client: id, name: name, playbook: SHA256.hex(source.utf8)), by: "dana", at: start, id: EventID.make())
    let programme = try Programme(playbook: playbook, start: event)
    return (try ClientRecord(starting: programme, source: source, origin: "bundled:alignment.yaml"), programme)
  }

  /// The bundled playbook's text as its next version.
  static let upgradedSource = source.replacingOccurrences(
    of: "\nversion: \(playbook.version)\n", with: "\nversion: \(playbook.version + 1)\n")
  static let upgradedPlaybook = try! Playbook.parse(upgradedSource, file: BundledPlaybooks.defaultName)

  /// `record`, started on the bundled playbook, moved to `upgradedSource` by its consultant.
  static func upgraded(_ record: ClientRecord) throws -> ClientRecord {
    var programme = try Programme(playbook: playbook, sha256: record.playbook.sha256, history: record.events)
    let from = PlaybookVersion(id: playbook.id, version: playbook.version, sha256: record.playbook.sha256)
    let to = PlaybookVersion(id: playbook.id, version: playbook.version + 1, sha256: SHA256.hex(upgradedSource.utf8))
    let event = Event(
      .upgraded(from: from, to: to), by: "dana", at: start + Double(record.events.count) * 60,
      note: "the next version", id: EventID.make())
    try programme.upgrade(to: upgradedPlaybook, event, force: true)
    var next = record
    next.adopt(
      programme,
      upgradedTo: StoredPlaybook(
        id: playbook.id, version: playbook.version + 1, title: record.playbook.title, origin: "test:upgraded.yaml",
        source: upgradedSource))
    return next
  }

  /// `record` with `change` made by its consultant (saying `note`), as the next event.
  static func changed(_ record: ClientRecord, _ change: Change, note: String? = nil) throws -> ClientRecord {
    var programme = try Programme(playbook: playbook, sha256: record.playbook.sha256, history: record.events)
    try programme.record(
      change, by: "dana", at: start + Double(record.events.count) * 60, note: note, id: EventID.make())
    var next = record
    next.adopt(programme)
    return next
  }
}
