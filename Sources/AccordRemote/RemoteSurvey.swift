import AccordKit
import Foundation

/// What `accord survey open` sends the server for a round it opens on a laptop's behalf:
/// the command's options, checked again there.
package struct RemoteSurveyOpening: Codable, Sendable, Equatable {
  package var round: String?
  /// Single-use links to make; nil for one shared link.
  package var codes: Int?
  /// The last day answers are taken (YYYY-MM-DD, UTC).
  package var closes: String?
  package var note: String?

  package init(round: String?, codes: Int?, closes: String?, note: String?) {
    self.round = round
    self.codes = codes
    self.closes = closes
    self.note = note
  }
}

/// The server's answer to a round opened: its name, whether its one code is shared, and
/// the codes, which the laptop makes links of (BASE/survey/CODE). The server keeps only
/// their hashes: this answer is the one place they are shown.
package struct RemoteSurveyOpened: Codable, Sendable, Equatable {
  package var round: String
  package var shared: Bool
  package var codes: [String]

  package init(round: String, shared: Bool, codes: [String]) {
    self.round = round
    self.shared = shared
    self.codes = codes
  }
}

extension HTTPRemote {
  package func openSurvey(_ client: String, _ opening: RemoteSurveyOpening) async throws -> RemoteSurveyOpened {
    let call = "POST /api/v1/clients/\(client)/survey/open"
    let answer = try await self.call("POST", "clients/\(client)/survey/open", body: try Self.encoded(opening))
    return try Self.decode(RemoteSurveyOpened.self, from: answer, call)
  }

  package func closeSurvey(_ client: String, round: String, note: String?) async throws -> String {
    struct Closing: Encodable {
      var round: String
      var note: String?
    }
    // The answer is `survey close --json`'s: the event made is all the laptop needs of it.
    struct Closed: Decodable {
      struct Made: Decodable { var id: String }
      var event: Made
    }
    let call = "POST /api/v1/clients/\(client)/survey/close"
    let answer = try await self.call(
      "POST", "clients/\(client)/survey/close", body: try Self.encoded(Closing(round: round, note: note)))
    return try Self.decode(Closed.self, from: answer, call).event.id
  }

  package func surveyStatus(_ client: String) async throws -> SurveyStatusJSON {
    let call = "GET /api/v1/clients/\(client)/survey/status"
    return try Self.decode(SurveyStatusJSON.self, from: try await self.call("GET", "clients/\(client)/survey/status"), call)
  }

  static func encoded(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
  }
}
