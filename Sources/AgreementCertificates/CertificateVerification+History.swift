import ProgrammeEngine

extension CertificateVerification {
  /// Checks the certificate against the client's history as a workspace has it: the same
  /// client and playbook, the agreement's terms, each signature present in the history with
  /// the same role, person, time, note and terms, and the chain head at the last of them,
  /// with every link of the history up to it. What
  /// changed since it was issued (a signature revoked, signed again, or stale) is noted: the
  /// certificate still says truly what was signed when it was issued.
  ///
  /// A certificate issued before the client was upgraded names one of `earlierPlaybooks`
  /// (the SHA-256 of each text it ran on before): that, and terms changed by the upgrade,
  /// are noted, not problems.
  public mutating func check(
    against programme: Programme, uid: String, playbookSHA256: String, earlierPlaybooks: [String] = []
  ) {
    let certificate = self.certificate
    guard certificate.client.uid == uid else {
      return problems.append(.otherClient(certificate: certificate.client.uid, workspace: uid))
    }
    let upgradedSince =
      certificate.playbook.sha256 != playbookSHA256 && earlierPlaybooks.contains(certificate.playbook.sha256)
    if upgradedSince {
      notes.append(.upgradedSince(sha256: playbookSHA256))
    } else if certificate.playbook.sha256 != playbookSHA256 {
      problems.append(.otherPlaybook(certificate: certificate.playbook.sha256, workspace: playbookSHA256))
    }
    let agreement = certificate.agreement.id
    let inForce = programme.termsHash(ofAgreement: agreement)
    // After an upgrade the terms in force may differ: the signatures show as stale below.
    if inForce != certificate.agreement.termsHash, !upgradedSince {
      problems.append(.otherTerms(agreement: agreement, certificate: certificate.agreement.termsHash, workspace: inForce))
    }
    let history = programme.history
    var newest = -1
    var allFound = true
    for entry in certificate.signatures {
      let position = history.lastIndex { event in
        guard case let .signed(id, role, terms) = event.change else { return false }
        return id == agreement && role == entry.role && terms == entry.terms && Self.signer(of: event) == entry.person
          && event.by == entry.enteredBy && Certificate.onBehalfOf(event) == entry.onBehalfOf
          && event.printedBy == entry.printedBy
          && Timestamp.format(event.at) == entry.at && event.note == entry.note
      }
      guard let position else {
        allFound = false
        problems.append(.signatureNotInHistory(role: entry.role, person: entry.person, at: entry.at))
        continue
      }
      newest = max(newest, position)
      if let heldBy = entry.heldBy, let affirmedAt = entry.affirmedAt {
        let affirmed = history.lastIndex { event in
          guard case let .affirmed(id, role, _) = event.change else { return false }
          return id == agreement && role == entry.role && event.actor == heldBy && Timestamp.format(event.at) == affirmedAt
        }
        if let affirmed {
          newest = max(newest, affirmed)
        } else {
          allFound = false
          problems.append(.signatureNotInHistory(role: entry.role, person: heldBy, at: affirmedAt))
        }
      }
      noteChanges(since: position, of: entry, in: programme)
    }
    if allFound, newest >= 0 {
      // The certificate's chain head anchors every event up to the last signature: each
      // link must hold, and the last of them must hash to it.
      let prefix = Array(history[...newest])
      if let broken = HistoryChain.firstBreak(in: prefix, head: certificate.chainHead) {
        if broken.kind == .headMismatch {
          problems.append(
            .chainHeadDiffers(certificate: certificate.chainHead, workspace: HistoryChain.head(of: prefix)))
        } else {
          problems.append(.historyEdited(event: broken.position))
        }
      }
    } else if !history.indices.contains(where: { HistoryChain.head(of: Array(history[...$0])) == certificate.chainHead }) {
      problems.append(.chainHeadDiffers(certificate: certificate.chainHead, workspace: nil))
    }
  }

  /// Who signed in a `signed` event: the person it was entered for (`--on-behalf-of`),
  /// else the person who entered it (the holder, or a delegate).
  static func signer(of event: Event) -> String { event.actor }

  private mutating func noteChanges(since position: Int, of entry: Certificate.SignatureEntry, in programme: Programme) {
    let agreement = certificate.agreement.id
    guard let current = programme.signatures(of: agreement).first(where: { $0.role == entry.role }) else {
      let revocation = programme.history[(position + 1)...].last {
        if case let .revoked(id, role) = $0.change { id == agreement && role == entry.role } else { false }
      }
      return notes.append(
        .revokedSince(
          role: entry.role, by: revocation?.by ?? "someone", at: revocation.map { Timestamp.format($0.at) } ?? "?"))
    }
    if Timestamp.format(current.at) != entry.at || current.person != entry.person {
      notes.append(.signedAgainSince(role: entry.role, person: current.person, at: Timestamp.format(current.at)))
    }
    if current.isStale { notes.append(.staleNow(role: entry.role)) }
  }
}
