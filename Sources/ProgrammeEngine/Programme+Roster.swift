import Foundation
import PlaybookSpec

// The client's people and their agreement: the roster of staff an agreement binds, their
// acknowledgements of its terms (each team to the quorum the playbook asks), and a new role
// holder's affirmation of what a predecessor signed. The rules for the four events live
// here; `check` and `record` call them.

/// One of the client's people on the roster: a salesperson or marketer an agreement binds.
public struct RosterMember: Sendable, Hashable {
  /// The person's name, as they sign in and as the history names them; unique on the roster.
  public var name: String
  public var email: String
  /// A team of the playbook's roster (`Playbook.rosterTeams`).
  public var team: String
  /// A level of the playbook's roster (`Playbook.rosterLevels`); empty when it has none.
  public var level: String
  /// When they were first put on the roster, and by whom (or who last changed their details).
  public var at: Date
  public var by: String
  /// The position in the history of the event that first put them on the roster: the
  /// roster's order, which is the order they were imported in.
  var position = 0
}

/// A person's acknowledgement of an agreement: they read these terms and agreed to live by them.
public struct Acknowledged: Sendable, Hashable {
  public var person: String
  /// The SHA-256 of the agreement's terms they read (`Agreement.termsHash`).
  public var terms: String
  public var at: Date
  /// Who entered it for them from a paper sheet (`--on-behalf-of`); nil when they did it.
  public var enteredBy: String?
  public var evidence: EvidenceFile?
}

/// A role holder's affirmation of a signature a predecessor in the role made.
public struct Affirmation: Sendable, Hashable {
  public var role: String
  public var person: String
  public var at: Date
}

/// Where one team stands on an agreement that asks it for acknowledgement.
public struct TeamProgress: Sendable, Hashable, Codable {
  public var team: String
  /// The team's people on the roster who acknowledged the terms in force.
  public var acknowledged: Int
  /// The team's people on the roster.
  public var members: Int
  /// How many must have acknowledged (`Quorum.needed(of:)`).
  public var needed: Int
  /// The playbook's quorum as written: `all` or `80%`.
  public var quorum: String

  public init(team: String, acknowledged: Int, members: Int, needed: Int, quorum: String) {
    self.team = team
    self.acknowledged = acknowledged
    self.members = members
    self.needed = needed
    self.quorum = quorum
  }

  public var isReached: Bool { members > 0 && acknowledged >= needed }

  /// "sales 14 of 18".
  public var text: String { "\(team) \(acknowledged) of \(members)" }

  /// "sales 14 of 18, marketing 9 of 12, 80% needed".
  public static func summary(_ teams: [TeamProgress]) -> String {
    guard let quorum = teams.first?.quorum else { return "" }
    let needed = quorum == "all" ? "all needed" : "\(quorum) needed"
    return (teams.map(\.text) + [needed]).joined(separator: ", ")
  }
}

/// Where a signatory role's signature stands against who holds the role now.
public struct SignatureStanding: Sendable, Hashable {
  public var signature: Signature
  /// Who holds the role now; nil when nobody does.
  public var holder: String?
  /// The holder's affirmation, when they are not the one the signature was made for.
  public var affirmation: Affirmation?

  /// The person the signature was made for: the holder a delegate signed for, else the signer.
  public var signedFor: String { signature.holder ?? signature.person }

  /// Whether the role's holder now is the signer, or affirmed the signature.
  public var isHolders: Bool {
    guard let holder else { return false }
    return signedFor == holder || affirmation?.person == holder
  }

  /// Signed by someone who no longer holds the role, and not (yet) affirmed by who does.
  public var isByPredecessor: Bool { !isHolders }
}

extension Programme {
  /// The roster's people, in the order they were first put on it.
  public var people: [RosterMember] {
    roster.values.sorted { $0.position < $1.position }
  }

  /// Where each team the agreement asks stands, in the order the playbook names them; empty
  /// for an agreement that asks nobody to acknowledge it.
  public func acknowledgementProgress(of id: String) -> [TeamProgress] {
    guard let agreement = index.agreements[id]?.element, let asked = agreement.acknowledgedBy else { return [] }
    let inForce = agreement.termsHash
    let given = acknowledgements[id] ?? [:]
    var members: [String: Int] = [:]
    var acknowledged: [String: Int] = [:]
    for member in roster.values {
      members[member.team, default: 0] += 1
      if given[member.name]?.terms == inForce { acknowledged[member.team, default: 0] += 1 }
    }
    return asked.teams.map { team in
      let count = members[team.id] ?? 0
      return TeamProgress(
        team: team.id, acknowledged: acknowledged[team.id] ?? 0, members: count,
        needed: asked.quorum.needed(of: count), quorum: asked.quorum.description)
    }
  }

  /// Whether every team the agreement asks has reached its quorum (true for one that asks none).
  func acknowledgedToQuorum(_ agreement: Agreement) -> Bool {
    guard agreement.acknowledgedBy != nil else { return true }
    return acknowledgementProgress(of: agreement.id).allSatisfy(\.isReached)
  }

  /// The person's acknowledgement of the agreement's terms in force, if they gave it.
  public func acknowledgement(of id: String, by person: String) -> Acknowledged? {
    guard let given = acknowledgements[id]?[person], given.terms == termsHash(ofAgreement: id) else { return nil }
    return given
  }

  /// Who on the roster the agreement asks and has not acknowledged its terms in force, in
  /// roster order: for the consultant and the czar, and for reminders; never for anyone else.
  public func yetToAcknowledge(_ id: String) -> [RosterMember] {
    guard let agreement = index.agreements[id]?.element, let asked = agreement.acknowledgedBy else { return [] }
    let teams = Set(asked.teams.map(\.id))
    let inForce = termsHash(ofAgreement: id)
    let given = acknowledgements[id] ?? [:]
    return people.filter { teams.contains($0.team) && given[$0.name]?.terms != inForce }
  }

  /// The agreements `person` is asked to acknowledge now (signing open, terms not yet
  /// acknowledged), in playbook order.
  public func agreementsToAcknowledge(by person: String) -> [Agreement] {
    guard let member = roster[person] else { return [] }
    return openForAcknowledging().filter { open in
      open.teams.contains(member.team) && acknowledgements[open.agreement.id]?[person]?.terms != open.terms
    }.map(\.agreement)
  }

  /// The agreements the staff may acknowledge now (signing has opened), each with the teams
  /// it asks and the hash of its terms in force: worked out once for a whole roster, rather
  /// than once a person (the stage states behind "signing has opened" count every team).
  func openForAcknowledging() -> [(agreement: Agreement, teams: Set<String>, terms: String)] {
    guard archived == nil, !roster.isEmpty else { return [] }
    return index.agreementList.compactMap { agreement in
      guard let asked = agreement.acknowledgedBy, obstacles(toSigning: agreement.id).isEmpty else { return nil }
      return (agreement, Set(asked.teams.map(\.id)), agreement.termsHash)
    }
  }

  /// Each signature on the agreement against who holds its role now, in signatory order.
  public func standings(of id: String) -> [SignatureStanding] {
    signatures(of: id).map { signature in
      SignatureStanding(
        signature: signature, holder: assignments[signature.role],
        affirmation: affirmations[id]?[signature.role])
    }
  }

  /// The signatory roles whose signature (on the terms in force) was made by someone other
  /// than the role's holder now, who has not affirmed it.
  func unaffirmedRoles(of agreement: Agreement) -> [String] {
    standings(of: agreement.id).filter { !$0.signature.isStale && $0.isByPredecessor }.map(\.signature.role)
  }

  /// The affirmation `person` makes of `agreement` for `role`, or for the one signatory role
  /// they hold whose signature a predecessor made (or, when none is, the first they hold, for
  /// the rules to say why there is nothing to affirm).
  public func affirmation(of id: String, as role: String? = nil, by person: String, terms: String? = nil)
    throws(Refusal) -> Change
  {
    let shown = terms ?? termsHash(ofAgreement: id)
    if let role { return .affirmed(agreement: id, role: role, terms: shown) }
    guard let agreement = index.agreements[id]?.element else { throw unknownAgreement(id) }
    let held = agreement.signatories.map(\.id).filter { assignments[$0] == person }
    let open = standings(of: id).filter {
      held.contains($0.signature.role) && !$0.signature.isStale && $0.isByPredecessor
    }.map(\.signature.role)
    guard let first = held.first else {
      throw .notAllowed(person: person, operation: .affirm(agreement: id, role: nil), roles: agreement.signatories.map(\.id))
    }
    guard open.count <= 1 else { throw .ambiguousRole(agreement: id, roles: open) }
    return .affirmed(agreement: id, role: open.first ?? first, terms: shown)
  }

  /// Whether `person` keeps the client's roster (holds its consultant or czar role): only
  /// they may see who has yet to acknowledge; everyone else sees each team's count.
  public func keepsRoster(_ person: String) -> Bool {
    [consultantRole, czarRole].contains { assignments[$0] == person }
  }

  /// Whether someone who does not keep the roster may see `event` of this client: not who
  /// joined or left the roster, nor anyone's acknowledgement but `person`'s own, which
  /// together would tell who has yet to acknowledge.
  public static func isVisible(_ event: Event, toOtherThanKeeper person: String) -> Bool {
    switch event.change {
    case .joined, .left: false
    case .acknowledged: event.actor == person
    default: true
    }
  }

  /// The history as `person` may read it on the web: whole for the consultant and the czar;
  /// for anyone else without the roster's events, bar their own acknowledgements.
  public func history(visibleTo person: String) -> [Event] {
    keepsRoster(person) ? history : history.filter { Self.isVisible($0, toOtherThanKeeper: person) }
  }

  // MARK: The rules

  /// `joined`: the consultant or czar puts someone on the roster, or changes their details.
  func checkJoining(_ member: RosterMember, by person: String, at time: Date) throws(Refusal) -> String? {
    let holder = try require(person, holdsOneOf: [consultantRole, czarRole], to: .keepRoster, at: time)
    guard Self.isUsableName(member.name) else { throw .invalidPerson(member.name) }
    let teams = playbook.rosterTeams.map(\.id)
    guard !teams.isEmpty else { throw .noTeams }
    if isRecording, let problem = Self.emailProblem(member.email) {
      throw .invalidMember(person: member.name, problem: problem)
    }
    guard teams.contains(member.team) else {
      throw .invalidMember(
        person: member.name,
        problem: "team '\(member.team)' is not one of the playbook's (\(teams.joined(separator: ", ")))"
          + didYouMean(closestMatch(to: member.team, among: teams)))
    }
    let levels = playbook.rosterLevels.map(\.id)
    if levels.isEmpty ? !member.level.isEmpty : !levels.contains(member.level) {
      let known = levels.isEmpty ? "the playbook names no levels" : "known: \(levels.joined(separator: ", "))"
      throw .invalidMember(person: member.name, problem: "level '\(member.level)' is not one of the playbook's (\(known))")
    }
    if let other = rosterEmails[member.email.lowercased()], other != member.name {
      throw .invalidMember(person: member.name, problem: "\(member.email) is \(other)'s address already")
    }
    if let existing = roster[member.name], existing.email == member.email, existing.team == member.team,
      existing.level == member.level
    {
      throw .alreadyOnRoster(person: member.name)
    }
    return holder
  }

  /// `left`: the consultant or czar takes someone off the roster, with a reason.
  func checkLeaving(_ member: String, by person: String, note: String?, at time: Date) throws(Refusal) -> String? {
    let holder = try require(person, holdsOneOf: [consultantRole, czarRole], to: .keepRoster, at: time)
    guard roster[member] != nil else { throw notOnRoster(member) }
    guard Self.hasText(note) else { throw .reasonRequired(action: "taking someone off the roster") }
    return holder
  }

  /// `acknowledged`: a person on the roster, of a team the agreement asks, agrees to its
  /// terms in force, once signing has opened. Their own act: nobody acts for them as a
  /// delegate (the consultant or czar may enter a paper sheet with its evidence).
  func checkAcknowledging(_ id: String, terms: String?, by person: String) throws(Refusal) {
    guard let entry = index.agreements[id] else { throw unknownAgreement(id) }
    guard let asked = entry.element.acknowledgedBy else { throw .notForAcknowledging(agreement: id) }
    guard let member = roster[person] else { throw notOnRoster(person) }
    guard asked.teams.contains(where: { $0.id == member.team }) else {
      throw .teamNotAsked(agreement: id, person: person, team: member.team, teams: asked.teams.map(\.id))
    }
    if isRecording {
      guard let terms else { throw .termsRequired(agreement: id) }
      try checkTerms(terms, of: id)
    }
    if acknowledgement(of: id, by: person) != nil { throw .alreadyAcknowledged(agreement: id, person: person) }
    let obstacles = self.obstacles(toSigning: id)
    guard obstacles.isEmpty else { throw .signingClosed(agreement: id, obstacles: obstacles) }
  }

  /// `affirmed`: the role's holder now takes a predecessor's signature as their own. Not
  /// delegable: it is the holder's own word.
  func checkAffirming(_ id: String, role: String, terms: String?, by person: String) throws(Refusal) {
    guard let entry = index.agreements[id] else { throw unknownAgreement(id) }
    let signatories = entry.element.signatories.map(\.id)
    guard signatories.contains(role) else { throw .notASignatory(agreement: id, role: role, signatories: signatories) }
    try require(person, holdsOneOf: [role], to: .affirm(agreement: id, role: role), at: nil)
    guard let standing = standings(of: id).first(where: { $0.signature.role == role }), !standing.signature.isStale
    else { throw .notSigned(agreement: id, role: role) }
    if isRecording, let terms { try checkTerms(terms, of: id) }
    guard standing.signedFor != person else { throw .nothingToAffirm(agreement: id, role: role) }
    guard standing.affirmation?.person != person else {
      throw .alreadyAffirmed(agreement: id, role: role, person: person)
    }
  }

  func notOnRoster(_ person: String) -> Refusal {
    .notOnRoster(person: person, suggestion: closestMatch(to: person, among: people.map(\.name)))
  }

  /// Why an address cannot be mailed, or nil: one `@` with text either side and a dot in
  /// the domain, no spaces or control characters.
  public static func emailProblem(_ email: String) -> String? {
    let parts = email.split(separator: "@", omittingEmptySubsequences: false)
    let usable =
      parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
      && !parts[1].hasSuffix(".") && email.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
      && email.utf8.count <= 254
    return usable ? nil : "'\(Shown.name(email))' is not an email address"
  }

  // MARK: Recording

  mutating func recordRoster(_ event: Event) {
    switch event.change {
    case let .joined(person, email, team, level):
      // A change of details keeps the person's place on the roster.
      let first = roster[person]
      var member = RosterMember(
        name: person, email: email, team: team, level: level, at: first?.at ?? event.at, by: event.by)
      member.position = first?.position ?? applied - 1
      if let first { rosterEmails[first.email.lowercased()] = nil }
      rosterEmails[email.lowercased()] = person
      roster[person] = member
    case let .left(person):
      if let member = roster[person] { rosterEmails[member.email.lowercased()] = nil }
      roster[person] = nil
      // Someone who leaves stops counting either way, and counts afresh if they come back.
      for agreement in acknowledgements.keys { acknowledgements[agreement]?[person] = nil }
    case let .acknowledged(agreement, terms):
      let inForce = termsHash(ofAgreement: agreement) ?? ""
      acknowledgements[agreement, default: [:]][event.actor] = Acknowledged(
        person: event.actor, terms: terms ?? inForce, at: event.at,
        enteredBy: event.onBehalfOf == nil ? nil : event.by, evidence: event.evidence)
    case let .affirmed(agreement, role, _):
      affirmations[agreement, default: [:]][role] = Affirmation(role: role, person: event.actor, at: event.at)
    default:
      break
    }
  }
}
