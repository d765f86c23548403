import Foundation
import HTTPTypes
import HummingbirdTesting
import PlaybookSpec
import ProgrammeEngine
import Testing

@testable import AccordServer

/// The client page's history: every event a sentence in words, newest first, its time in the
/// workspace's zone, its note under it, and only the events the viewer may see.
@Suite("Client page history")
struct HistoryPageTests {
  let fixture: WebPageFixture
  var accord: AccordBinary { fixture.accord }

  init() throws {
    fixture = try WebPageFixture()
  }

  /// The `<ol class="history">` of `html`, and each of its items.
  static func items(_ html: String) throws -> [String] {
    let list = try #require(html.firstMatch(of: /<ol class="history">([\s\S]*?)<\/ol>/)?.1)
    return Array(String(list).components(separatedBy: "<li>").dropFirst())
  }

  @Test func everyEventIsASentenceWithItsTimeAndNoteNewestFirst() async throws {
    try fixture.seed(ready: true)
    try #require(try accord("zone", "Europe/London").status == 0)
    let signed = try accord("sign", "acme", "collaboration-charter", "--yes", as: "sid")
    try #require(signed.status == 0, "\(signed.stderr)")
    let recorded = try accord(
      "metric", "record", "acme", "content-used", "27.5", "--date", "2026-10-05", "--note",
      "From the CMS\nsee https://cms.example/reports/a-very-long-address-that-must-wrap-on-a-phone", as: "carol")
    try #require(recorded.status == 0, "\(recorded.stderr)")
    let secret = try fixture.invite("carol", to: "acme")
    let page = try await fixture.live { client in
      try await client.get("/clients/acme", session: try await client.signIn(secret))
    }
    #expect(page.status == .ok)
    let html = page.html
    let section = try #require(html.firstMatch(of: /<h2>History<\/h2>[\s\S]*?<\/section>/)?.0)
    #expect(!section.contains("<pre"))
    let items = try Self.items(html)
    let events = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(items.count == events.count)
    for item in items {
      // A sentence, its time as a date in words, and no event type's name.
      #expect(item.contains("<p class=\"event\">") && item.contains(".</p>"))
      #expect(item.firstMatch(of: /<time datetime="[0-9T:Z-]+">(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}<\/time>/) != nil, "\(item)")
      for kind in Change.kinds where kind.type.contains(where: \.isUppercase) {
        #expect(!item.contains(kind.type), "\(kind.type) in \(item)")
      }
    }
    // Newest first: the reading, its note as a paragraph under it; the signature before it.
    let newest = try #require(items.first)
    #expect(newest.contains("carol recorded <span class=\"named\" title=\"content-used\">"), "\(newest)")
    #expect(newest.contains(": 27.5% for Mon 5 Oct 2026."))
    #expect(newest.contains("<p class=\"note\">From the CMS\nsee https://cms.example/reports/"), "\(newest)")
    let signature = try #require(items.dropFirst().first)
    #expect(signature.contains("sid signed <span class=\"named\" title=\"collaboration-charter\">How sales and marketing"))
    #expect(signature.firstMatch(of: /on terms <code title="[0-9a-f]{64}">[0-9a-f]{12}<\/code>\./) != nil, "\(signature)")
    #expect(items.last?.contains("alice started the programme for <span class=\"named\" title=\"acme\">Acme Ltd</span>") == true)
    #expect(html.contains("imported the survey round &#39;round-1&#39;: "))
  }

  @Test func theRostersEventsAreShownOnlyToThoseWhoKeepIt() async throws {
    try fixture.seed()
    let roster = accord.folder.appendingPathComponent("roster.csv")
    try Data("name,email,team,level\ndana,dana@acme.example,sales,manager\n".utf8).write(to: roster)
    let imported = try accord("people", "import", "acme", roster.path)
    try #require(imported.status == 0, "\(imported.stderr)")
    let czar = try fixture.invite("carol", to: "acme")
    let sponsor = try fixture.invite("sid", to: "acme")
    let (kept, shown) = try await fixture.live { client in
      let carol = try await client.get("/clients/acme", session: try await client.signIn(czar))
      let sid = try await client.get("/clients/acme", session: try await client.signIn(sponsor))
      return (carol.html, sid.html)
    }
    #expect(kept.contains("put dana &lt;dana@acme.example&gt; on the roster, in Sales, Managers"))
    #expect(!shown.contains("dana"))
    #expect(try Self.items(shown).count == (try Self.items(kept).count) - 1)
  }

  /// Every kind of event the record declares (`Change.kinds`, so a new kind is in this test
  /// the day it is added) has a sentence: its actor first, things by their titles, and
  /// never the kind's name.
  @Test(arguments: Change.kinds.map(\.type))
  func everyKindOfEventHasASentence(_ type: String) throws {
    let kind = try #require(EventKind.named(type))
    let playbook = try Playbook.parse(
      try String(contentsOf: AccordBinary.packageRoot.appendingPathComponent("playbooks/alignment.yaml"), encoding: .utf8),
      file: "alignment.yaml")
    let milestone = try #require(playbook.stages.first?.milestones.first)
    let hash = String(repeating: "ab", count: 32)
    let values: [FieldValue] = kind.fields.map { field in
      switch field.shape {
      case .text:
        switch field {
        case .milestone, .item: .text(milestone.id)
        case .date, .until: .text("2026-12-07")
        case .value: .text("42")
        case .sha256: .text(hash)
        default: .text("x-\(field.rawValue)")
        }
      case .optionalText: .optionalText(field == .terms || field == .playbook ? hash : "3")
      case .responses: .responses([])
      case .inputs: .inputs(OpportunityInputs(marketingStaff: 10, costPerHead: 60000, contentShare: 50))
      case .playbook: .playbook(PlaybookVersion(id: "alignment", version: 1, sha256: hash))
      }
    }
    let change = try #require(kind.change(values))
    let event = Event(change, by: "carol", at: Date(timeIntervalSince1970: 1_796_652_300), note: "why\nand how")
    let zone = try #require(TimeZone(identifier: "Europe/London"))
    let item = try #require(PageViews.history([event], playbook: playbook, zone: zone).first)
    let sentence = item.sentence.map(\.text).joined()
    #expect(sentence.hasPrefix("carol "), "\(type): \(sentence)")
    #expect(sentence.count > "carol ".count + 5)
    #expect(!sentence.contains(type) || !type.contains(where: \.isUppercase), "\(type): \(sentence)")
    if case .text(milestone.id) = values.first {
      #expect(sentence.contains(milestone.title), "\(type): \(sentence)")
      #expect(item.sentence.contains { $0.named && $0.title == milestone.id })
    }
    for phrase in item.sentence where phrase.hash {
      #expect(phrase.text.count == 12 && phrase.title == hash)
    }
    #expect(item.when == "Mon 7 Dec 2026, 14:05")
    #expect(item.note == "why\nand how")
    let html = PageTemplates.library.render(["history": [item]], withTemplate: "history") ?? ""
    #expect(html.contains("<p class=\"note\">why\nand how</p>"))
    #expect(html.contains("<time datetime=\"2026-12-07T14:05:00Z\">Mon 7 Dec 2026, 14:05</time>"))
  }
}
