import Foundation
import PlaybookSpec
import ProgrammeEngine
import Testing

@testable import AgreementCertificates

/// The certificate's content, its canonical form and seal, its three renderings, and each
/// way verification says what does not match.
@Suite struct CertificateTests {
  @Test func issuingStatesTheSignaturesThatCountAndTheChainHeadAtTheLast() throws {
    let programme = try Fixture.programme()
    let certificate = try Fixture.certificate(programme)
    #expect(certificate.agreement.termsHash == programme.termsHash(ofAgreement: "charter"))
    #expect(certificate.signatures.map(\.role) == ["head-of-sales", "sponsor"])
    #expect(certificate.signatures.map(\.person) == ["sam", "sid"])
    #expect(certificate.signatures.map(\.enteredBy) == ["sam", "sid"])
    #expect(certificate.signatures.map(\.onBehalfOf) == [nil, nil])
    #expect(certificate.signatures[0].note == "for sales")
    #expect(certificate.signatures[0].at == Timestamp.format(Fixture.start.addingTimeInterval(180)))
    #expect(certificate.unsigned.isEmpty)
    // The head after the sponsor's signature, the last event: the history's own head.
    #expect(certificate.chainHead == HistoryChain.head(of: programme.history))
    #expect(certificate.key == Fixture.key.publicKey.text)
  }

  @Test func theChainHeadIsAtTheLastSignatureNotTheEndOfTheHistory() throws {
    let programme = try Fixture.programme(more: [(.completed(milestone: "kick-off"), "alice")])
    let certificate = try Fixture.certificate(programme)
    #expect(certificate.chainHead == HistoryChain.head(of: Array(programme.history.prefix(5))))
    #expect(certificate.chainHead == programme.history[5].previous)
  }

  @Test func aPartlySignedAgreementSaysWhoHasNotSigned() throws {
    let certificate = try Fixture.certificate(Fixture.programme(sponsor: false))
    #expect(certificate.signatures.map(\.role) == ["head-of-sales"])
    #expect(certificate.unsigned == ["sponsor"])
  }

  @Test func nothingToCertifyAndUnknownAgreementsAreRefused() throws {
    let revoked = try Fixture.programme(
      sponsor: false, more: [(.revoked(agreement: "charter", role: "head-of-sales"), "sam")])
    #expect(throws: CertificateRefusal.noSignatures(agreement: "charter", unsigned: ["head-of-sales", "sponsor"])) {
      try Fixture.certificate(revoked)
    }
    #expect(throws: CertificateRefusal.unknownAgreement("chartre", suggestion: "charter")) {
      try Certificate.issue(
        agreement: "chartre", of: try Fixture.programme(), client: Fixture.client, playbook: Fixture.playbookReference,
        issuedAt: Fixture.start, issuedBy: "alice", key: Fixture.key.publicKey)
    }
  }

  @Test func theCanonicalFormSortsKeysByteWiseWithoutWhiteSpace() throws {
    let value = JSONValue.object([
      "b": .array([.integer(-3), .bool(true), .null]), "a": .string("x\"/\n\u{1}é"), "B": .object([:]),
    ])
    #expect(value.canonical == #"{"B":{},"a":"x\"/\n\u0001é","b":[-3,true,null]}"#)
    let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(value.pretty().utf8))
    #expect(parsed == value)
    #expect(!value.pretty(htmlSafe: true).contains("<"))
    let html = JSONValue.string("</script>&")
    #expect(html.pretty(htmlSafe: true) == #""\u003c/script\u003e\u0026""#)
    #expect(try JSONDecoder().decode(JSONValue.self, from: Data(html.pretty(htmlSafe: true).utf8)) == html)
  }

  @Test func theJSONReadsBackToTheSameCertificate() throws {
    let certificate = try Fixture.certificate()
    #expect(try Certificate(certificate.value) == certificate)
    var missing = certificate.value
    if case var .object(fields) = missing {
      fields["chainHead"] = nil
      missing = .object(fields)
    }
    #expect(throws: CertificateFormatError.self) { try Certificate(missing) }
  }

  @Test(arguments: CertificateFormat.allCases)
  func eachFormatRoundTripsAndVerifies(_ format: CertificateFormat) throws {
    let sealed = SealedCertificate(sealing: try Fixture.certificate(), with: Fixture.key)
    let text = CertificateDocument.render(sealed, as: format)
    let verification = try Fixture.verify(text)
    #expect(verification.isValid, "\(verification.problems)")
    #expect(verification.format == format)
    #expect(verification.sealedBy == Fixture.key.publicKey)
    #expect(verification.certificate == sealed.certificate)
    #expect(verification.notes.isEmpty)
  }

  @Test func theSealIsEd25519OverTheCanonicalFormWithoutTheSeal() throws {
    let sealed = SealedCertificate(sealing: try Fixture.certificate(), with: Fixture.key)
    let content = Array(sealed.certificate.value.canonical.utf8)
    #expect(sealed.seal.count == 64)
    #expect(Fixture.key.publicKey.isValidSignature(sealed.seal, for: content))
    #expect(!Fixture.otherKey.publicKey.isValidSignature(sealed.seal, for: content))
    #expect(sealed.value.removing("seal") == sealed.certificate.value)
  }

  @Test func htmlEscapesEverythingAndRunsNoScript() throws {
    let text = CertificateDocument.render(
      SealedCertificate(sealing: try Fixture.certificate(), with: Fixture.key), as: .html)
    #expect(text.components(separatedBy: "<script").count == 2)  // only the JSON element
    #expect(text.contains("<script type=\"application/json\" id=\"accord-certificate\">"))
    #expect(text.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(text.contains("Acme &lt;Ltd&gt;"))
    #expect(text.components(separatedBy: "</script>").count == 2)
  }

  @Test func markdownEscapesWhatWouldBeMarkup() throws {
    let text = CertificateDocument.render(
      SealedCertificate(sealing: try Fixture.certificate(), with: Fixture.key), as: .md)
    #expect(text.contains("# Certificate: The \\<charter\\> \\& \"more\""))
    #expect(text.contains("> \\</script\\>\\<script\\>alert(1)\\</script\\> \\| \\* \\_ \\`x\\`"))
    #expect(text.hasSuffix("```\n"))
  }

  // MARK: What does not match, named

  static func sealedJSON() throws -> String {
    CertificateDocument.render(SealedCertificate(sealing: try Fixture.certificate(), with: Fixture.key), as: .json)
  }

  @Test func editedTermsAreNamed() throws {
    let text = try Self.sealedJSON().replacingOccurrences(of: "meet weekly", with: "meet monthly")
    let codes = try Fixture.verify(text).problems.map(\.code)
    #expect(codes == ["seal-broken", "terms-edited"])
  }

  @Test func anEditedSignatureBreaksTheSeal() throws {
    let text = try Self.sealedJSON().replacingOccurrences(of: "\"person\": \"sid\"", with: "\"person\": \"sue\"")
    #expect(try Fixture.verify(text).problems.map(\.code) == ["seal-broken"])
    let at = Timestamp.format(Fixture.start.addingTimeInterval(180))
    let time = try Self.sealedJSON().replacingOccurrences(of: "\"at\": \"\(at)\"", with: "\"at\": \"2020-01-01T00:00:00Z\"")
    #expect(time != (try Self.sealedJSON()))
    #expect(try Fixture.verify(time).problems.map(\.code) == ["seal-broken"])
  }

  @Test func aSignatureOnOtherTermsIsNamed() throws {
    var certificate = try Fixture.certificate()
    certificate.signatures[1].terms = String(repeating: "0", count: 64)
    let text = CertificateDocument.render(SealedCertificate(sealing: certificate, with: Fixture.key), as: .json)
    #expect(try Fixture.verify(text).problems.map(\.code) == ["signature-terms-edited"])
  }

  @Test func aMissingOrMalformedSealIsNamed() throws {
    let lines = try Self.sealedJSON().split(separator: "\n", omittingEmptySubsequences: false)
    let withoutSeal = lines.filter { !$0.contains("\"seal\"") }.joined(separator: "\n")
    #expect(try Fixture.verify(withoutSeal).problems.map(\.code) == ["seal-missing"])
    let nullSeal = lines.map { $0.contains("\"seal\"") ? "  \"seal\": null," : $0 }.joined(separator: "\n")
    #expect(try Fixture.verify(nullSeal).problems.map(\.code) == ["seal-missing"])
    let short = lines.map { $0.contains("\"seal\"") ? "  \"seal\": \"AAAA\"," : $0 }.joined(separator: "\n")
    #expect(try Fixture.verify(short).problems.map(\.code) == ["seal-malformed"])
  }

  @Test func anotherKeysSealIsNamedWithBothFingerprints() throws {
    let text = try Self.sealedJSON()
    let verification = try Fixture.verify(text, trusting: Fixture.otherKey.publicKey)
    #expect(
      verification.problems
        == [.wrongKey(expected: Fixture.otherKey.publicKey.fingerprint, sealedBy: Fixture.key.publicKey.fingerprint)])
    // Re-sealed by someone else with their own key named inside: valid only for integrity.
    let forged = CertificateDocument.render(
      SealedCertificate(sealing: try Fixture.certificate(key: Fixture.otherKey), with: Fixture.otherKey), as: .json)
    #expect(try Fixture.verify(forged).problems.map(\.code) == ["wrong-key"])
    let alone = try Fixture.verify(forged, trusting: nil)
    #expect(alone.isValid)
    #expect(alone.keySource == .embedded)
    #expect(alone.notes.map(\.code) == ["integrity-only"])
  }

  @Test func anAddedKeyBreaksTheSeal() throws {
    let text = try Self.sealedJSON().replacingOccurrences(of: "{\n  \"agreement\"", with: "{\n  \"extra\": 1,\n  \"agreement\"")
    #expect(try Fixture.verify(text).problems.map(\.code) == ["seal-broken"])
  }

  /// Foundation keeps the first of two equal keys, Python the last: a certificate that
  /// repeats a key could verify here and read otherwise elsewhere, so it is no certificate.
  @Test func aRepeatedKeyIsRefused() throws {
    let text = try Self.sealedJSON()
    let repeated = text.replacingOccurrences(of: "\"termsHash\":", with: "\"terms\": \"We agree to nothing.\",\n    \"termsHash\":")
    #expect(repeated != text)
    #expect(throws: CertificateFormatError.self) { try Fixture.verify(repeated) }
    // Keys and look-alikes inside strings are not keys.
    #expect(CertificateDocument.keyCount(in: #"{"a": "b:\"c\": d", "e": [{"f": 1}], "g": {}}"#) == 4)
  }

  @Test(arguments: [CertificateFormat.md, .html])
  func anEditToTheReadableTextIsNamedWithItsLine(_ format: CertificateFormat) throws {
    let text = CertificateDocument.render(
      SealedCertificate(sealing: try Fixture.certificate(), with: Fixture.key), as: format)
    let edited = text.replacingOccurrences(of: "We agree to meet weekly.", with: "We agree to meet monthly.")
    // Only the readable text holds the words as they are; the JSON has them escaped or not.
    let first = try #require(text.range(of: "We agree to meet weekly."))
    let once = text.replacingCharacters(in: first, with: "We agree to meet monthly.")
    let problems = try Fixture.verify(once).problems
    #expect(problems.map(\.code) == ["text-differs"])
    guard case let .visibleTextDiffers(line, sealed, found) = problems.first else { return }
    #expect(found.contains("monthly") && sealed.contains("weekly"))
    #expect(text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1].contains("weekly"))
    _ = edited
  }

  @Test(arguments: ["", "   \n", "hello", "{\"a\": 1}", "[1, 2]", "```accord-certificate\n{\"format\": 1}\n```\n", "{"])
  func whatIsNotACertificateIsSaid(_ text: String) throws {
    #expect(throws: CertificateFormatError.self) { try Fixture.verify(text) }
  }

  // MARK: Against the history

  @Test func theHistoryConfirmsAnUntouchedCertificate() throws {
    let programme = try Fixture.programme()
    var verification = try Fixture.verify(Self.sealedJSON())
    verification.check(against: programme, uid: "u-1", playbookSHA256: Fixture.playbookReference.sha256)
    #expect(verification.isValid, "\(verification.problems)")
    #expect(verification.notes.isEmpty)
  }

  @Test func aSignatureRevokedOrSignedAgainSinceIsNoted() throws {
    let later = try Fixture.programme(more: [
      (.revoked(agreement: "charter", role: "sponsor"), "sid"),
      (.revoked(agreement: "charter", role: "head-of-sales"), "sam"),
      (.signed(agreement: "charter", role: "head-of-sales", terms: try Fixture.programme().termsHash(ofAgreement: "charter")), "sam"),
    ])
    var verification = try Fixture.verify(Self.sealedJSON())
    verification.check(against: later, uid: "u-1", playbookSHA256: Fixture.playbookReference.sha256)
    #expect(verification.isValid)
    #expect(verification.notes.map(\.code) == ["signed-again-since", "revoked-since"])
  }

  @Test func aHistoryThatDiffersIsNamed() throws {
    let programme = try Fixture.programme()
    // A signature the history does not have: signed by someone else.
    var certificate = try Fixture.certificate()
    certificate.signatures[1].person = "sue"
    let forged = CertificateDocument.render(SealedCertificate(sealing: certificate, with: Fixture.key), as: .json)
    var verification = try Fixture.verify(forged)
    verification.check(against: programme, uid: "u-1", playbookSHA256: Fixture.playbookReference.sha256)
    // The chain head is still the history's own: only the signature is named.
    #expect(verification.problems.map(\.code) == ["signature-not-in-history"])
    // Another client under the same id.
    var other = try Fixture.verify(Self.sealedJSON())
    other.check(against: programme, uid: "u-2", playbookSHA256: Fixture.playbookReference.sha256)
    #expect(other.problems.map(\.code) == ["other-client"])
    // A history rewritten before the last signature: its head differs.
    var head = try Fixture.certificate()
    head.chainHead = String(repeating: "b", count: 64)
    var rewritten = try Fixture.verify(
      CertificateDocument.render(SealedCertificate(sealing: head, with: Fixture.key), as: .json))
    rewritten.check(against: programme, uid: "u-1", playbookSHA256: Fixture.playbookReference.sha256)
    #expect(rewritten.problems.map(\.code) == ["chain-head-differs"])
  }
}

/// A role handed over since it signed: the certificate says who holds it now and whether
/// they affirmed the signature, and the history confirms the affirmation.
@Suite struct CertificateHandOverTests {
  static func sealed(_ certificate: Certificate) -> String {
    CertificateDocument.render(SealedCertificate(sealing: certificate, with: Fixture.key), as: .json)
  }

  @Test func aSignatureByAPredecessorSaysWhoHoldsTheRoleAndWhetherTheyAffirmed() throws {
    let handedOver = try Fixture.programme(more: [(.assigned(role: "head-of-sales", person: "ana"), "alice")])
    var certificate = try Fixture.certificate(handedOver)
    #expect(certificate.signatures[0].heldBy == "ana")
    #expect(certificate.signatures[0].affirmedAt == nil)
    #expect(certificate.signatures[0].standing == "held by ana, who has not affirmed it: signed by a predecessor")
    #expect(certificate.signatures[1].heldBy == nil)
    #expect(CertificateDocument.render(SealedCertificate(sealing: certificate, with: Fixture.key), as: .md)
      .contains("held by ana, who has not affirmed it"))

    let affirmed = try Fixture.programme(more: [
      (.assigned(role: "head-of-sales", person: "ana"), "alice"),
      (.affirmed(agreement: "charter", role: "head-of-sales"), "ana"),
    ])
    certificate = try Fixture.certificate(affirmed)
    let at = try #require(certificate.signatures[0].affirmedAt)
    #expect(certificate.signatures[0].standing == "held by ana, who affirmed it at \(at)")
    // The chain head anchors the affirmation too.
    #expect(certificate.chainHead == HistoryChain.head(of: affirmed.history))
    // Read back whole; and the history confirms it.
    let text = Self.sealed(certificate)
    var verification = try Fixture.verify(text)
    #expect(verification.certificate == certificate)
    verification.check(against: affirmed, uid: "u-1", playbookSHA256: Fixture.playbookReference.sha256)
    #expect(verification.isValid, "\(verification.problems)")
    // An affirmation the history does not hold is named.
    var forged = certificate
    forged.signatures[0].affirmedAt = "2020-01-01T00:00:00Z"
    verification = try Fixture.verify(Self.sealed(forged))
    verification.check(against: affirmed, uid: "u-1", playbookSHA256: Fixture.playbookReference.sha256)
    #expect(!verification.isValid)
  }

  @Test func aCertificateWithoutAHandOverHasNoNewKeys() throws {
    let text = Self.sealed(try Fixture.certificate())
    #expect(!text.contains("heldBy") && !text.contains("affirmedAt"))
  }
}
