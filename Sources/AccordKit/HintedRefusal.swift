import ProgrammeEngine

/// A refusal of the programme's rules, with what the command line can add about the slip
/// behind it: a name that differs only in case from someone the client knows, or a person
/// who is only the login name because nobody said who was at the keyboard.
package struct HintedRefusal: Error {
  package var refusal: Refusal
  /// Someone the client knows whose name differs from the refused person's only in case.
  package var suggestion: String?

  /// `error`, hinted when it is a refusal of a person whose name is someone else's in another case.
  static func hinting(_ error: any Error, people: some Sequence<String>) -> any Error {
    guard let refusal = error as? Refusal, case let .notAllowed(person, _, _) = refusal else { return error }
    let folded = person.lowercased()
    guard let match = people.first(where: { $0 != person && $0.lowercased() == folded }) else { return refusal }
    return HintedRefusal(refusal: refusal, suggestion: match)
  }
}

extension Refusal {
  /// The refused person, when the refusal is about who may make a change.
  var refusedPerson: String? {
    if case let .notAllowed(person, _, _) = self { person } else { nil }
  }
}
