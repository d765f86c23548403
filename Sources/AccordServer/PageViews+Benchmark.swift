import CollaborationBenchmark
import Foundation
import OpportunityCalculator
import ProgrammeEngine

extension PageViews {
  /// A page of the CLI's own text renderings, each in a section.
  struct TextPage {
    var clientName: String
    var clientHref: String
    var heading: String
    var sections: [TextSection]
  }

  struct TextSection {
    var title: String
    var lines: [String]
    var note: String?
    /// Stored, not computed: templates see stored properties only (through `Mirror`).
    var hasLines: Bool

    init(title: String, lines: [String], note: String? = nil) {
      self.title = title
      self.lines = lines
      self.note = note
      hasLines = !lines.isEmpty
    }
  }

  /// The benchmark of the latest counted round, compared with the first (as `accord
  /// benchmark CLIENT` shows it), and the opportunity from the stored inputs (as `accord
  /// opportunity CLIENT` shows it), each in the CLI's own text.
  /// `answers`: how many answers each round open on the web holds, all that is shown of it.
  static func benchmarkPage(_ programme: Programme, answers: [String: Int] = [:]) -> TextPage {
    var sections: [TextSection] = []
    let client = programme.client
    if !programme.openSurveyRounds.isEmpty {
      sections.append(
        TextSection(
          title: "Open on the web",
          lines: programme.openSurveyRounds.map { round in
            let count = answers[round.name] ?? 0
            return "\(round.name): \(count) answer\(count == 1 ? "" : "s") so far"
              + (round.closes.map { ", closes after \($0)" } ?? "")
          },
          note: "Only the number of answers is shown until a round is closed."))
    }
    if let survey = programme.playbook.survey {
      let counted = programme.countedRounds
      if let chosen = counted.last, let first = counted.first {
        let result = Benchmark(survey: survey, responses: chosen.responses)
        let comparison: (baseline: SurveyRound, RoundComparison)? =
          chosen.name == first.name
          ? nil
          : (first, RoundComparison(baseline: Benchmark(survey: survey, responses: first.responses), current: result))
        sections.append(
          TextSection(title: "Benchmark", lines: plain.benchmark(programme, round: chosen, result, comparison: comparison)))
      } else {
        sections.append(
          TextSection(
            title: "Benchmark", lines: [],
            note: "No survey round has been counted yet: the consultant imports one with "
              + "accord survey import \(client) FILE."))
      }
    } else {
      sections.append(TextSection(title: "Benchmark", lines: [], note: "This playbook has no survey."))
    }
    if let stored = programme.opportunity {
      sections.append(
        TextSection(
          title: "Opportunity",
          lines: plain.opportunity(Opportunity(stored.inputs), title: programme.headline, setting: stored)))
    } else {
      sections.append(
        TextSection(
          title: "Opportunity", lines: [],
          note: "No opportunity inputs are stored yet: the consultant sets them with accord opportunity \(client)."))
    }
    return TextPage(
      clientName: programme.headline, clientHref: clientHref(client), heading: "Benchmark and opportunity",
      sections: sections)
  }
}
