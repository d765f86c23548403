/// Events by id (`Event.id`): what a retried change finds of its first attempt.
extension Programme {
  /// The position in `history` of the event whose id is `id`, or nil when no event has it.
  /// Looked for from the newest event back, where a retried change's first attempt is.
  public func position(ofEventID id: String) -> Int? {
    guard eventIDs.contains(id) else { return nil }
    return history.lastIndex { $0.id == id }
  }
}
