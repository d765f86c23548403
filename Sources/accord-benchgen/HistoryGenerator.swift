import SeededRandom
import BundledPlaybooks
import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// Long but valid histories on the standard playbook: the programme moves forward as
/// `next` says, with the churn real clients have (milestones reopened and redone,
/// signatures revoked and given again, roles handed over), every event checked by the engine.
enum HistoryGenerator {
  static let people = [
    "consultant": ["alice", "adam"], "czar": ["carol", "chris"], "sponsor": ["sid", "sara"],
    "head-of-sales": ["sam", "sue"], "head-of-marketing": ["mia", "max"],
    "sales-manager": ["sean", "seb"], "marketing-manager": ["meg", "mo"],
  ]

  static func write(
    _ id: String, events: Int, to folder: String, source given: String? = nil, sealed: Bool = true,
    random: inout SeededRandom
  ) throws {
    let name = BundledPlaybooks.defaultName
    let source = given ?? BundledPlaybooks.text(named: name)!
    let playbook = try Playbook.parse(source, file: name)
    var clock = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
    func event(_ change: Change, by person: String, note: String? = nil) -> Event {
      clock.addTimeInterval(Double(Int.random(in: 60...7200, using: &random)))
      return Event(change, by: person, at: clock, note: note)
    }
    var programme = try Programme(
      playbook: playbook, start: event(.started(client: id, name: "Client \(id)", playbook: sealed ? SHA256.hex(source.utf8) : nil), by: "alice"))
    for role in playbook.roles.map(\.id) where role != consultantRole {
      try programme.apply(event(.assigned(role: role, person: people[role]?[0] ?? role), by: "alice"))
    }
    while programme.history.count < events {
      let roll = Int.random(in: 0..<100, using: &random)
      let change: Change
      var note: String?
      if roll < 55, let action = programme.nextActions().actions.filter({ $0.kind != .assign }).randomElement(using: &random) {
        switch action.kind {
        case .complete: change = .completed(milestone: action.target)
        case .sign: change = .signed(agreement: action.target, role: action.role)
        case .survey, .assign:
          guard let survey = playbook.survey else { continue }
          change = .surveyImported(round: "round-\(programme.history.count)", responses: responses(survey, random: &random))
        case .acknowledge, .affirm:
          // The generated playbooks keep no roster and hand no role over.
          continue
        case .record, .review:
          // A reading of the metric the action names, for the day it is recorded: as small
          // an event as a real one, where a survey round is thirty responses.
          guard let metric = playbook.metrics.first(where: { $0.id == action.target }) else { continue }
          change = .metricRecorded(
            metric: metric.id, value: reading(of: metric, random: &random), date: CalendarDate(clock, in: .gmt).description)
        }
        note = roll < 10 ? "Done in the \(["Monday", "Thursday"].randomElement(using: &random)!) workshop" : nil
      } else if roll < 75, let milestone = playbook.stages.flatMap(\.milestones).filter({ programme.isDone($0.id) }).randomElement(using: &random) {
        change = .reopened(milestone: milestone.id)
        note = "Reopened after review"
      } else if roll < 90, let agreement = playbook.stages.flatMap(\.agreements).randomElement(using: &random),
        let signature = programme.signatures(of: agreement.id).randomElement(using: &random)
      {
        try programme.apply(event(.revoked(agreement: agreement.id, role: signature.role), by: signature.person, note: "Terms revisited"))
        continue
      } else {
        let role = playbook.roles.map(\.id).randomElement(using: &random)!
        let person = people[role]?.randomElement(using: &random) ?? role
        guard programme.assignments[role] != person else { continue }
        change = .assigned(role: role, person: person)
      }
      let actor = actor(for: change, in: programme)
      do {
        try programme.apply(event(change, by: actor, note: note))
      } catch {
        continue  // the churn may pick something the rules refuse: skip it, as a person would be
      }
    }
    // End with work to do, so the benchmark's `accord complete` has a ready milestone:
    // the first milestone has no needs, so once reopened it is ready again.
    let first = playbook.stages[0].milestones[0].id
    if programme.isDone(first) {
      let consultant = programme.assignments[consultantRole] ?? "alice"
      try programme.apply(event(.reopened(milestone: first), by: consultant, note: "Stakeholders changed"))
    }
    let record = try ClientRecord(starting: programme, source: source, origin: "bundled:\(name)")
    let workspace = Workspace(directory: URL(fileURLWithPath: folder, isDirectory: true))
    try workspace.create(record)
  }

  /// A round of 30 answers, as a survey tool would export them.
  private static func responses(_ survey: Survey, random: inout SeededRandom) -> [SurveyResponse] {
    (1...30).map { number in
      SurveyResponse(
        respondent: "r\(number)", team: survey.teams.randomElement(using: &random)!.id,
        level: survey.levels.randomElement(using: &random)!.id,
        answers: Dictionary(uniqueKeysWithValues: survey.statements.map {
          ($0.id, Int.random(in: survey.scale.minimum...survey.scale.maximum, using: &random))
        }))
    }
  }

  /// Who would make the change: the owner or signatory, else the consultant.
  private static func actor(for change: Change, in programme: Programme) -> String {
    let consultant = programme.assignments[consultantRole] ?? "alice"
    switch change {
    case let .completed(milestone):
      let owner = programme.playbook.stages.flatMap(\.milestones).first { $0.id == milestone }?.owner.id
      return owner.flatMap { programme.assignments[$0] } ?? programme.assignments[czarRole] ?? consultant
    case let .signed(_, role, _):
      return programme.assignments[role] ?? consultant
    default:
      return consultant
    }
  }

  /// A whole number within the metric's range (0 to 100 where it names none).
  static func reading(of metric: Metric, random: inout SeededRandom) -> String {
    let low = Int((metric.lowest?.value ?? 0).rounded(.up))
    let high = max(low, Int((metric.highest?.value ?? Double(low + 100)).rounded(.down)))
    return String(Int.random(in: low...high, using: &random))
  }
}
