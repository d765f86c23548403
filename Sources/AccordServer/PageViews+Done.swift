import AccordKit
import Foundation
import ProgrammeEngine

extension PageViews {
  /// The message a page shows after a change made on it, from the redirect's `done`: the
  /// position of the event just recorded. Said only for an event the viewer made on the
  /// pages, so a link passed around cannot make a page claim someone did something.
  static func done(_ position: Substring?, in programme: Programme, viewer: String) -> String? {
    guard let position, let index = Int(position), programme.history.indices.contains(index) else { return nil }
    let event = programme.history[index]
    guard event.by == viewer, event.via == .web else { return nil }
    let at = " (\(Timestamp.format(event.at)))"
    switch event.change {
    case let .completed(milestone): return "Done: you completed '\(milestone)'" + at + "."
    case let .reopened(milestone): return "Done: you reopened '\(milestone)'" + at + "."
    case let .signed(agreement, role, terms):
      return "Done: you signed '\(agreement)' as \(role)"
        + (terms.map { " on terms \(TextOutput.short($0))" } ?? "") + at + "."
    case let .revoked(agreement, role): return "Done: you revoked the signature on '\(agreement)' for \(role)" + at + "."
    case let .acknowledged(agreement, terms):
      return "Done: you acknowledged '\(agreement)'"
        + (terms.map { " on terms \(TextOutput.short($0))" } ?? "") + at + "."
    case let .affirmed(agreement, role, _):
      return "Done: you affirmed '\(agreement)' as \(role)" + at + "."
    case let .assigned(role, person):
      return "Done: \(Shown.name(person)) now holds the role '\(role)'" + at + "."
    default: return "Done: \(event.change.type)" + at + "."
    }
  }
}
