import PlaybookSpec

// The record format of events, declared once.
//
// A stored event is one flat JSON object: `type`, `by`, `at`, an optional `note`, an optional
// `previous` (its link in the hash chain, see HistoryChain.swift), the optional `holder`,
// `onBehalfOf` and `evidence` of an act for someone else, the optional `via` of a change made
// through the server (see Event.swift), and the fields of its kind; a field of shape
// `optionalText` may be absent. `Change.kinds` lists every kind with its fields and how the change is
// built from them, and `Change.parts` takes a change apart into them; the `Codable`
// conformance, the store's quick reader and writer and its history fingerprint all work
// from these, so a new kind of event or a new field is written in this file alone.
//
// `log --json` prints events in this shape, so it is a contract: fields may be added,
// never renamed.

/// What an event changed.
public enum Change: Sendable, Hashable {
  /// The client was started on its playbook; the person who started it holds the consultant role.
  /// `playbook` is the SHA-256 of the playbook text it started on, so that the history's hash
  /// chain covers the text as well as the events; nil in events written before it did (see
  /// `sealed`).
  case started(client: String, name: String, playbook: String? = nil)
  /// A person was given a role on this client (replacing whoever held it).
  case assigned(role: String, person: String)
  /// A milestone was marked done.
  case completed(milestone: String)
  /// An agreement was signed for one of its signatory roles. `terms` is the SHA-256 of the
  /// agreement's canonical content as the signer read it (`Agreement.termsHash`); nil in
  /// events written before signatures recorded it, which count as signed on the terms in force.
  case signed(agreement: String, role: String, terms: String? = nil)
  /// A signature was withdrawn.
  case revoked(agreement: String, role: String)
  /// A done milestone was made not done again.
  case reopened(milestone: String)
  /// A round of the playbook's survey was imported: every response, as one event.
  case surveyImported(round: String, responses: [SurveyResponse])
  /// The opportunity calculator's inputs were set for the client, all of them.
  // Boxed: the inputs are a dozen numbers, and every event in a long history would
  // otherwise be as large as this rare one.
  indirect case opportunitySet(OpportunityInputs)
  /// The client was taken out of the workspace's lists, file and history kept; the note
  /// says why. Only `restored` may follow until it is brought back.
  case archived
  /// An archived client was brought back; the note may say why.
  case restored
  /// A survey round was taken out of the benchmark and the evidence; the history keeps it
  /// and its name stays taken. The note says why.
  case surveyWithdrawn(round: String)
  /// The client moved from one playbook text to another: from here on, every event is
  /// checked against `to`. The note says why. Done work and signatures carry over where
  /// the new playbook still has them (see `Programme.upgrade(to:_:force:)`).
  case upgraded(from: PlaybookVersion, to: PlaybookVersion)
  /// The role's holder (or the consultant) let `person` act for the role until the end of
  /// the day `until` (`YYYY-MM-DD`, UTC). The note says why. It replaces any delegation of
  /// the role before it; a hand-over of the role ends it.
  case delegated(role: String, person: String, until: String)
  /// A delegation of the role was ended before its day ran out.
  case delegationEnded(role: String)
  /// The consultant or czar set the date `item` (a milestone, agreement or stage) is due
  /// (`YYYY-MM-DD`, in the workspace's time zone), in place of the one the playbook's `due`
  /// or `target` gives; for a recurring milestone, the date of its current occurrence, the
  /// later ones following at its interval. The note says why.
  case scheduled(item: String, date: String)
  /// The current occurrence of a recurring milestone was let go without being done. The
  /// note says why.
  case skipped(milestone: String)
  /// The playbook text in force, whose SHA-256 is `sha256`, was taken into the history's hash
  /// chain: written by the first change to a client started before `started` recorded its
  /// text, by the person making that change. Changes nothing in the programme.
  case sealed(sha256: String)
  /// A reading of the playbook's metric `metric`: `value` as canonical decimal text (see
  /// `Quantity`), for the day `date` (`YYYY-MM-DD`, in the workspace's time zone). `reading`
  /// is `baseline` when the reading was named the baseline, absent otherwise. A later reading
  /// for the same day corrects the earlier one. The note may say where the number came from.
  case metricRecorded(metric: String, value: String, date: String, reading: String? = nil)
  /// A round of the survey was opened for answers on the web (`accord survey open`): `codes`
  /// is how many single-use links were made (nil for one shared link), `closes` the day it
  /// closes by itself (`YYYY-MM-DD`, nil when only `survey close` closes it). Nothing in it
  /// names or counts a respondent; the answers wait outside the history (`SurveyBoxStore`).
  case surveyOpened(round: String, codes: String? = nil, closes: String? = nil)
  /// An open round was closed: its answers, as `surveyImported` holds them, become the
  /// round's responses in one event. The note says when the closing was automatic.
  case surveyClosed(round: String, responses: [SurveyResponse])
  /// A person was put on the client's roster, the staff its agreements bind: `person` by the
  /// name they sign in with, their `email`, and the playbook's `team` and `level` they belong
  /// to (`level` empty when the playbook names none). For someone on it already, their
  /// details changed.
  case joined(person: String, email: String, team: String, level: String)
  /// A person was taken off the roster; the note says why. They stop counting toward any
  /// agreement's quorum, and their acknowledgements with them.
  case left(person: String)
  /// The person (`Event.actor`) read the agreement's terms, whose SHA-256 is `terms`, and
  /// agreed to live by them: the staff's counterpart of a signature.
  case acknowledged(agreement: String, terms: String? = nil)
  /// The holder of `role` now took as their own the signature a predecessor in the role
  /// made on the agreement, on the terms `terms`.
  case affirmed(agreement: String, role: String, terms: String? = nil)
}

extension Change {
  /// Every kind of event, with its fields and how the change is built from them.
  public static let kinds: [EventKind] = [
    .started, .assigned, .completed, .signed, .revoked, .reopened, .surveyImported, .opportunitySet,
    .archived, .restored, .surveyWithdrawn, .upgraded, .delegated, .delegationEnded, .scheduled, .skipped, .sealed,
    .metricRecorded,
    .surveyOpened, .surveyClosed,
    .joined, .left, .acknowledged, .affirmed,
  ]

  /// The change's kind and its field values, in the order the kind lists its fields.
  public var parts: (kind: EventKind, values: [FieldValue]) {
    switch self {
    case let .started(client, name, playbook): (.started, [.text(client), .text(name), .optionalText(playbook)])
    case let .assigned(role, person): (.assigned, [.text(role), .text(person)])
    case let .completed(milestone): (.completed, [.text(milestone)])
    case let .signed(agreement, role, terms): (.signed, [.text(agreement), .text(role), .optionalText(terms)])
    case let .revoked(agreement, role): (.revoked, [.text(agreement), .text(role)])
    case let .reopened(milestone): (.reopened, [.text(milestone)])
    case let .surveyImported(round, responses): (.surveyImported, [.text(round), .responses(responses)])
    case let .opportunitySet(inputs): (.opportunitySet, [.inputs(inputs)])
    case .archived: (.archived, [])
    case .restored: (.restored, [])
    case let .surveyWithdrawn(round): (.surveyWithdrawn, [.text(round)])
    case let .upgraded(from, to): (.upgraded, [.playbook(from), .playbook(to)])
    case let .delegated(role, person, until): (.delegated, [.text(role), .text(person), .text(until)])
    case let .delegationEnded(role): (.delegationEnded, [.text(role)])
    case let .scheduled(item, date): (.scheduled, [.text(item), .text(date)])
    case let .skipped(milestone): (.skipped, [.text(milestone)])
    case let .sealed(sha256): (.sealed, [.text(sha256)])
    case let .metricRecorded(metric, value, date, reading):
      (.metricRecorded, [.text(metric), .text(value), .text(date), .optionalText(reading)])
    case let .surveyOpened(round, codes, closes): (.surveyOpened, [.text(round), .optionalText(codes), .optionalText(closes)])
    case let .surveyClosed(round, responses): (.surveyClosed, [.text(round), .responses(responses)])
    case let .joined(person, email, team, level):
      (.joined, [.text(person), .text(email), .text(team), .text(level)])
    case let .left(person): (.left, [.text(person)])
    case let .acknowledged(agreement, terms): (.acknowledged, [.text(agreement), .optionalText(terms)])
    case let .affirmed(agreement, role, terms): (.affirmed, [.text(agreement), .text(role), .optionalText(terms)])
    }
  }

  /// The event's `type` in the state file and in `log --json`.
  public var type: String { parts.kind.type }
}

extension EventKind {
  static let started = EventKind("started", [.client, .name, .playbook]) {
    .started(client: $0.text(0), name: $0.text(1), playbook: $0.optionalText(2))
  }
  static let assigned = EventKind("assigned", [.role, .person]) {
    .assigned(role: $0.text(0), person: $0.text(1))
  }
  static let completed = EventKind("completed", [.milestone]) { .completed(milestone: $0.text(0)) }
  static let signed = EventKind("signed", [.agreement, .role, .terms]) {
    .signed(agreement: $0.text(0), role: $0.text(1), terms: $0.optionalText(2))
  }
  static let revoked = EventKind("revoked", [.agreement, .role]) {
    .revoked(agreement: $0.text(0), role: $0.text(1))
  }
  static let reopened = EventKind("reopened", [.milestone]) { .reopened(milestone: $0.text(0)) }
  static let surveyImported = EventKind("surveyImported", [.round, .responses]) {
    .surveyImported(round: $0.text(0), responses: $0.responses(1))
  }
  static let opportunitySet = EventKind("opportunitySet", [.inputs]) { .opportunitySet($0.inputs(0)) }
  static let archived = EventKind("archived", []) { _ in .archived }
  static let restored = EventKind("restored", []) { _ in .restored }
  static let surveyWithdrawn = EventKind("surveyWithdrawn", [.round]) { .surveyWithdrawn(round: $0.text(0)) }
  static let upgraded = EventKind("upgraded", [.from, .to]) {
    .upgraded(from: $0.playbook(0), to: $0.playbook(1))
  }
  static let delegated = EventKind("delegated", [.role, .person, .until]) {
    .delegated(role: $0.text(0), person: $0.text(1), until: $0.text(2))
  }
  static let delegationEnded = EventKind("delegationEnded", [.role]) { .delegationEnded(role: $0.text(0)) }
  static let scheduled = EventKind("scheduled", [.item, .date]) {
    .scheduled(item: $0.text(0), date: $0.text(1))
  }
  static let skipped = EventKind("skipped", [.milestone]) { .skipped(milestone: $0.text(0)) }
  static let sealed = EventKind("sealed", [.sha256]) { .sealed(sha256: $0.text(0)) }
  static let metricRecorded = EventKind("metricRecorded", [.metric, .value, .date, .reading]) {
    .metricRecorded(metric: $0.text(0), value: $0.text(1), date: $0.text(2), reading: $0.optionalText(3))
  }
  static let surveyOpened = EventKind("surveyOpened", [.round, .codes, .closes]) {
    .surveyOpened(round: $0.text(0), codes: $0.optionalText(1), closes: $0.optionalText(2))
  }
  static let surveyClosed = EventKind("surveyClosed", [.round, .responses]) {
    .surveyClosed(round: $0.text(0), responses: $0.responses(1))
  }
  static let joined = EventKind("joined", [.person, .email, .team, .level]) {
    .joined(person: $0.text(0), email: $0.text(1), team: $0.text(2), level: $0.text(3))
  }
  static let left = EventKind("left", [.person]) { .left(person: $0.text(0)) }
  static let acknowledged = EventKind("acknowledged", [.agreement, .terms]) {
    .acknowledged(agreement: $0.text(0), terms: $0.optionalText(1))
  }
  static let affirmed = EventKind("affirmed", [.agreement, .role, .terms]) {
    .affirmed(agreement: $0.text(0), role: $0.text(1), terms: $0.optionalText(2))
  }
}
