import Foundation
import PlaybookSpec

/// One imported round of the client's survey: its name, every response, who imported it
/// and when. Rounds are kept in the order imported; the first is the baseline later
/// rounds are compared with.
public struct SurveyRound: Sendable, Hashable {
  /// The round's name, an id such as `round-1` or `after-pilot`.
  public var name: String
  public var responses: [SurveyResponse]
  /// Who imported it.
  public var by: String
  public var at: Date

  public init(name: String, responses: [SurveyResponse], by: String, at: Date) {
    self.name = name
    self.responses = responses
    self.by = by
    self.at = at
  }
}
