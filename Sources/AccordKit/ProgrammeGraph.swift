import PlaybookSpec
import ProgrammeEngine

/// A programme as a picture: its stages as groups, milestones and agreements as nodes, and
/// what each needs or waits behind (a gate) as edges; for a client, each node marked with
/// where it stands. Values in, text out: `accord graph` and the server's client page write
/// it as Graphviz DOT or Mermaid, and only the edge that runs `dot` touches the system.
package struct ProgrammeGraph: Sendable, Hashable {
  /// Where a node stands for a client, as the picture colours it.
  package enum State: String, Sendable, Hashable, CaseIterable {
    /// A milestone completed, an agreement signed, a stage complete.
    case done
    /// It may be done now.
    case ready
    /// Behind an earlier stage or something it needs that is not done.
    case waiting
    /// Behind a gate that does not hold.
    case gated
    /// Not done, and its date has passed.
    case overdue
  }

  package enum Kind: String, Sendable, Hashable {
    case milestone, agreement
    /// A stage's gate: what the stage waits behind, drawn as one node its items point to.
    case gate
  }

  package struct Node: Sendable, Hashable {
    /// The playbook id; for a stage's gate, "gate " and the stage's id (a space no id has,
    /// so it never meets a milestone's or agreement's).
    package var key: String
    package var title: String
    package var kind: Kind
    package var state: State?
  }

  package struct Group: Sendable, Hashable {
    package var id: String
    package var title: String
    package var state: State?
    package var nodes: [Node]
  }

  package enum EdgeKind: String, Sendable, Hashable {
    /// The target needs the source done first.
    case needs
    /// The source must be signed or done before the target's gate holds.
    case gate
  }

  package struct Edge: Sendable, Hashable {
    package var from: String
    package var to: String
    package var kind: EdgeKind
  }

  /// The playbook's (or client's) title, as the picture's caption.
  package var title: String
  package var groups: [Group]
  package var edges: [Edge]

  /// The playbook's shape alone, with no states.
  package init(playbook: Playbook) {
    self.init(playbook: playbook, title: playbook.title, nodeState: { _ in nil }, gateState: { _ in nil }) { _, _ in nil }
  }

  /// A client's programme, each node marked as `dates` judge it (its dates, and the day).
  package init(programme: Programme, dates: ItemDates) {
    self.init(programme: programme, dueDates: dates.byItem, today: dates.today)
  }

  /// A client's programme, each node marked as it stands on `today`, given its open work's
  /// dates (`Programme.dueDates(in:)`): work not done whose date is before today is overdue.
  package init(programme: Programme, dueDates: [String: DueDate], today: CalendarDate) {
    let playbook = programme.playbook
    let stages = programme.stageStates()
    func overdue(_ id: String) -> Bool { dueDates[id].map { $0.daysLeft(from: today) < 0 } ?? false }
    func waitingState(_ position: Int) -> State { stages[position] == .gated ? .gated : .waiting }
    var positions: [String: Int] = [:]
    for (position, stage) in playbook.stages.enumerated() {
      for milestone in stage.milestones { positions[milestone.id] = position }
      for agreement in stage.agreements { positions[agreement.id] = position }
    }
    let milestones = Dictionary(
      playbook.stages.flatMap(\.milestones).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let agreements = Dictionary(
      playbook.stages.flatMap(\.agreements).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    func nodeState(_ key: String) -> State? {
      guard let position = positions[key] else { return nil }
      if let milestone = milestones[key] {
        switch programme.state(ofMilestone: key, stages: stages) {
        case .done: return .done
        case .ready: return overdue(key) ? .overdue : .ready
        case .blocked, nil:
          guard stages[position].isOpen else { return waitingState(position) }
          if overdue(key) { return .overdue }
          if let gate = milestone.gate, !programme.hold(on: gate).isEmpty { return .gated }
          return .waiting
        }
      }
      if let agreement = agreements[key] {
        if programme.state(ofAgreement: key) == .signed { return .done }
        guard stages[position].isOpen else { return waitingState(position) }
        if overdue(key) { return .overdue }
        return agreement.needs.allSatisfy { programme.isDone($0.id) } ? .ready : .waiting
      }
      return nil
    }
    func groupState(_ stage: Stage, _ position: Int) -> State? {
      switch stages[position] {
      case .complete: return .done
      case .active: return overdue(stage.id) ? .overdue : .ready
      case .gated: return .gated
      case .locked: return .waiting
      }
    }
    self.init(
      playbook: playbook, title: "\(programme.name) — \(playbook.title)", nodeState: nodeState,
      gateState: { programme.hold(on: $0).isEmpty ? .done : .gated }, groupState: groupState)
  }

  private init(
    playbook: Playbook, title: String, nodeState: (String) -> State?, gateState: (Gate) -> State?,
    groupState: (Stage, Int) -> State?
  ) {
    self.title = title
    var groups: [Group] = []
    var edges: [Edge] = []
    for (position, stage) in playbook.stages.enumerated() {
      var nodes: [Node] = []
      if let gate = stage.gate {
        let key = "gate \(stage.id)"
        nodes.append(Node(key: key, title: "Gate: \(stage.title)", kind: .gate, state: gateState(gate)))
        edges += Self.edges(into: key, from: gate)
      }
      for milestone in stage.milestones {
        nodes.append(Node(key: milestone.id, title: milestone.title, kind: .milestone, state: nodeState(milestone.id)))
        edges += milestone.needs.map { Edge(from: $0.id, to: milestone.id, kind: .needs) }
        if let gate = milestone.gate { edges += Self.edges(into: milestone.id, from: gate) }
      }
      for agreement in stage.agreements {
        nodes.append(Node(key: agreement.id, title: agreement.title, kind: .agreement, state: nodeState(agreement.id)))
        edges += agreement.needs.map { Edge(from: $0.id, to: agreement.id, kind: .needs) }
      }
      groups.append(Group(id: stage.id, title: stage.title, state: groupState(stage, position), nodes: nodes))
    }
    // An edge to or from something the picture does not draw (a validated playbook has
    // none) would make Graphviz invent a node: left out instead.
    let keys = Set(groups.flatMap(\.nodes).map(\.key))
    var seen: Set<Edge> = []
    self.groups = groups
    self.edges = edges.filter { keys.contains($0.from) && keys.contains($0.to) && seen.insert($0).inserted }
  }

  /// One edge from each item a gate waits for (agreements, those it asks affirmed, milestones).
  private static func edges(into key: String, from gate: Gate) -> [Edge] {
    (gate.agreements + gate.affirmed + gate.milestones).map { Edge(from: $0.id, to: key, kind: .gate) }
  }

  /// Each node's key mapped to a name safe in any syntax, `n0`, `n1`..., in drawing order:
  /// ids are the playbook's, but the writers never trust them as syntax.
  private var names: [String: String] {
    var names: [String: String] = [:]
    for node in groups.flatMap(\.nodes) where names[node.key] == nil { names[node.key] = "n\(names.count)" }
    return names
  }
}

// MARK: - Colours

extension ProgrammeGraph.State {
  /// Fill and outline, readable in print and to most colour-blind readers (each state also
  /// differs in its outline style, and its name is in the label).
  var colours: (fill: String, stroke: String) {
    switch self {
    case .done: ("#d9f2d9", "#2e7d32")
    case .ready: ("#dbe9ff", "#1f5fbf")
    case .waiting: ("#eeeeee", "#777777")
    case .gated: ("#fff1cc", "#a86b00")
    case .overdue: ("#ffd6d6", "#c62828")
    }
  }
}

// MARK: - Graphviz DOT

extension ProgrammeGraph {
  /// The picture in Graphviz's DOT language, for `dot -Tsvg`. Every title is a quoted,
  /// escaped string, so no title can end one or add an attribute; each node carries its
  /// kind and state as `class` (in the SVG, for styling and tests) and in its tooltip.
  package func dot() -> String {
    let names = names
    var lines = [
      "digraph programme {",
      "  graph [rankdir=LR, compound=true, labelloc=t, fontname=\"Helvetica\", label=\(Self.dotString(title))];",
      "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=11];",
      "  edge [fontname=\"Helvetica\", fontsize=9];",
    ]
    for (position, group) in groups.enumerated() {
      lines.append("  subgraph cluster_\(position) {")
      var label = group.title
      if let state = group.state { label += " (\(state.rawValue))" }
      var attributes = ["label=\(Self.dotString(label))", "class=\"stage\(group.state.map { " \($0.rawValue)" } ?? "")\""]
      if let state = group.state {
        attributes += ["style=\"rounded,dashed\"", "color=\"\(state.colours.stroke)\""]
      } else {
        attributes += ["style=rounded", "color=\"#999999\""]
      }
      lines.append("    graph [\(attributes.joined(separator: ", "))];")
      for node in group.nodes {
        guard let name = names[node.key] else { continue }
        var attributes = [
          "label=\(Self.dotString(node.title, lineBelow: node.state.map { "(\($0.rawValue))" }))",
          "tooltip=\(Self.dotString("\(node.title) (\(node.kind.rawValue)\(node.state.map { ", \($0.rawValue)" } ?? ""))"))",
          "class=\"\(node.kind.rawValue)\(node.state.map { " \($0.rawValue)" } ?? "")\"",
        ]
        switch node.kind {
        case .milestone: break
        case .agreement: attributes.append("shape=note")
        case .gate: attributes += ["shape=hexagon", "style=filled"]
        }
        if let state = node.state {
          attributes += ["fillcolor=\"\(state.colours.fill)\"", "color=\"\(state.colours.stroke)\""]
          if state == .overdue { attributes.append("penwidth=2") }
        }
        lines.append("    \(name) [\(attributes.joined(separator: ", "))];")
      }
      lines.append("  }")
    }
    for edge in edges {
      guard let from = names[edge.from], let to = names[edge.to] else { continue }
      switch edge.kind {
      case .needs: lines.append("  \(from) -> \(to) [class=\"needs\"];")
      case .gate: lines.append("  \(from) -> \(to) [class=\"gate\", style=dashed, label=\"gate\"];")
      }
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// `text` as a DOT quoted string: `"` and `\` escaped (a label's `\n`, `\l` and `\N` are
  /// Graphviz's line breaks and names, so a title's backslash must not start one), and a
  /// line break or other control character as a space (`\n` is the writer's own break).
  /// `lineBelow`, escaped the same way, follows on a line of its own.
  static func dotString(_ text: String, lineBelow: String? = nil) -> String {
    var escaped = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case _ where isBreakOrControl(scalar): escaped += " "
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    guard let lineBelow else { return escaped + "\"" }
    return escaped + "\\n" + dotString(lineBelow).dropFirst()
  }
}

// MARK: - Mermaid

extension ProgrammeGraph {
  /// The picture as a Mermaid flowchart, for Markdown that renders it (GitHub, GitLab,
  /// many wikis). Labels are quoted with every character Mermaid or HTML reads specially
  /// written as an entity code, so a title can neither end its label nor become markup.
  package func mermaid() -> String {
    let names = names
    var lines = ["flowchart LR"]
    var classes: [State: [String]] = [:]
    for (position, group) in groups.enumerated() {
      var label = group.title
      if let state = group.state { label += " (\(state.rawValue))" }
      lines.append("  subgraph s\(position)[\(Self.mermaidLabel(label))]")
      lines.append("    direction TB")
      for node in group.nodes {
        guard let name = names[node.key] else { continue }
        var label = node.title
        if let state = node.state {
          label += " (\(state.rawValue))"
          classes[state, default: []].append(name)
        }
        let quoted = Self.mermaidLabel(label)
        switch node.kind {
        case .milestone: lines.append("    \(name)(\(quoted))")
        case .agreement: lines.append("    \(name)[\(quoted)]")
        case .gate: lines.append("    \(name){{\(quoted)}}")
        }
      }
      lines.append("  end")
    }
    for edge in edges {
      guard let from = names[edge.from], let to = names[edge.to] else { continue }
      switch edge.kind {
      case .needs: lines.append("  \(from) --> \(to)")
      case .gate: lines.append("  \(from) -. gate .-> \(to)")
      }
    }
    for state in State.allCases {
      guard let members = classes[state] else { continue }
      let (fill, stroke) = state.colours
      lines.append("  classDef \(state.rawValue) fill:\(fill),stroke:\(stroke)")
      lines.append("  class \(members.joined(separator: ",")) \(state.rawValue)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `text` as a quoted Mermaid label: `"` as `#quot;`, and `#`, `<`, `>`, `&` and the
  /// backtick (which would start entity codes, markup or a Markdown string) as entity codes;
  /// line breaks and other control characters as spaces.
  static func mermaidLabel(_ text: String) -> String {
    var escaped = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": escaped += "#quot;"
      case "#": escaped += "#35;"
      case "<": escaped += "#lt;"
      case ">": escaped += "#gt;"
      case "&": escaped += "#amp;"
      case "`": escaped += "#96;"
      case _ where isBreakOrControl(scalar): escaped += " "
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped + "\""
  }

  /// A line or paragraph break of any kind, or another control character: a title is one
  /// line in the picture, whatever it holds.
  static func isBreakOrControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .lineSeparator, .paragraphSeparator: true
    default: false
    }
  }
}
