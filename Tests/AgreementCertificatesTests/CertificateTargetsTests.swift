import Foundation
import PlaybookSpec
import ProgrammeEngine
import Testing

@testable import AgreementCertificates

/// An agreement's metric targets are part of its terms: a certificate shows them with the
/// terms, its hash covers them, and a certificate of an agreement without any reads and
/// verifies exactly as before.
@Suite struct CertificateTargetsTests {
  static let yaml = Fixture.yaml.replacingOccurrences(
    of: "stages:",
    with: """
      metrics:
        - {id: content-used, title: Content used, unit: "%", better: higher, format: percent}
        - {id: time-to-sale, title: Time to sale, unit: days, better: lower, format: integer}
      stages:
      """
  ).replacingOccurrences(
    of: "    signatories: [head-of-sales, sponsor]",
    with: "    signatories: [head-of-sales, sponsor]\n        targets: {time-to-sale: 45, content-used: 50}")

  static func certificate() throws -> Certificate {
    let playbook = try Playbook.parse(yaml, file: "terms.yaml")
    let terms = playbook.stages[0].agreements[0].termsHash
    var events = [
      (Change.started(client: "acme", name: "Acme Ltd"), "alice"),
      (.assigned(role: "head-of-sales", person: "sam"), "alice"),
      (.assigned(role: "sponsor", person: "sid"), "alice"),
      (.signed(agreement: "charter", role: "head-of-sales", terms: terms), "sam"),
      (.signed(agreement: "charter", role: "sponsor", terms: terms), "sid"),
    ].enumerated().map { position, change in
      Event(change.0, by: change.1, at: Fixture.start.addingTimeInterval(Double(position) * 60))
    }
    HistoryChain.link(&events, from: 1)
    let programme = try Programme(playbook: playbook, history: events)
    return try Fixture.certificate(programme)
  }

  @Test func theTargetsAreShownAndHashedWithTheTerms() throws {
    let certificate = try Self.certificate()
    #expect(certificate.agreement.targets.map(\.metric) == ["time-to-sale", "content-used"])
    #expect(certificate.agreement.computedHash == certificate.agreement.termsHash)
    #expect(try Certificate(certificate.value) == certificate)
    let sealed = SealedCertificate(sealing: certificate, with: Fixture.key)
    for format in CertificateFormat.allCases {
      let verification = try Fixture.verify(CertificateDocument.render(sealed, as: format))
      #expect(verification.isValid, "\(format): \(verification.problems)")
    }
    #expect(CertificateDocument.render(sealed, as: .md).contains("- Target: `time-to-sale` 45"))
    #expect(CertificateDocument.render(sealed, as: .html).contains("<li>Target: <code>content-used</code> 50</li>"))
  }

  @Test func anEditedTargetIsAnEditedAgreement() throws {
    var certificate = try Self.certificate()
    certificate.agreement.targets[0].value = "30"
    #expect(certificate.agreement.computedHash != certificate.agreement.termsHash)
    let text = CertificateDocument.render(SealedCertificate(sealing: certificate, with: Fixture.key), as: .json)
    let verification = try Fixture.verify(text)
    #expect(!verification.isValid)
  }

  @Test func aCertificateWithoutTargetsHasNoTargetsKey() throws {
    let certificate = try Fixture.certificate()
    #expect(certificate.agreement.targets.isEmpty)
    guard case let .object(fields) = certificate.value, case let .object(agreement)? = fields["agreement"] else {
      Issue.record("no agreement object")
      return
    }
    #expect(agreement["targets"] == nil)
    #expect(Set(agreement.keys) == ["id", "title", "terms", "signatories", "termsHash"])
  }
}
