import Foundation
import PlaybookSpec
import ProgrammeEngine

extension Certificate {
  /// For whom a signature was made when not by its signer in their own right: the person
  /// the consultant or czar entered it for (`--on-behalf-of`), else the role holder a
  /// delegate signed for; nil for a signer who holds the role and entered it.
  static func onBehalfOf(_ event: Event) -> String? {
    event.onBehalfOf ?? event.holder
  }

  /// The certificate of the agreement `id` as the programme stands: the signatures that
  /// count now (a stale one, on terms since changed, does not), and the chain head just
  /// after the newest of them.
  ///
  /// Refused for an agreement the playbook does not have (naming the nearest id) and for one
  /// with no signature that counts: a certificate is a record of signatures.
  public static func issue(
    agreement id: String, of programme: Programme, client: Client, playbook: PlaybookReference,
    issuedAt: Date, issuedBy: String, key: FirmPublicKey
  ) throws(CertificateRefusal) -> Certificate {
    let agreements = programme.playbook.stages.flatMap(\.agreements)
    guard let agreement = agreements.first(where: { $0.id == id }) else {
      throw .unknownAgreement(id, suggestion: closestMatch(to: id, among: agreements.map(\.id)))
    }
    let history = programme.history
    var entries: [SignatureEntry] = []
    var newest = -1
    let standings = Dictionary(
      programme.standings(of: id).map { ($0.signature.role, $0) }, uniquingKeysWith: { first, _ in first })
    for signature in programme.signatures(of: id) where !signature.isStale {
      // The signature is the newest `signed` event for its role: a revocation removes it.
      let position = history.lastIndex {
        if case let .signed(agreement, role, _) = $0.change { agreement == id && role == signature.role } else { false }
      }
      guard let position else { continue }
      let event = history[position]
      newest = max(newest, position)
      var entry = SignatureEntry(
        role: signature.role, person: signature.person, at: Timestamp.format(signature.at), note: event.note,
        terms: signature.terms, enteredBy: event.by, onBehalfOf: Certificate.onBehalfOf(event),
        printedBy: event.printedBy)
      // A role handed over since: who holds it, and whether they affirmed it (that event is
      // then anchored by the chain head too).
      if let standing = standings[signature.role], let holder = standing.holder, standing.signedFor != holder {
        entry.heldBy = holder
        if let affirmation = standing.affirmation, affirmation.person == holder,
          let affirmed = history.lastIndex(where: {
            if case let .affirmed(agreement, role, _) = $0.change { agreement == id && role == signature.role } else { false }
          })
        {
          entry.affirmedAt = Timestamp.format(history[affirmed].at)
          newest = max(newest, affirmed)
        }
      }
      entries.append(entry)
    }
    let signed = Set(entries.map(\.role))
    let unsigned = agreement.signatories.map(\.id).filter { !signed.contains($0) }
    guard newest >= 0 else { throw .noSignatures(agreement: id, unsigned: unsigned) }
    return Certificate(
      client: client, playbook: playbook,
      agreement: AgreementTerms(
        id: agreement.id, title: agreement.title, terms: agreement.terms,
        signatories: agreement.signatories.map(\.id), termsHash: agreement.termsHash,
        targets: agreement.targets.map { AgreementTerms.Target(metric: $0.metric.id, value: $0.value.text) }),
      signatures: entries, unsigned: unsigned,
      chainHead: HistoryChain.head(of: Array(history[...newest])) ?? "",
      issuedAt: Timestamp.format(issuedAt), issuedBy: issuedBy, key: key.text)
  }
}
