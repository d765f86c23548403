/// A directed graph over nodes numbered `0..<nodeCount`, for finding cycles in linear time.
///
/// Edges carry a label (the reference that made them) so a cycle can be reported at, and
/// described by, the references the author wrote.
struct DependencyGraph<Label> {
  struct Edge {
    var target: Int
    var label: Label
  }

  /// One step along a cycle: a node and the edge it is left by.
  struct Step {
    var source: Int
    var edge: Edge
  }

  private enum Visit { case new, onPath, done }

  private var adjacency: [[Edge]]

  init(nodeCount: Int) {
    adjacency = Array(repeating: [], count: nodeCount)
  }

  mutating func addEdge(from source: Int, to target: Int, label: Label) {
    adjacency[source].append(Edge(target: target, label: label))
  }

  /// The cycles closed by the back edges of a depth-first search that starts from each
  /// node in turn and follows edges in the order they were added.
  ///
  /// Each cycle starts at the node its back edge returns to and ends with the back edge.
  /// Removing every back edge leaves the graph acyclic, so an empty result means no cycle
  /// at all, and a graph with many overlapping cycles yields one report per back edge
  /// rather than one per cycle (of which there can be exponentially many).
  ///
  /// Iterative, so a long chain of dependencies cannot overflow the stack.
  func cycles() -> [[Step]] {
    var visit = Array(repeating: Visit.new, count: adjacency.count)
    var positionOnPath = Array(repeating: 0, count: adjacency.count)
    // Each entry is a node on the current path and the index of the next edge to follow.
    var path: [(node: Int, next: Int)] = []
    var cycles: [[Step]] = []

    for root in adjacency.indices where visit[root] == .new {
      visit[root] = .onPath
      positionOnPath[root] = 0
      path.append((root, 0))
      while let (node, next) = path.last {
        guard next < adjacency[node].count else {
          visit[node] = .done
          path.removeLast()
          continue
        }
        path[path.count - 1].next += 1
        let edge = adjacency[node][next]
        switch visit[edge.target] {
        case .new:
          visit[edge.target] = .onPath
          positionOnPath[edge.target] = path.count
          path.append((edge.target, 0))
        case .onPath:
          var cycle = path[positionOnPath[edge.target]..<(path.count - 1)].map { entry in
            Step(source: entry.node, edge: adjacency[entry.node][entry.next - 1])
          }
          cycle.append(Step(source: node, edge: edge))
          cycles.append(cycle)
        case .done:
          break
        }
      }
    }
    return cycles
  }
}
