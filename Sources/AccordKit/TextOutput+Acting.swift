import ProgrammeEngine

extension TextOutput {
  /// What text output adds to an event made for someone else, or nothing: the holder a
  /// delegate acted for, and for an event the consultant or czar recorded for another
  /// person, that person, who entered it and the evidence. `naming: false` leaves out the
  /// person it was recorded for, when the sentence names them already.
  package static func actingFor(_ event: Event, naming: Bool = true) -> String {
    var text = ""
    if let other = event.onBehalfOf, naming { text += " on behalf of \(other)" }
    if let holder = event.holder {
      text += event.onBehalfOf == nil ? " for \(holder), as their delegate" : ", delegate of \(holder)"
    }
    if event.onBehalfOf != nil {
      text += ", entered by \(event.by)"
      if let evidence = event.evidence { text += " (evidence \(evidence.name), sha256 \(short(evidence.sha256)))" }
    }
    return text
  }

  /// What text output adds to a signature made for someone else, as `actingFor` does for
  /// its event.
  static func signedFor(_ signature: Signature) -> String {
    signedFor(holder: signature.holder, enteredBy: signature.enteredBy, evidence: signature.evidence)
  }

  static func signedFor(holder: String?, enteredBy: String?, evidence: EvidenceFile?) -> String {
    var text = holder.map { " for \($0), as their delegate" } ?? ""
    if let enteredBy {
      text += ", entered by \(enteredBy)"
      if let evidence { text += " (evidence \(evidence.name), sha256 \(short(evidence.sha256)))" }
    }
    return text
  }

  /// The active delegations, one line each, under a heading; nothing when there are none.
  package func delegations(_ delegations: [Delegation]) -> [String] {
    guard !delegations.isEmpty else { return [] }
    var table = Table()
    for delegation in delegations {
      table.append(
        delegation.role, "\(delegation.delegate) for \(delegation.holder)", "until \(delegation.until) (UTC)",
        style.dim(delegation.reason.map(Shown.noteOnOneLine) ?? ""))
    }
    return ["", style.heading("Delegations")] + table.render()
  }
}
