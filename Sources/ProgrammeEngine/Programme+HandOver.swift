import PlaybookSpec

extension Programme {
  /// What assigning `role` to `person` takes from whoever holds it now, when that is a loss
  /// of control to be confirmed first: the consultant role passing from its holder to
  /// someone else. Nil for any other assignment.
  ///
  /// Every door says it in these words (the command's question, the API's refusal, the
  /// page's confirmation step), so the sentence lives here, once.
  public func handOverLoss(of role: String, to person: String) -> String? {
    guard role == consultantRole, let holder = assignments[role], holder != person else { return nil }
    let roles = assignments.filter { $0.value == holder && $0.key != role }.map(\.key)
    let stays =
      roles.contains(czarRole)
      ? "\(holder) stays the \(czarRole), and so may still assign roles"
      : "only \(person), as the new \(role), or the \(czarRole) can assign roles from then on, "
        + "and \(holder) cannot take it back"
    return "\(holder) will no longer be \(client)'s \(role): " + stays
  }
}
