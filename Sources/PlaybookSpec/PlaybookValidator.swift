/// Checks a cleanly decoded playbook against the rules in docs/playbook.md and collects
/// every problem at once, each at the node that causes it (the reference, not its owner).
///
/// Everything is dictionaries and one depth-first search per graph, linear in the size of
/// the playbook: generated playbooks with tens of thousands of milestones are validated too.
struct PlaybookValidator {
  /// What an id names; stages, milestones and agreements share one namespace.
  enum Kind: String {
    case stage, milestone, agreement
  }

  /// A stage, milestone or agreement as references see it.
  struct Element {
    var kind: Kind
    /// The index of the stage it is (or belongs to), for the rules about stage order.
    var stage: Int
    /// The element's node in the dependency graphs: milestones first, then agreements.
    var node: Int
    /// Where its id is written.
    var location: SourceLocation
  }

  /// A milestone's need or gate entry, or an agreement's need, that resolved and points
  /// somewhere allowed; the cycle searches run over these.
  struct Link {
    var source: Int
    var target: Int
    var reference: Reference
    var isGate: Bool
  }

  let playbook: Playbook
  let sourceMap: SourceMap
  var diagnostics: [Diagnostic] = []
  /// Stages, milestones and agreements by id; for a repeated id, the first one written.
  var elements: [String: Element] = [:]
  /// Milestones and agreements by graph node, with the index of their stage.
  var nodes: [(id: String, kind: Kind, stage: Int)] = []
  var links: [Link] = []
  private var roleIds: Set<String> = []

  init(playbook: Playbook, sourceMap: SourceMap) {
    self.playbook = playbook
    self.sourceMap = sourceMap
  }

  mutating func validate() -> [Diagnostic] {
    indexElements()
    checkRoles()
    // Graph nodes in the order `indexElements` numbered them.
    var milestoneNode = 0
    var agreementNode = nodes.count { $0.kind == .milestone }
    for (index, stage) in playbook.stages.enumerated() {
      checkGate(of: stage, at: index)
      for milestone in stage.milestones {
        check(milestone, node: milestoneNode, in: index)
        milestoneNode += 1
      }
      for agreement in stage.agreements {
        check(agreement, node: agreementNode, in: index)
        agreementNode += 1
      }
    }
    checkSurvey()
    checkMetrics()
    checkCycles()
    checkRecurrences()
    return diagnostics
  }

  mutating func report(_ message: String, at location: SourceLocation) {
    diagnostics.append(Diagnostic(message, at: location))
  }

  // MARK: Ids and roles

  private mutating func indexElements() {
    var all: [(id: String, element: Element)] = []
    for (index, stage) in playbook.stages.enumerated() {
      let location = idLocation(stage.location)
      all.append((stage.id, Element(kind: .stage, stage: index, node: -1, location: location)))
      for milestone in stage.milestones {
        all.append((milestone.id, element(.milestone, index, milestone.id, milestone.location)))
      }
    }
    // Agreements number after every milestone, so milestones keep dense node numbers.
    for (index, stage) in playbook.stages.enumerated() {
      for agreement in stage.agreements {
        all.append((agreement.id, element(.agreement, index, agreement.id, agreement.location)))
      }
    }
    // "The first" is the first in the file, whatever order the keys were written in.
    all.sort { $0.element.location < $1.element.location }
    for (id, element) in all {
      if let first = elements[id] {
        let place = "line \(first.location.line), column \(first.location.column)"
        report(
          "duplicate id \(id.quoted): already the id of the \(first.kind) at \(place)",
          at: element.location)
      } else {
        elements[id] = element
      }
    }
  }

  private mutating func element(
    _ kind: Kind, _ stage: Int, _ id: String, _ location: SourceLocation
  ) -> Element {
    nodes.append((id, kind, stage))
    return Element(kind: kind, stage: stage, node: nodes.count - 1, location: idLocation(location))
  }

  func idLocation(_ element: SourceLocation) -> SourceLocation {
    sourceMap.ids[element] ?? element
  }

  private mutating func checkRoles() {
    var seen: [String: SourceLocation] = [:]
    for role in playbook.roles {
      if let first = seen[role.id] {
        let place = "line \(first.line), column \(first.column)"
        report("duplicate role \(role.id.quoted): already defined at \(place)", at: role.location)
      } else {
        seen[role.id] = role.location
      }
    }
    roleIds = Set(seen.keys)
    if !roleIds.contains(consultantRole) {
      report(
        "the playbook must define the \(consultantRole.quoted) role",
        at: sourceMap.roles ?? playbook.location)
    }
  }

  mutating func checkRole(_ reference: Reference) {
    guard !roleIds.contains(reference.id) else { return }
    // A few names are enough to spot the typo; a generated playbook may have hundreds.
    let shown = 8
    var known = playbook.roles.prefix(shown).map(\.id).joined(separator: ", ")
    if playbook.roles.count > shown { known += ", ..." }
    if known.isEmpty { known = "none" }
    report("unknown role \(reference.id.quoted) (known: \(known))", at: reference.location)
  }

  // MARK: References

  private mutating func checkGate(of stage: Stage, at index: Int) {
    guard let gate = stage.gate else { return }
    for (reference, kind) in entries(of: gate) {
      guard let target = resolve(reference, as: kind), target.stage >= index else { continue }
      // An agreement opens for signing only when its own stage opens, so neither it nor
      // a milestone can be done before the stage this gate keeps closed.
      let stage = target.stage == index ? " of the same stage" : laterStage(target)
      report(
        "gate of stage \(playbook.stages[index].id.quoted) can never open: "
          + "it waits for \(kind) \(reference.id.quoted)\(stage)",
        at: reference.location)
    }
  }

  private mutating func check(_ milestone: Milestone, node: Int, in index: Int) {
    checkRole(milestone.owner)
    link(needs: milestone.needs, of: "milestone \(milestone.id.quoted)", from: node, in: index)
    guard let gate = milestone.gate else { return }
    for (reference, kind) in entries(of: gate) {
      guard let target = resolve(reference, as: kind) else { continue }
      if target.stage > index {
        report(
          "gate of milestone \(milestone.id.quoted) can never open: "
            + "it waits for \(kind) \(reference.id.quoted)\(laterStage(target))",
          at: reference.location)
      } else {
        links.append(Link(source: node, target: target.node, reference: reference, isGate: true))
      }
    }
  }

  private mutating func check(_ agreement: Agreement, node: Int, in index: Int) {
    if agreement.signatories.isEmpty {
      report(
        "agreement \(agreement.id.quoted) has no signatories; name the roles that must sign it",
        at: sourceMap.signatories[agreement.location] ?? agreement.location)
    }
    var signatories: Set<String> = []
    for signatory in agreement.signatories {
      if signatories.insert(signatory.id).inserted {
        checkRole(signatory)
      } else {
        report("repeated signatory \(signatory.id.quoted)", at: signatory.location)
      }
    }
    link(needs: agreement.needs, of: "agreement \(agreement.id.quoted)", from: node, in: index)
    if let acknowledgement = agreement.acknowledgedBy { check(acknowledgement, of: agreement) }
  }

  /// `acknowledged-by` names teams of the roster: the top-level `teams:`, else the survey's.
  private mutating func check(_ acknowledgement: Acknowledgement, of agreement: Agreement) {
    let known = playbook.rosterTeams.map(\.id)
    guard !known.isEmpty else {
      report(
        "agreement \(agreement.id.quoted) asks teams to acknowledge it, but the playbook names no teams: "
          + "add 'teams:' (and 'levels:') at the top level, or a survey", at: acknowledgement.location)
      return
    }
    for team in unique(acknowledgement.teams, "team") where !known.contains(team.id) {
      let suggestion = closestMatch(to: team.id, among: known).map { " (did you mean \($0.quoted)?)" } ?? ""
      report(
        "unknown team \(team.id.quoted)\(suggestion) (known: \(known.joined(separator: ", ")))",
        at: team.location)
    }
  }

  /// Resolves the `needs` of a milestone or agreement and links those that may be met.
  private mutating func link(needs: [Reference], of owner: String, from node: Int, in index: Int) {
    for reference in unique(needs, "milestone") {
      guard let target = resolve(reference, as: .milestone) else { continue }
      if target.stage > index {
        report(
          "\(owner) needs \(reference.id.quoted)\(laterStage(target)), "
            + "which cannot open until this stage is complete",
          at: reference.location)
      } else {
        links.append(Link(source: node, target: target.node, reference: reference, isGate: false))
      }
    }
  }

  /// A recurring milestone's `until` must name another milestone of its stage that can be
  /// done while it still recurs: one that waits for it (by `needs` or a gate, however
  /// indirectly) could never be done, nor could the stage complete.
  private mutating func checkRecurrences() {
    var dependsOn: [Int: [Int]] = [:]
    for link in links { dependsOn[link.source, default: []].append(link.target) }
    var node = 0
    for (index, stage) in playbook.stages.enumerated() {
      for milestone in stage.milestones {
        defer { node += 1 }
        guard case let .until(reference)? = milestone.recurrence?.end else { continue }
        guard let target = resolve(reference, as: .milestone) else { continue }
        if reference.id == milestone.id {
          report("milestone \(milestone.id.quoted) cannot recur until it is done itself", at: reference.location)
        } else if target.stage != index {
          report(
            "milestone \(milestone.id.quoted) recurs until \(reference.id.quoted), which must be a milestone "
              + "of the same stage (\(stage.id.quoted))", at: reference.location)
        } else if Self.reaches(from: target.node, to: node, through: dependsOn) {
          report(
            "milestone \(milestone.id.quoted) recurs until \(reference.id.quoted), which waits for it: "
              + "neither could ever be done", at: reference.location)
        }
      }
    }
  }

  /// Whether `target` is among what `source` waits for, however indirectly.
  private static func reaches(from source: Int, to target: Int, through edges: [Int: [Int]]) -> Bool {
    var seen: Set<Int> = [source]
    var stack = [source]
    while let node = stack.popLast() {
      if node == target { return true }
      for next in edges[node] ?? [] where seen.insert(next).inserted { stack.append(next) }
    }
    return false
  }

  /// A gate's entries, agreements first as written, each once.
  /// An agreement may be under both `agreements` and `affirmed`: signed, and affirmed too.
  private mutating func entries(of gate: Gate) -> [(Reference, Kind)] {
    unique(gate.agreements, "agreement").map { ($0, .agreement) }
      + unique(gate.affirmed, "agreement").map { ($0, .agreement) }
      + unique(gate.milestones, "milestone").map { ($0, .milestone) }
  }

  /// The references with repeats reported and dropped.
  private mutating func unique(_ references: [Reference], _ kind: String) -> [Reference] {
    var seen: Set<String> = []
    return references.filter { reference in
      if seen.insert(reference.id).inserted { return true }
      report("\(kind) \(reference.id.quoted) is already listed", at: reference.location)
      return false
    }
  }

  /// The element a reference names, or nil (reported) when it names nothing or something else.
  private mutating func resolve(_ reference: Reference, as kind: Kind) -> Element? {
    guard let element = elements[reference.id] else {
      report("unknown \(kind) \(reference.id.quoted)", at: reference.location)
      return nil
    }
    guard element.kind == kind else {
      let message = "\(reference.id.quoted) is \(article(element.kind)), not \(article(kind))"
      report(message, at: reference.location)
      return nil
    }
    return element
  }

  private func laterStage(_ element: Element) -> String {
    " of the later stage \(playbook.stages[element.stage].id.quoted)"
  }

  func article(_ kind: Kind) -> String {
    kind == .agreement ? "an agreement" : "a \(kind)"
  }
}
