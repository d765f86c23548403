import Foundation
import PlaybookSpec
import ProgrammeEngine

@testable import AgreementCertificates

/// A small programme with one agreement signed by two roles, to issue certificates from.
enum Fixture {
  static let yaml = """
    playbook: terms
    version: 3
    title: Terms
    roles:
      consultant: Consultant
      czar: Czar
      head-of-sales: Head of sales
      sponsor: Sponsor
    stages:
      - id: one
        title: One
        milestones:
          - id: kick-off
            title: Kick off
            owner: consultant
        agreements:
          - id: charter
            title: The <charter> & "more"
            terms: |
              We agree to meet weekly.
              </script><script>alert(1)</script> | * _ `x`
            signatories: [head-of-sales, sponsor]

    """

  static let key = try! FirmKey(seed: Array(repeating: 7, count: 32))
  static let otherKey = try! FirmKey(seed: Array(repeating: 9, count: 32))
  static let start = Date(timeIntervalSince1970: 1_796_000_000)

  /// The programme with sam's and, when `sponsor`, sid's signature; the store's links set.
  static func programme(sponsor: Bool = true, more: [(Change, String)] = []) throws -> Programme {
    let playbook = try Playbook.parse(yaml, file: "terms.yaml")
    let terms = playbook.stages[0].agreements[0].termsHash
    var changes: [(Change, String)] = [
      (.started(client: "acme", name: "Acme Ltd"), "alice"),
      (.assigned(role: "head-of-sales", person: "sam"), "alice"),
      (.assigned(role: "sponsor", person: "sid"), "alice"),
      (.signed(agreement: "charter", role: "head-of-sales", terms: terms), "sam"),
    ]
    if sponsor { changes.append((.signed(agreement: "charter", role: "sponsor", terms: terms), "sid")) }
    changes += more
    var events = changes.enumerated().map { position, change in
      // Sam's signature carries a note; a revocation must say why.
      let note: String? =
        if case .revoked = change.0 { "changed our minds" } else { position == 3 ? "for sales" : nil }
      return Event(change.0, by: change.1, at: start.addingTimeInterval(Double(position) * 60), note: note)
    }
    HistoryChain.link(&events, from: 1)
    return try Programme(playbook: playbook, history: events)
  }

  static let client = Certificate.Client(id: "acme", name: "Acme <Ltd>", uid: "u-1")
  static let playbookReference = Certificate.PlaybookReference(id: "terms", version: 3, sha256: String(repeating: "a", count: 64))

  static func certificate(_ programme: Programme? = nil, key: FirmKey = key) throws -> Certificate {
    try Certificate.issue(
      agreement: "charter", of: programme ?? self.programme(), client: client, playbook: playbookReference,
      issuedAt: start.addingTimeInterval(3600), issuedBy: "alice", key: key.publicKey)
  }

  static func verify(_ text: String, trusting key: FirmPublicKey? = Fixture.key.publicKey) throws
    -> CertificateVerification
  {
    try CertificateVerification(CertificateDocument(text: text), trusting: key, keySource: .given)
  }
}
