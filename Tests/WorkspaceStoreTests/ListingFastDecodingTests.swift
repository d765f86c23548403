import Foundation
import ProgrammeEngine
import Testing
import WorkspaceStore

/// The quick reader of a kept listing reads what `JSONDecoder` reads, or nothing.
@Suite("A kept listing, read the quick way")
struct ListingFastDecodingTests {
  /// As PostgreSQL prints a `jsonb` (a space after each colon and comma, its own key order),
  /// as JSONEncoder writes one, and as a whole summary holds one among the pages' fields.
  static let texts = [
    #"{"due": [20700, 20712], "name": "Acme \"Holdings\"", "zone": "Europe/London", "stage": "benchmark", "client": "acme", "actions": 3, "version": 2, "archived": false, "progress": 25, "sustaining": false}"#,
    #"{"actions":0,"archived":true,"client":"globex","due":[],"name":"Globex","progress":100,"stage":null,"sustaining":true,"version":2,"zone":null}"#,
    #"{"actions":1,"archived":false,"blocked":[{"gate":"g","waiting":["x"]}],"client":"initech","complete":false,"dated":true,"dates":{"m":{"date":20000,"item":"m","kind":"milestone","scheduled":false,"stage":"s"}},"delegations":[],"due":[20000],"name":"Initech","open":[{"kind":"complete","role":"czar","stage":"s","target":"m","title":"M"}],"place":{"of":3,"position":1,"state":"open","title":"S"},"progress":0,"stage":"s","sustaining":false,"version":2,"zone":"UTC"}"#,
    // Kept before summaries had a version: version 1; no stage or zone key: null.
    #"{"actions":2,"archived":false,"client":"hooli","due":[],"name":"Hooli","progress":10,"sustaining":false}"#,
  ]

  @Test(arguments: texts) func readsWhatJSONDecoderReads(_ text: String) throws {
    let decoded = try JSONDecoder().decode(ClientSummary.Listing.self, from: Data(text.utf8))
    #expect(ClientSummary.Listing.fastDecode(text) == decoded)
  }

  @Test func theVersionAndTheNullsAreReadAsTheDecoderReadsThem() throws {
    let old = try #require(ClientSummary.Listing.fastDecode(Self.texts[3]))
    #expect(old.version == 1 && !old.isCurrent && old.stage == nil && old.zone == nil)
    let second = try #require(ClientSummary.Listing.fastDecode(Self.texts[0]))
    #expect(second.version == 2 && second.name == #"Acme "Holdings""# && second.due == [20700, 20712])
    #expect(second.isCurrent == (ClientSummary.currentVersion == 2))
  }

  /// Anything unusual is left to JSONDecoder, which says what is wrong.
  @Test(arguments: [
    #"{"actions":1,"actions":2,"archived":false,"client":"a","due":[],"name":"A","progress":0,"sustaining":false}"#,
    #"{"actions":1.5,"archived":false,"client":"a","due":[],"name":"A","progress":0,"sustaining":false}"#,
    #"{"actions":1,"archived":"no","client":"a","due":[],"name":"A","progress":0,"sustaining":false}"#,
    #"{"actions":1,"archived":false,"client":"a","due":[1,"2"],"name":"A","progress":0,"sustaining":false}"#,
    #"{"archived":false,"client":"a","due":[],"name":"A","progress":0,"sustaining":false}"#,
    #"{"actions":1,"archived":false,"client":"a","due":[],"name":"A","progress":0,"sustaining":false} x"#,
    "",
  ])
  func answersNothingForWhatItDoesNotExpect(_ text: String) {
    #expect(ClientSummary.Listing.fastDecode(text) == nil)
  }
}
