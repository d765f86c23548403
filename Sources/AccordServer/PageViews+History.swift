import AccordKit
import Foundation
import PlaybookSpec
import ProgrammeEngine

extension PageViews {
  /// One event of the client page's history, as a person reads it: a sentence, who and when,
  /// how it was made, and its note under it.
  struct HistoryItem {
    var sentence: [Phrase]
    /// When, in the workspace's time zone: `Mon 7 Dec 2026, 14:05`.
    var when: String
    /// The same instant for the `<time>` element: `2026-12-07T14:05:00Z`.
    var at: String
    /// How the change was made, when it says more than the sentence: for whom, by which door.
    var how: String?
    /// The note, its lines kept.
    var note: String?
  }

  /// A piece of a sentence: words, a thing the playbook names (its title shown, its id in
  /// `title`), or a hash (its first digits shown, all of them in `title`).
  struct Phrase {
    var text: String
    var title: String
    /// Stored, not computed: templates see stored properties only (through `Mirror`).
    var named: Bool
    var hash: Bool

    static func words(_ text: String) -> Phrase { Phrase(text: text, title: "", named: false, hash: false) }

    /// The thing `title` names, with `id` as its tooltip; the id alone when it has no title.
    static func thing(_ title: String?, id: String) -> Phrase {
      guard let title, title != id else { return .words(id) }
      return Phrase(text: title, title: id, named: true, hash: false)
    }

    static func hash(_ value: String) -> Phrase {
      Phrase(text: TextOutput.short(value), title: value, named: false, hash: true)
    }
  }

  /// The history `events` (already those the viewer may see: `Programme.history(visibleTo:)`),
  /// newest first, each event in words by the titles `playbook` gives, its time in `zone`.
  static func history(_ events: [Event], playbook: Playbook, zone: TimeZone) -> [HistoryItem] {
    let names = PlaybookTitles(playbook)
    return events.reversed().map { event in
      var how: [String] = []
      if let other = event.onBehalfOf { how.append("recorded by \(event.by) for \(other)") }
      if let holder = event.holder { how.append("as the delegate of \(holder)") }
      if let evidence = event.evidence {
        how.append("evidence \(evidence.name), sha256 \(TextOutput.short(evidence.sha256))")
      }
      switch event.via {
      case .web?: how.append("on the web")
      case .api?: how.append("through the API")
      case .remote?: how.append("from the command line, sent by sync")
      case nil: break
      }
      if let printed = TextOutput.printed(event) { how.append(printed) }
      return HistoryItem(
        sentence: sentence(event, names: names), when: shownTime(event.at, zone: zone),
        at: Timestamp.format(event.at), how: how.isEmpty ? nil : how.joined(separator: "; "),
        note: event.note.map { Shown.noteLines($0).joined(separator: "\n") })
    }
  }

  /// The event in words: who did what, every thing by its title. A switch without `default`,
  /// so that a new kind of event is a compile error here until it has its sentence.
  static func sentence(_ event: Event, names: PlaybookTitles) -> [Phrase] {
    let who = Phrase.words(event.actor)
    func terms(_ terms: String?) -> [Phrase] { terms.map { [.words(" on terms "), .hash($0)] } ?? [] }
    switch event.change {
    case let .started(client, name, playbook):
      return [who, .words(" started the programme for "), .thing(name, id: client)]
        + (playbook.map { [.words(" on the playbook text "), .hash($0)] } ?? [])
    case let .assigned(role, person):
      return [who, .words(" gave the role "), names.role(role), .words(" to \(person)")]
    case let .completed(milestone):
      return [who, .words(" completed "), names.milestone(milestone)]
    case let .reopened(milestone):
      return [who, .words(" reopened "), names.milestone(milestone)]
    case let .skipped(milestone):
      return [who, .words(" let this occurrence of "), names.milestone(milestone), .words(" go without doing it")]
    case let .signed(agreement, role, hash):
      return [who, .words(" signed "), names.agreement(agreement), .words(" as "), names.role(role)] + terms(hash)
    case let .revoked(agreement, role):
      return [who, .words(" withdrew the signature of "), names.role(role), .words(" on "), names.agreement(agreement)]
    case let .acknowledged(agreement, hash):
      return [who, .words(" acknowledged "), names.agreement(agreement)] + terms(hash)
    case let .affirmed(agreement, role, hash):
      return [
        who, .words(" affirmed, as "), names.role(role), .words(", the signature a predecessor made on "),
        names.agreement(agreement),
      ] + terms(hash)
    case let .surveyImported(round, responses):
      return [who, .words(" imported the survey round '\(round)': \(count(responses.count, "answer"))")]
    case let .surveyOpened(round, codes, closes):
      return [
        who,
        .words(
          " opened the survey round '\(round)' on the web, with "
            + (codes.map { "\($0) single-use links" } ?? "one shared link")
            + (closes.map { ", closing after \(shownDay($0))" } ?? "")),
      ]
    case let .surveyClosed(round, responses):
      return [who, .words(" closed the survey round '\(round)': \(count(responses.count, "answer"))")]
    case let .surveyWithdrawn(round):
      return [who, .words(" withdrew the survey round '\(round)' from the benchmark")]
    case let .opportunitySet(inputs):
      return [who, .words(" set the inputs of the opportunity: " + plain.opportunitySummary(inputs))]
    case .archived:
      return [who, .words(" archived the client")]
    case .restored:
      return [who, .words(" brought the client back from the archive")]
    case let .upgraded(from, to):
      return [
        who, .words(" moved the client from the playbook "), .thing("\(from.id) version \(from.version)", id: from.sha256),
        .words(" to "), .thing("\(to.id) version \(to.version)", id: to.sha256),
      ]
    case let .delegated(role, person, until):
      return [
        who, .words(" let \(person) act for the role "), names.role(role),
        .words(" until the end of \(shownDay(until)) (UTC)"),
      ]
    case let .delegationEnded(role):
      return [who, .words(" ended the delegation of the role "), names.role(role)]
    case let .scheduled(item, date):
      return [who, .words(" set the date of "), names.item(item), .words(" to \(shownDay(date))")]
    case let .sealed(sha256):
      return [who, .words(" took the playbook text "), .hash(sha256), .words(" into the history's chain")]
    case let .metricRecorded(metric, value, date, reading):
      let shown = names.metrics[metric].flatMap { found in Quantity(parsing: value).map { found.format($0) } } ?? value
      return [who, .words(" recorded "), names.metric(metric), .words(": \(shown) for \(shownDay(date))")]
        + (reading == MetricReading.baselineMark ? [.words(", the baseline")] : [])
    case let .joined(person, email, team, level):
      let group = [names.teams[team] ?? team] + (level.isEmpty ? [] : [names.levels[level] ?? level])
      return [who, .words(" put \(person) <\(email)> on the roster, in \(group.joined(separator: ", "))")]
    case let .left(person):
      return [who, .words(" took \(person) off the roster")]
    }
  }

  private static func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }

  /// What the playbook calls each thing an event names.
  struct PlaybookTitles {
    var milestones: [String: String] = [:]
    var agreements: [String: String] = [:]
    var stages: [String: String] = [:]
    var roles: [String: String] = [:]
    var metrics: [String: Metric] = [:]
    var teams: [String: String] = [:]
    var levels: [String: String] = [:]

    init(_ playbook: Playbook) {
      func titles(_ pairs: [(String, String)]) -> [String: String] {
        Dictionary(pairs, uniquingKeysWith: { first, _ in first })
      }
      milestones = titles(playbook.stages.flatMap(\.milestones).map { ($0.id, $0.title) })
      agreements = titles(playbook.stages.flatMap(\.agreements).map { ($0.id, $0.title) })
      stages = titles(playbook.stages.map { ($0.id, $0.title) })
      roles = titles(playbook.roles.map { ($0.id, $0.title) })
      metrics = Dictionary(playbook.metrics.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
      teams = titles(playbook.rosterTeams.map { ($0.id, $0.title) })
      levels = titles(playbook.rosterLevels.map { ($0.id, $0.title) })
    }

    func milestone(_ id: String) -> Phrase { .thing(milestones[id], id: id) }
    func role(_ id: String) -> Phrase { .thing(roles[id], id: id) }
    func metric(_ id: String) -> Phrase { .thing(metrics[id]?.title, id: id) }

    /// An agreement by its title, as it is: titles name it like a document ("How sales and
    /// marketing will work together"), and an article before one reads wrong.
    func agreement(_ id: String) -> Phrase { .thing(agreements[id], id: id) }

    /// A milestone, agreement or stage, whichever the playbook has by that id.
    func item(_ id: String) -> Phrase {
      if milestones[id] != nil { return milestone(id) }
      if agreements[id] != nil { return agreement(id) }
      return stages[id].map { .thing("the stage " + $0, id: id) } ?? .words(id)
    }
  }
}
