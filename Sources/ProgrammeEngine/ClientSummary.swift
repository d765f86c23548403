import Foundation
import PlaybookSpec

/// What the lists of clients show of one (the CLI's `clients`, the portfolio page, "my work",
/// the agenda), worked out from its programme once, so that a store can keep it beside the
/// history as a projection updated with each append, and a listing need not replay every
/// history.
///
/// Nothing in it depends on the day or the moment it is read: the open items' due dates are
/// kept as dates in the workspace's zone (which the summary names), how many are late is
/// worked out against the day the listing is for (`Listing.overdue(on:)`), and the roles'
/// delegations are kept with the moment each ends, so that the next actions name the
/// delegates of the moment they are asked for (`nextActions(at:)`). Equal summaries from
/// the projection and from a full replay are what `check` compares.
public struct ClientSummary: Codable, Sendable, Equatable {
  /// What a summary worked out by this engine holds. One kept by an earlier binary (which
  /// wrote no version: 1) lacks what the pages and the agenda read, and is worked out again.
  /// Version 3 added metric actions (`record`, `review`) and their dates; version 4 the
  /// `acknowledge` and `affirm` actions, and what gates wait for of them; version 5 the
  /// titles of the roles and of what the closed gates name, for the pages.
  public static let currentVersion = 5

  public var version: Int
  public var client: String
  public var name: String
  /// The stage under way; nil when every stage is complete.
  public var stage: String?
  /// Per cent of milestones done.
  public var progress: Int
  /// How many next actions are open now.
  public var actions: Int
  public var archived: Bool
  /// Every stage is complete and recurring work goes on.
  public var sustaining: Bool
  /// The zone the dates are in; nil when the client has no dates (or is archived, when they
  /// are not shown).
  public var zone: String?
  /// The open items' due dates (days since 1970-01-01), earliest first.
  public var due: [Int]

  // Since version 2: what the portfolio, "my work" and the agenda read.

  /// Whether the client has dates at all (archived or not): a page reads the workspace's
  /// clock only when one of its clients has.
  public var dated: Bool
  /// Every stage is complete (archived or not).
  public var complete: Bool
  /// The first stage not complete, where the client stands; nil when archived or complete.
  public var place: Place?
  /// The next actions as `Programme.nextActions()` gives them without a time (no delegate
  /// named), each with the title of what it asks for.
  public var open: [Open]
  /// The closed gates and what holds each, as `nextActions()` gives them.
  public var blocked: [Blocker]
  /// Each role's latest delegation, in the playbook's order of roles, held or not.
  public var delegations: [Lent]
  /// The open items' dates in `zone`, by item id (`Programme.dueDates(in:)`).
  public var dates: [String: DueDate]

  // Since version 5: the titles the pages read, so that they say what a replay says.

  /// Each role's title, by id.
  public var roleTitles: [String: String]
  /// The titles of the stages, milestones and agreements the closed gates name, by id.
  public var itemTitles: [String: String]

  /// The stage a client stands in.
  public struct Place: Codable, Sendable, Equatable {
    /// From 1.
    public var position: Int
    /// How many stages the playbook has.
    public var of: Int
    public var title: String
    public var state: StageState
  }

  /// One next action as kept: the action without its delegate (who that is depends on the
  /// moment), and the title of the milestone, agreement or role it names.
  public struct Open: Codable, Sendable, Equatable {
    public var kind: Action.Kind
    public var target: String
    public var stage: String
    public var role: String
    public var person: String?
    public var terms: String?
    public var staleTerms: String?
    /// For a `sign` whose terms changed: the terms the role signed, when the history holds
    /// them (`Action.signedAgreement`).
    public var signed: Signed?
    public var title: String
    /// For `acknowledge`: each team's progress (`Action.progress`).
    public var progress: [TeamProgress]?
    /// For `affirm`: who signed for the role, and when.
    public var signedBy: String?
    public var signedAt: Date?

    /// What an action's equality and its renderings read of the agreement signed: its
    /// canonical content (`Agreement.canonicalContent`).
    public struct Signed: Codable, Sendable, Equatable {
      public var title: String
      public var terms: String?
      public var signatories: [String]
    }
  }

  /// A role lent to a delegate until a moment.
  public struct Lent: Codable, Sendable, Equatable {
    public var role: String
    public var delegate: String
    /// The first moment it no longer holds.
    public var ends: Date
  }

  /// The summary of `programme`, its dates in `zone` (asked for only when it has dates).
  public init<Failure: Error>(_ programme: Programme, zone: () throws(Failure) -> TimeZone) throws(Failure) {
    version = Self.currentVersion
    client = programme.client
    name = programme.name
    let stages = programme.stageStates()
    stage = programme.currentStage(stages: stages)?.id
    progress = programme.progress
    let next = programme.nextActions()
    actions = next.actions.count
    archived = programme.archived != nil
    sustaining = programme.isSustaining
    dated = programme.hasDates
    complete = next.isComplete
    place = nil
    if !archived, let position = stages.firstIndex(where: { $0 != .complete }) {
      place = Place(
        position: position + 1, of: stages.count, title: programme.playbook.stages[position].title,
        state: stages[position])
    }
    open = next.actions.map { Open($0, title: programme.title(of: $0)) }
    blocked = next.blocked
    roleTitles = Dictionary(programme.playbook.roles.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
    var named = Set(next.blocked.flatMap { blocker in
      [blocker.stage] + (blocker.milestone.map { [$0] } ?? []) + blocker.hold.agreements.map(\.agreement)
        + blocker.hold.milestones
    })
    var itemTitles: [String: String] = [:]
    for stage in programme.playbook.stages {
      for (id, title) in [(stage.id, stage.title)] + stage.milestones.map({ ($0.id, $0.title) })
        + stage.agreements.map({ ($0.id, $0.title) }) where named.remove(id) != nil {
        itemTitles[id] = title
      }
    }
    self.itemTitles = itemTitles
    delegations = programme.playbook.roles.compactMap { role in
      programme.delegations[role.id].map { Lent(role: role.id, delegate: $0.delegate, ends: $0.ends) }
    }
    if programme.hasDates, !archived {
      let zone = try zone()
      self.zone = zone.identifier
      dates = programme.dueDates(in: zone)
      due = dates.values.map(\.date.day).sorted()
    } else {
      self.zone = nil
      dates = [:]
      due = []
    }
  }

  /// Whether this summary was worked out by this engine (see `currentVersion`).
  public var isCurrent: Bool { version == Self.currentVersion }

  /// The next actions as the programme gives them at `time`: each naming the role's delegate
  /// then, if it has one (none without a time).
  public func nextActions(at time: Date? = nil) -> NextActions {
    let actions = open.map { kept in
      var action = kept.action
      if let time {
        action.delegate = delegations.first { $0.role == kept.role && time < $0.ends }?.delegate
      }
      return action
    }
    return NextActions(actions: actions, blocked: blocked, isComplete: complete)
  }

  /// The title of what `action` asks for (one of this client's next actions), as
  /// `Programme.title(of:)` gives it.
  public func title(of action: Action) -> String {
    open.first { $0.kind == action.kind && $0.target == action.target }?.title ?? action.target
  }
}

extension ClientSummary.Open {
  init(_ action: Action, title: String) {
    kind = action.kind
    target = action.target
    stage = action.stage
    role = action.role
    person = action.person
    terms = action.terms
    staleTerms = action.staleTerms
    signed = action.signedAgreement.map { Signed(title: $0.title, terms: $0.terms, signatories: $0.signatories.map(\.id)) }
    self.title = title
    progress = action.progress
    signedBy = action.signedBy
    signedAt = action.signedAt
  }

  /// The action as `nextActions()` gave it, equal to it. A changed agreement's signed text
  /// comes back with its canonical content only (no needs, due date or place in a file):
  /// what is shown of it and what an action's equality compares.
  var action: Action {
    var action = Action(
      kind: kind, target: target, stage: stage, role: role, person: person, terms: terms, staleTerms: staleTerms)
    let nowhere = SourceLocation(file: "", line: 0, column: 0)
    action.signedAgreement = signed.map {
      Agreement(
        id: target, title: $0.title, terms: $0.terms, signatories: $0.signatories.map { Reference($0, at: nowhere) },
        location: nowhere)
    }
    action.progress = progress
    action.signedBy = signedBy
    action.signedAt = signedAt
    return action
  }
}

extension ClientSummary {
  private enum CodingKeys: String, CodingKey {
    case version, client, name, stage, progress, actions, archived, sustaining, zone, due
    case dated, complete, place, open, blocked, delegations, dates, roleTitles, itemTitles
  }

  /// Reads a summary of any version; one without a version (kept by an earlier binary) is
  /// version 1, and lacks everything below `due`. Its first fields are its listing's, read
  /// as `Listing` reads them.
  public init(from decoder: any Decoder) throws {
    let listing = try Listing(from: decoder)
    (version, client, name, stage, progress) =
      (listing.version, listing.client, listing.name, listing.stage, listing.progress)
    (actions, archived, sustaining, zone, due) =
      (listing.actions, listing.archived, listing.sustaining, listing.zone, listing.due)
    let container = try decoder.container(keyedBy: CodingKeys.self)
    dated = try container.decodeIfPresent(Bool.self, forKey: .dated) ?? (zone != nil)
    complete = try container.decodeIfPresent(Bool.self, forKey: .complete) ?? (stage == nil)
    place = try container.decodeIfPresent(Place.self, forKey: .place)
    open = try container.decodeIfPresent([Open].self, forKey: .open) ?? []
    blocked = try container.decodeIfPresent([Blocker].self, forKey: .blocked) ?? []
    delegations = try container.decodeIfPresent([Lent].self, forKey: .delegations) ?? []
    dates = try container.decodeIfPresent([String: DueDate].self, forKey: .dates) ?? [:]
    roleTitles = try container.decodeIfPresent([String: String].self, forKey: .roleTitles) ?? [:]
    itemTitles = try container.decodeIfPresent([String: String].self, forKey: .itemTitles) ?? [:]
  }
}

extension Programme {
  /// The title of the milestone, agreement or role `action` names (its id when the playbook
  /// has no such item), as the pages say it.
  public func title(of action: Action) -> String {
    switch action.kind {
    case .complete, .survey:
      playbook.stages.lazy.flatMap(\.milestones).first { $0.id == action.target }?.title ?? action.target
    case .sign, .acknowledge, .affirm:
      playbook.stages.lazy.flatMap(\.agreements).first { $0.id == action.target }?.title ?? action.target
    case .assign:
      playbook.roles.first { $0.id == action.target }?.title ?? action.target
    case .record, .review:
      playbook.metrics.first { $0.id == action.target }?.title ?? action.target
    }
  }
}

extension Agenda.Client {
  /// A client as the agenda reads it from its summary: its next actions at `time` and its
  /// dates in the zone the summary names.
  public init(_ summary: ClientSummary, at time: Date) {
    self.init(id: summary.client, name: summary.name, next: summary.nextActions(at: time), dates: summary.dates)
  }
}

/// A due date kept in a summary: the day as a number, the rest as named.
extension DueDate: Codable {
  private enum CodingKeys: String, CodingKey { case kind, item, stage, date, occurrence, occurrences, scheduled }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try container.decode(String.self, forKey: .kind)
    guard let known = Kind(rawValue: kind) else {
      throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown kind \(kind)")
    }
    self.init(
      kind: known, item: try container.decode(String.self, forKey: .item),
      stage: try container.decode(String.self, forKey: .stage),
      date: CalendarDate(day: try container.decode(Int.self, forKey: .date)),
      occurrence: try container.decodeIfPresent(Int.self, forKey: .occurrence),
      occurrences: try container.decodeIfPresent(Int.self, forKey: .occurrences),
      isScheduled: try container.decode(Bool.self, forKey: .scheduled))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(kind.rawValue, forKey: .kind)
    try container.encode(item, forKey: .item)
    try container.encode(stage, forKey: .stage)
    try container.encode(date.day, forKey: .date)
    try container.encodeIfPresent(occurrence, forKey: .occurrence)
    try container.encodeIfPresent(occurrences, forKey: .occurrences)
    try container.encode(isScheduled, forKey: .scheduled)
  }
}

extension ClientSummary {
  /// What a list of clients shows of one (`clients`, `GET /api/v1/clients`): the summary's
  /// fields a version-1 summary held already, without the next actions, gates, delegations
  /// and dates the pages read. A store may keep it beside the summary, so that a listing
  /// reads a fifth of the bytes (PostgreSQL's `clients.listing`); decoded from a whole
  /// summary, it reads these fields and passes over the rest.
  public struct Listing: Codable, Sendable, Equatable {
    public var version: Int
    public var client: String
    public var name: String
    public var stage: String?
    public var progress: Int
    public var actions: Int
    public var archived: Bool
    public var sustaining: Bool
    public var zone: String?
    public var due: [Int]

    private enum CodingKeys: String, CodingKey {
      case version, client, name, stage, progress, actions, archived, sustaining, zone, due
    }

    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
      client = try container.decode(String.self, forKey: .client)
      name = try container.decode(String.self, forKey: .name)
      stage = try container.decodeIfPresent(String.self, forKey: .stage)
      progress = try container.decode(Int.self, forKey: .progress)
      actions = try container.decode(Int.self, forKey: .actions)
      archived = try container.decode(Bool.self, forKey: .archived)
      sustaining = try container.decode(Bool.self, forKey: .sustaining)
      zone = try container.decodeIfPresent(String.self, forKey: .zone)
      due = try container.decode([Int].self, forKey: .due)
    }

    /// Whether it was kept with a summary worked out by this engine (see `currentVersion`).
    public var isCurrent: Bool { version == ClientSummary.currentVersion }

    /// How many open items are late on `today`.
    public func overdue(on today: CalendarDate) -> Int { due.count { $0 < today.day } }

    /// The earliest due date of an open item, late or not.
    public var nextDue: CalendarDate? { due.first.map(CalendarDate.init(day:)) }
  }

  /// What a list shows of this client.
  public var listing: Listing {
    Listing(
      version: version, client: client, name: name, stage: stage, progress: progress, actions: actions,
      archived: archived, sustaining: sustaining, zone: zone, due: due)
  }
}

extension ClientSummary.Listing {
  public init(
    version: Int, client: String, name: String, stage: String?, progress: Int, actions: Int, archived: Bool,
    sustaining: Bool, zone: String?, due: [Int]
  ) {
    self.version = version
    self.client = client
    self.name = name
    self.stage = stage
    self.progress = progress
    self.actions = actions
    self.archived = archived
    self.sustaining = sustaining
    self.zone = zone
    self.due = due
  }
}
