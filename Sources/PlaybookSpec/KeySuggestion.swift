/// The candidate closest to `word`, when it is close enough to be a likely typo: one edit
/// away for short keys, two for longer ones, a swap of neighbours counting as one edit
/// (so `sigantories` finds `signatories`). Case is ignored.
public func closestMatch(to word: String, among candidates: [String]) -> String? {
  let typed = Array(word.lowercased().unicodeScalars)
  var best: (candidate: String, distance: Int)?
  for candidate in candidates {
    let target = Array(candidate.lowercased().unicodeScalars)
    let allowed = target.count <= 4 ? 1 : 2
    guard abs(typed.count - target.count) <= allowed else { continue }
    let distance = editDistance(typed, target)
    if distance <= allowed, distance < (best?.distance ?? .max) {
      best = (candidate, distance)
    }
  }
  return best?.candidate
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// adjacent characters each cost one.
private func editDistance(_ lhs: [Unicode.Scalar], _ rhs: [Unicode.Scalar]) -> Int {
  if lhs.isEmpty { return rhs.count }
  if rhs.isEmpty { return lhs.count }
  // Three rows are enough: the swap rule looks two rows back.
  var previous2 = [Int](repeating: 0, count: rhs.count + 1)
  var previous = Array(0...rhs.count)
  var current = [Int](repeating: 0, count: rhs.count + 1)
  for i in 1...lhs.count {
    current[0] = i
    for j in 1...rhs.count {
      let cost = lhs[i - 1] == rhs[j - 1] ? 0 : 1
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if i > 1, j > 1, lhs[i - 1] == rhs[j - 2], lhs[i - 2] == rhs[j - 1] {
        current[j] = min(current[j], previous2[j - 2] + 1)
      }
    }
    (previous2, previous, current) = (previous, current, previous2)
  }
  return previous[rhs.count]
}
