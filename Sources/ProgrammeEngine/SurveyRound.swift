import Foundation
import PlaybookSpec

/// One imported round of the client's survey: its name, every response, who imported it
/// and when. Rounds are kept in the order imported; the first one not withdrawn is the
/// baseline later rounds are compared with. A withdrawn round is kept, marked, but counts
/// for nothing.
public struct SurveyRound: Sendable, Hashable {
  /// The round's name, an id such as `round-1` or `after-pilot`.
  public var name: String
  public var responses: [SurveyResponse]
  /// Who imported it.
  public var by: String
  public var at: Date
  /// Who withdrew the round from the benchmark, when and why; nil while it counts.
  public var withdrawn: Stamp?

  public init(name: String, responses: [SurveyResponse], by: String, at: Date, withdrawn: Stamp? = nil) {
    self.name = name
    self.responses = responses
    self.by = by
    self.at = at
    self.withdrawn = withdrawn
  }

  /// Whether the round holds the same answers as `responses`, in whatever order: the same
  /// file imported twice.
  public func hasSameAnswers(as responses: [SurveyResponse]) -> Bool {
    // Respondent ids are unique within a round, so equal sets are equal rounds.
    self.responses.count == responses.count && Set(self.responses) == Set(responses)
  }
}
