import Foundation

// The one way a front end (the commands, the API, the pages, the trial of a page's buttons)
// makes a change as a person: build the event, let the rules say which role holder its
// author acts for, and apply it.

extension Programme {
  /// Records `change` by `person` at `time` as one new event, with the role holder the rules
  /// answer for it (`holder(for:)`), so that no front end guesses it; answers the event.
  ///
  /// `onBehalfOf` and `evidence` record an act someone else did elsewhere; `via` is the
  /// server's door it came through (nil on the command line); `printedBy`, who printed the
  /// sign-in link of the web session it came from, when that was not `person`. A new
  /// signature must name the terms its signer was shown (`Refusal.termsRequired`), and is
  /// refused unless they are the terms in force (`Refusal.termsChanged`).
  @discardableResult
  public mutating func record(
    _ change: Change, by person: String, at time: Date, note: String? = nil, onBehalfOf: String? = nil,
    evidence: EvidenceFile? = nil, via: Via? = nil, printedBy: String? = nil, id: String? = nil
  ) throws(Refusal) -> Event {
    if case let .signed(agreement, _, .none) = change {
      // An unknown agreement is refused as such, naming the nearest one.
      guard index.agreements[agreement] != nil else { throw unknownAgreement(agreement) }
      throw .termsRequired(agreement: agreement)
    }
    var event = Event(
      change, by: person, at: time, note: note, onBehalfOf: onBehalfOf, evidence: evidence, via: via,
      printedBy: printedBy, id: id)
    event.holder = try holder(for: event)
    try apply(event)
    return event
  }
}
