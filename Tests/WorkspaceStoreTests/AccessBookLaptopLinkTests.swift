import Foundation
import Testing

@testable import WorkspaceStore

/// `accord login`'s mailed link: the laptop's request is answered pending until the link
/// is approved in a browser, then with a token once; a request the book never held answers
/// exactly as one whose link was not opened; and a book from before links reads as it did.
@Suite struct AccessBookLaptopLinkTests {
  let now = time("2026-11-30T09:00:00Z")

  func book() -> AccessBook {
    var book = AccessBook()
    book.grant("sam", to: "acme", by: "alice", now: now)
    return book
  }

  @Test func anApprovedLinkSignsItsRequestInOnce() throws {
    var book = book()
    let request = LoginRequest.make(now: now)
    #expect(request.expiresAt == now.addingTimeInterval(AccessBook.codeLifetime))
    #expect(LoginRequest(request.text) == request)
    let made = book.issueSignIn(for: "sam", request: request, now: now)
    let issued = try #require(made)
    // The file holds hashes only.
    let text = String(decoding: AccessStore.encode(book), as: UTF8.self)
    for secret in [issued.link.text, request.text, issued.code] { #expect(!text.contains(secret)) }
    #expect(book.poll(request: request, for: "sam", now: now) == .pending)
    // Looking at the link (a GET, a mail scanner) changes nothing.
    let looked = try book.laptopLink(secret: issued.link.text, now: now)
    #expect(looked.person == "sam" && looked.check == request.check)
    #expect(book.poll(request: request, for: "sam", now: now + 1) == .pending)
    // Another person's poll with the request is nobody's.
    #expect(try book.approveLaptop(linkSecret: issued.link.text, now: now + 60) == "sam")
    #expect(book.poll(request: request, for: "carol", now: now + 61) == .pending)
    guard case let .token(token, id, _) = book.poll(request: request, for: "sam", now: now + 62) else {
      Issue.record("the approved request gave no token")
      return
    }
    #expect(book.token(token, now: now + 62)?.id == id)
    #expect(book.poll(request: request, for: "sam", now: now + 63) == .used)
    #expect(book.exchange(code: issued.code, for: "sam", now: now + 64) == .refused)
    #expect(throws: AccessBook.LinkProblem.used) { try book.approveLaptop(linkSecret: issued.link.text, now: now + 65) }
  }

  @Test func anApprovedRequestIsTakenEvenJustPastItsTimeButAnUnapprovedOneRunsOut() throws {
    var book = book()
    let request = LoginRequest.make(now: now)
    let made = book.issueSignIn(for: "sam", request: request, now: now)
    let issued = try #require(made)
    let end = request.expiresAt
    #expect(throws: AccessBook.LinkProblem.expired) { try book.laptopLink(secret: issued.link.text, now: end) }
    #expect(book.poll(request: request, for: "sam", now: end) == .expired)
    var approved = self.book()
    let other = LoginRequest.make(now: now)
    let madeOther = approved.issueSignIn(for: "sam", request: other, now: now)
    let link = try #require(madeOther).link
    _ = try approved.approveLaptop(linkSecret: link.text, now: end - 1)
    guard case .token = approved.poll(request: other, for: "sam", now: end + 30) else {
      Issue.record("an approved request could not be taken just past its time")
      return
    }
  }

  /// Polling says nothing of who exists: a request for nobody, or for someone with no
  /// mail, is pending until its own time and out of date after it.
  @Test func aRequestTheBookNeverHeldAnswersAsAnUnopenedOne() throws {
    var book = book()
    let nobody = LoginRequest.make(now: now)
    #expect(book.issueSignIn(for: "ghost", request: nobody, now: now) == nil)
    let sam = LoginRequest.make(now: now)
    #expect(book.issueSignIn(for: "sam", request: sam, now: now) != nil)
    for (request, person) in [(nobody, "ghost"), (sam, "sam")] {
      #expect(book.poll(request: request, for: person, now: now + 60) == .pending)
      #expect(book.poll(request: request, for: person, now: request.expiresAt) == .expired)
    }
    #expect(LoginRequest("not-a-request") == nil)
    #expect(LoginRequest(nobody.text + "x") == nil)
    #expect(throws: AccessBook.LinkProblem.unknown) { try book.laptopLink(secret: "nothing", now: now) }
  }

  @Test func wrongCodesBurnTheLinkTooAndANewRequestReplacesTheOld() throws {
    var book = book()
    let made = (
      book.issueSignIn(for: "sam", request: LoginRequest.make(now: now), now: now),
      book.issueSignIn(for: "sam", request: LoginRequest.make(now: now), now: now)
    )
    let first = try #require(made.0)
    let second = try #require(made.1)
    #expect(throws: AccessBook.LinkProblem.unknown) { try book.laptopLink(secret: first.link.text, now: now) }
    for _ in 0..<AccessBook.codeTries { #expect(book.exchange(code: "22222-22222", for: "sam", now: now) == .refused) }
    #expect(throws: AccessBook.LinkProblem.expired) { try book.laptopLink(secret: second.link.text, now: now) }
  }

  /// A book written before links, holding a code of the time, reads and works as it did,
  /// and a code with no link is written back without the new keys.
  @Test func aBookWithACodeFromBeforeLinksStillReadsAndItsCodeWorks() throws {
    let old = """
      {
        "codes" : [
          {
            "createdAt" : "2026-11-30T08:55:00Z",
            "expiresAt" : "2026-11-30T09:10:00Z",
            "failures" : 0,
            "hash" : "\(AccessSecret.hash("ABCDEFGHJK"))",
            "person" : "sam"
          }
        ],
        "format" : 1,
        "grants" : [ { "client" : "acme", "grantedAt" : "2026-11-01T09:00:00Z", "grantedBy" : "alice", "person" : "sam" } ],
        "links" : [ ],
        "sessions" : [ ],
        "tokens" : [ ]
      }
      """
    var book = try AccessStore.decode(Data(old.utf8), path: "old")
    let code = try #require(book.codes?.first)
    #expect(code.request == nil && code.link == nil && code.approvedAt == nil)
    let written = String(decoding: AccessStore.encode(book), as: UTF8.self)
    for key in ["request", "link", "approvedAt"] { #expect(!written.contains("\"\(key)\"")) }
    guard case .token = book.exchange(code: "abcde-fghjk", for: "sam", now: now) else {
      Issue.record("the code from before links was refused")
      return
    }
  }
}
