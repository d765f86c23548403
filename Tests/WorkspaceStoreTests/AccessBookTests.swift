import Foundation
import Glibc
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// Who may use the web application: links once, sessions that expire, tokens that can be
/// revoked, and a file that keeps no secret.
@Suite struct AccessBookTests {
  let now = time("2026-11-30T09:00:00Z")

  func later(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(seconds) }

  @Test func aLinkSignsItsPersonInOnceAndOnlyBeforeItExpires() throws {
    var book = AccessBook()
    let link = book.invite("carol", to: "acme", by: "dana", now: now, expiresAt: later(3600))
    #expect(book.scope(of: "carol") == .clients(["acme"]))

    let (session, person) = try book.redeem(linkSecret: link.text, now: later(60))
    #expect(person == "carol")
    #expect(book.session(secret: session.text, now: later(120))?.person == "carol")
    #expect(throws: AccessBook.LinkProblem.used) { try book.redeem(linkSecret: link.text, now: later(61)) }

    let late = book.invite("carol", to: "acme", by: "dana", now: now, expiresAt: later(3600))
    #expect(throws: AccessBook.LinkProblem.expired) { try book.redeem(linkSecret: late.text, now: later(3600)) }
    #expect(throws: AccessBook.LinkProblem.unknown) { try book.redeem(linkSecret: "nonsense", now: later(1)) }
    // A link whose last character is changed is another secret.
    let fresh = book.invite("carol", to: "acme", by: "dana", now: now, expiresAt: later(3600))
    let tampered = String(fresh.text.dropLast()) + (fresh.text.hasSuffix("A") ? "B" : "A")
    #expect(throws: AccessBook.LinkProblem.unknown) { try book.redeem(linkSecret: tampered, now: later(1)) }
  }

  @Test func aSessionEndsWhenIdleAtItsAbsoluteExpiryOrOnSigningOut() throws {
    var book = AccessBook()
    let link = book.invite("carol", to: "acme", by: "dana", now: now, expiresAt: later(3600))
    let (session, _) = try book.redeem(linkSecret: link.text, now: now)
    let idle = AccessBook.sessionIdleLimit
    #expect(book.session(secret: session.text, now: later(idle - 1)) != nil)
    #expect(book.session(secret: session.text, now: later(idle)) == nil)

    // Kept busy, it still ends at its absolute expiry.
    var step: TimeInterval = 0
    while step + idle / 2 < AccessBook.sessionLifetime {
      step += idle / 2
      book.touch(sessionHash: session.hash, now: later(step))
      #expect(book.session(secret: session.text, now: later(step)) != nil)
    }
    #expect(book.session(secret: session.text, now: later(AccessBook.sessionLifetime)) == nil)

    var other = AccessBook()
    let second = other.invite("carol", to: "acme", by: "dana", now: now, expiresAt: later(3600))
    let (open, _) = try other.redeem(linkSecret: second.text, now: now)
    other.endSession(secret: open.text)
    #expect(other.session(secret: open.text, now: later(1)) == nil)
  }

  @Test func revokingEveryGrantEndsSessionsAndTokensAndVoidsLinks() throws {
    var book = AccessBook()
    let link = book.invite("carol", to: "acme", by: "dana", now: now, expiresAt: later(3600))
    let unused = book.invite("carol", to: "acme", by: "dana", now: now, expiresAt: later(3600))
    let (session, _) = try book.redeem(linkSecret: link.text, now: now)
    let (token, _) = book.createToken(for: "carol", client: nil, by: "dana", now: now, expiresAt: later(86_400))
    #expect(book.token(token, now: later(1)) != nil)

    let done = book.revoke("carol", from: nil, now: later(2))
    #expect(done == AccessBook.Revocation(grants: 1, links: 1, sessions: 1, tokens: 1))
    #expect(book.session(secret: session.text, now: later(3)) == nil)
    #expect(book.token(token, now: later(3)) == nil)
    #expect(book.scope(of: "carol").isEmpty)
    #expect(throws: AccessBook.LinkProblem.unknown) { try book.redeem(linkSecret: unused.text, now: later(3)) }
  }

  @Test func revokingOneClientKeepsTheOthersAndNarrowsTokens() throws {
    var book = AccessBook()
    _ = book.invite("sam", to: "acme", by: "dana", now: now, expiresAt: later(3600))
    let beta = book.invite("sam", to: "beta", by: "dana", now: now, expiresAt: later(3600))
    let (session, _) = try book.redeem(linkSecret: beta.text, now: now)
    let (acmeOnly, _) = book.createToken(for: "sam", client: "acme", by: "dana", now: now, expiresAt: later(999))
    let (everything, _) = book.createToken(for: "sam", client: nil, by: "dana", now: now, expiresAt: later(999))

    let done = book.revoke("sam", from: "acme", now: later(1))
    #expect(done.grants == 1 && done.tokens == 1 && done.sessions == 0)
    #expect(book.scope(of: "sam") == .clients(["beta"]))
    #expect(book.session(secret: session.text, now: later(2)) != nil)
    #expect(book.token(acmeOnly, now: later(2)) == nil)
    let live = try #require(book.token(everything, now: later(2)))
    #expect(book.scope(of: live) == .clients(["beta"]))
    #expect(book.revoke("sam", from: "acme", now: later(3)).isEmpty)
  }

  @Test func aTokenLimitedToAClientSeesThatClientAloneAndExpires() throws {
    var book = AccessBook()
    book.grant("pat", to: nil, by: "dana", now: now)
    #expect(book.scope(of: "pat") == .firm)
    let (token, id) = book.createToken(for: "pat", client: "acme", by: "dana", now: now, expiresAt: later(60))
    #expect(token.hasPrefix("accord_\(id)_"))
    let live = try #require(book.token(token, now: later(59)))
    #expect(book.scope(of: live) == .clients(["acme"]))
    #expect(book.token(token, now: later(60)) == nil)
    #expect(book.revokeToken(id: id, now: later(1))?.person == "pat")
    #expect(book.revokeToken(id: id, now: later(2)) == nil)
  }

  @Test func theFileKeepsHashesNeverSecretsAndIsOwnerOnly() throws {
    try withWorkspace { workspace in
      let store = AccessStore(workspace)
      #expect(try store.read() == AccessBook())
      let (link, token) = try store.update { book in
        let link = book.invite("carol", to: "acme", by: "dana", now: now, expiresAt: later(3600))
        let token = book.createToken(for: "carol", client: nil, by: "dana", now: now, expiresAt: later(3600)).token
        return (link, token)
      }
      let text = try String(contentsOfFile: store.path, encoding: .utf8)
      #expect(!text.contains(link.text))
      #expect(!text.contains(token))
      #expect(text.contains(link.hash))
      var info = stat()
      #expect(stat(store.path, &info) == 0)
      #expect(info.st_mode & 0o777 == 0o600)

      // What was written reads back the same, and a secret still opens it.
      let book = try store.read()
      #expect(book.token(token, now: later(1))?.person == "carol")
    }
  }

  @Test func aRefusedUpdateWritesNothingAndAStrangeFileIsRefused() throws {
    try withWorkspace { workspace in
      let store = AccessStore(workspace)
      try store.update { $0.grant("carol", to: "acme", by: "dana", now: now) }
      let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
      struct No: Error {}
      #expect(throws: No.self) {
        try store.update { book in
          book.grant("eve", to: nil, by: "eve", now: now)
          throw No()
        }
      }
      #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)

      try Data("{\"format\": 9}".utf8).write(to: URL(fileURLWithPath: store.path))
      #expect(throws: StoreError.newerFormat(path: store.path, found: 9, supported: 1)) { try store.read() }
      try Data("{\"format\": 1, \"grants\": 3}".utf8).write(to: URL(fileURLWithPath: store.path))
      #expect { try store.read() } throws: { error in
        if case .corrupt = error as? StoreError { return true }
        return false
      }
      unlink(store.path)
      symlink("/etc/passwd", store.path)
      #expect(throws: StoreError.notRegularFile(path: store.path, found: "a symbolic link")) { try store.read() }
    }
  }

  @Test func hashesCompareInConstantTimeAndExactly() {
    #expect(AccessSecret.sameHash("abc", "abc"))
    #expect(!AccessSecret.sameHash("abc", "abd"))
    #expect(!AccessSecret.sameHash("abc", "abcd"))
    let secrets = Set((0..<200).map { _ in AccessSecret.random().text })
    #expect(secrets.count == 200)
    #expect(secrets.allSatisfy { $0.count == 43 && !$0.contains("=") && !$0.contains("/") && !$0.contains("+") })
  }
}

/// The access file documented in docs/state-format.md is one this Accord reads, with the
/// meaning the page gives it.
@Suite struct AccessFileDocumentationTests {
  @Test func theDocumentedExampleReads() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let page = try String(contentsOf: root.appendingPathComponent("docs/state-format.md"), encoding: .utf8)
    let section = try #require(page.range(of: "## The access file"))
    let rest = page[section.upperBound...]
    let start = try #require(rest.range(of: "```json\n"))
    let end = try #require(rest[start.upperBound...].range(of: "```"))
    let book = try AccessStore.decode(Data(rest[start.upperBound..<end.lowerBound].utf8), path: "docs")
    #expect(book.scope(of: "carol") == .clients(["acme-ltd"]))
    #expect(book.scope(of: "pat") == .firm)
    #expect(book.links.first?.usedAt != nil)
    #expect(book.tokens.first?.id == "k3p9x2ab")
  }
}

/// Who printed a link: the session it opens carries them only when they printed it for
/// someone else; a mailed link, and one its person printed, carry nothing.
@Suite struct PrintedLinkTests {
  let now = time("2026-11-30T09:00:00Z")

  func session(_ link: AccessSecret, in book: inout AccessBook) throws -> AccessBook.Session? {
    let (session, _) = try book.redeem(linkSecret: link.text, now: now)
    return book.session(secret: session.text, now: now)
  }

  @Test func onlyALinkPrintedForSomeoneElseCarriesItsPrinter() throws {
    var book = AccessBook()
    let printed = book.invite("sid", to: "acme", by: "carol", printed: true, now: now, expiresAt: now + 600)
    let own = book.invite("carol", to: "acme", by: "carol", printed: true, now: now, expiresAt: now + 600)
    let mailed = book.invite("mia", to: "acme", by: "carol", now: now, expiresAt: now + 600)
    #expect(book.link(secret: printed.text)?.printedBy == "carol")
    #expect(try session(printed, in: &book)?.printedBy == "carol")
    #expect(try session(own, in: &book)?.printedBy == nil)
    #expect(try session(mailed, in: &book)?.printedBy == nil)
    #expect(book.link(secret: mailed.text)?.printed == nil)
  }

  /// A book from before keeps its bytes: the new keys are written only when present.
  @Test func aBookWithoutPrintedLinksIsWrittenAsBefore() throws {
    var book = AccessBook()
    let link = book.invite("mia", to: "acme", by: "carol", now: now, expiresAt: now + 600)
    _ = try book.redeem(linkSecret: link.text, now: now)
    let text = String(decoding: AccessStore.encode(book), as: UTF8.self)
    #expect(!text.contains("printed"))
    #expect(book.hasFirmGrant == false)
    book.grant("pat", to: nil, by: "alice", now: now)
    #expect(book.hasFirmGrant)
  }
}

/// The command line's sign-in codes (`accord login`): once, within their time, burnt by
/// wrong tries; and a book from before them reads as it did.
@Suite struct AccessBookCodeTests {
  let now = time("2026-11-30T09:00:00Z")

  @Test func anAccessFileFromBeforeCodesStillReads() throws {
    let old = """
      {
        "format" : 1,
        "grants" : [ { "client" : "acme", "grantedAt" : "2026-11-01T09:00:00Z", "grantedBy" : "alice", "person" : "sam" } ],
        "links" : [ ],
        "sessions" : [ ],
        "tokens" : [ ]
      }
      """
    let book = try AccessStore.decode(Data(old.utf8), path: "old")
    #expect(book.codes == nil)
    #expect(book.scope(of: "sam") == .clients(["acme"]))
    // Written back without codes, it has no such key either.
    #expect(!String(decoding: AccessStore.encode(book), as: UTF8.self).contains("codes"))
  }

  @Test func aCodeWorksOnceForItsPersonWithinItsTime() throws {
    var book = AccessBook()
    book.grant("sam", to: "acme", by: "alice", now: now)
    #expect(book.issueCode(for: "ghost", now: now) == nil)
    let issued = book.issueCode(for: "sam", now: now)
    let code = try #require(issued)
    #expect(code.wholeMatch(of: /[A-Z2-9]{5}-[A-Z2-9]{5}/) != nil)
    #expect(!String(decoding: AccessStore.encode(book), as: UTF8.self).contains(code))
    var late = book
    #expect(late.exchange(code: code, for: "sam", now: now.addingTimeInterval(15 * 60)) == .refused)
    #expect(book.exchange(code: code, for: "carol", now: now) == .refused)
    guard case let .token(token, id, expiresAt) = book.exchange(code: code.lowercased(), for: "sam", now: now) else {
      Issue.record("the code was refused")
      return
    }
    #expect(book.token(token, now: now)?.id == id)
    #expect(book.token(token, now: now)?.client == nil)
    #expect(expiresAt == now.addingTimeInterval(AccessBook.codeTokenLifetime))
    #expect(book.exchange(code: code, for: "sam", now: now) == .refused)
  }

  @Test func fiveWrongTriesBurnTheCodeAndANewCodeReplacesTheOld() throws {
    var book = AccessBook()
    book.grant("sam", to: nil, by: "alice", now: now)
    let issued = (book.issueCode(for: "sam", now: now), book.issueCode(for: "sam", now: now))
    let first = try #require(issued.0)
    let second = try #require(issued.1)
    #expect(book.exchange(code: first, for: "sam", now: now) == .refused)
    for _ in 0..<AccessBook.codeTries { #expect(book.exchange(code: "22222-22222", for: "sam", now: now) == .refused) }
    #expect(book.exchange(code: second, for: "sam", now: now) == .refused)
  }
}
