extension PlaybookValidator {
  /// Reports every way the programme could wait forever, after the rules about stage order
  /// have left only links within a stage or to an earlier one.
  ///
  /// Needs alone are searched first, so that a plain loop of needs reads as one. Then every
  /// link together: with needs now acyclic, and agreements entered only through gates, any
  /// cycle left runs through a milestone's gate, and that gate is where it is reported.
  /// Each search reports one cycle per back edge and skips the edges already reported, so
  /// a playbook with no report here has no cycle: everything in it can be done.
  mutating func checkCycles() {
    let milestoneCount = nodes.count { $0.kind == .milestone }
    var needs = DependencyGraph<Int>(nodeCount: milestoneCount)
    for (index, link) in links.enumerated() where !link.isGate && link.source < milestoneCount {
      needs.addEdge(from: link.source, to: link.target, label: index)
    }
    var reported: Set<Int> = []
    for cycle in needs.cycles() {
      guard let back = cycle.last?.edge.label else { continue }
      reported.insert(back)
      let location = links[back].reference.location
      if cycle.count == 1 {
        report("milestone \(nodes[cycle[0].source].id.quoted) needs itself", at: location)
      } else {
        let names = (cycle.map(\.source) + [cycle[0].source]).map { nodes[$0].id }
        report("needs form a cycle: \(Self.chain(names))", at: location)
      }
    }

    var everything = DependencyGraph<Int>(nodeCount: nodes.count)
    for (index, link) in links.enumerated() where !reported.contains(index) {
      everything.addEdge(from: link.source, to: link.target, label: index)
    }
    for cycle in everything.cycles() {
      let start = cycle.firstIndex { links[$0.edge.label].isGate } ?? 0
      reportGateCycle(Array(cycle[start...] + cycle[..<start]).map { links[$0.edge.label] })
    }
  }

  /// `gate of milestone 'm' can never open: it waits for agreement 'a', which needs milestone 'm'`,
  /// reported at the gate's entry that starts the cycle.
  private mutating func reportGateCycle(_ cycle: [Link]) {
    guard let first = cycle.first else { return }
    var message = "gate of milestone \(nodes[first.source].id.quoted) can never open: it waits for "
    if cycle.count == 1 {
      message += "the milestone itself"
    } else {
      // A cycle can be as long as the playbook; the first few steps show the loop.
      let shown = 8
      message += name(first.target)
      for link in cycle.dropFirst().prefix(shown - 1) {
        message += (link.isGate ? ", whose gate waits for " : ", which needs ") + name(link.target)
      }
      if cycle.count > shown {
        message += ", ... and back to \(name(first.source))"
      }
    }
    report(message, at: first.reference.location)
  }

  private func name(_ node: Int) -> String {
    "\(nodes[node].kind) \(nodes[node].id.quoted)"
  }

  /// `a -> b -> c -> a`, shortened in the middle when very long.
  static func chain(_ names: [String]) -> String {
    let limit = 12
    guard names.count > limit else { return names.joined(separator: " -> ") }
    return (names.prefix(limit / 2) + ["..."] + names.suffix(limit / 2 - 1)).joined(separator: " -> ")
  }
}
