import PlaybookSpec

/// The change between the terms a role signed and the terms in force, line by line, for
/// `next` to show why it asks for a signature again.
package enum TermsDiff {
  /// `-` before a line only the old terms have, `+` before a line only the new ones have,
  /// two spaces before a line both have; the title and the signatories too when they
  /// changed. Empty when nothing a person reads changed.
  package static func lines(from old: Agreement, to new: Agreement) -> [String] {
    var lines: [String] = []
    if old.title != new.title {
      lines += ["- title: " + old.title, "+ title: " + new.title]
    }
    let oldSignatories = old.signatories.map(\.id), newSignatories = new.signatories.map(\.id)
    if oldSignatories != newSignatories {
      lines += [
        "- signatories: " + oldSignatories.joined(separator: ", "),
        "+ signatories: " + newSignatories.joined(separator: ", "),
      ]
    }
    // Targets are part of the terms: each one changed, added or dropped, as metric: value.
    let oldTargets = old.targets.map { "\($0.metric.id): \($0.value)" }
    let newTargets = new.targets.map { "\($0.metric.id): \($0.value)" }
    lines += oldTargets.filter { !newTargets.contains($0) }.map { "- target " + $0 }
    lines += newTargets.filter { !oldTargets.contains($0) }.map { "+ target " + $0 }
    let before = split(old.terms), after = split(new.terms)
    guard before != after else { return lines }
    // CollectionDifference gives the fewest removals and insertions; walking both texts
    // alongside it puts each line where it belongs.
    let difference = after.difference(from: before)
    var removed = Set<Int>(), inserted = Set<Int>()
    for change in difference {
      switch change {
      case let .remove(offset, _, _): removed.insert(offset)
      case let .insert(offset, _, _): inserted.insert(offset)
      }
    }
    var oldLine = 0, newLine = 0
    while oldLine < before.count || newLine < after.count {
      if oldLine < before.count, removed.contains(oldLine) {
        lines.append("- " + before[oldLine])
        oldLine += 1
      } else if newLine < after.count, inserted.contains(newLine) {
        lines.append("+ " + after[newLine])
        newLine += 1
      } else {
        lines.append("  " + (newLine < after.count ? after[newLine] : before[oldLine]))
        oldLine += 1
        newLine += 1
      }
    }
    return lines.map { $0.trimmingTrailingSpaces() }
  }

  private static func split(_ terms: String?) -> [String] {
    guard var text = terms else { return [] }
    while text.hasSuffix("\n") { text.removeLast() }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }
}
