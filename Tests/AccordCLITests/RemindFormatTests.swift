import Foundation
import ProgrammeEngine
import Testing

@testable import AccordCLI
@testable import AccordKit
@testable import AccordServer

/// The pieces of a reminder that must hold for any text: headers no name can break out of,
/// file names no name can escape with, lines of the lengths the standards allow.
@Suite struct RemindFormatTests {
  static let hostile = [
    "evil\r\nBcc: eve@example.com", "evil\nSubject: hi", "evil\rX: y", "tab\there", "\u{85}next line",
    "line\u{2028}separator", "Zoë \"Z\" Ångström", "=?utf-8?B?ZXZpbA==?=", String(repeating: "李", count: 80),
    String(repeating: "word ", count: 60),
  ]

  /// A header value may hold CRLF only as a fold: CRLF then a space or tab.
  static func onlyFolds(_ value: String) -> Bool {
    let bytes = Array(value.utf8)
    for (index, byte) in bytes.enumerated() where byte == 0x0D || byte == 0x0A {
      if byte == 0x0A { continue }
      guard index + 2 < bytes.count, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x20 else { return false }
    }
    return !bytes.enumerated().contains { $0.element == 0x0A && ($0.offset == 0 || bytes[$0.offset - 1] != 0x0D) }
      && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F || $0 == 0x0D || $0 == 0x0A }
  }

  @Test(arguments: hostile)
  func namesCannotBreakAHeader(_ name: String) {
    for value in [MailText.displayName(name), MailText.unstructured("Accord reminders for \(name)")] {
      #expect(Self.onlyFolds(value), "\(value.debugDescription)")
      for line in value.components(separatedBy: "\r\n") {
        #expect(line.utf8.count <= 78, "\(line)")
      }
    }
  }

  @Test func encodedWordsDecodeToTheName() {
    let name = "Zoë Ångström 李雷"
    let words = MailText.encodedWords(name).components(separatedBy: "\r\n ")
    #expect(words.allSatisfy { $0.utf8.count <= 75 })
    let decoded = words.map { word in
      Data(base64Encoded: String(word.dropFirst("=?utf-8?B?".count).dropLast(2)))!
    }.reduce(Data(), +)
    #expect(String(decoding: decoded, as: UTF8.self) == name)
  }

  @Test func addressesCannotCarryACommandOrAHeader() {
    for address in [
      "a@b.c\r\nBcc: e@f", "a@b.c\nRCPT TO:<e@f>", "a b@c", "<a@b>", "a@b@c", "a@b,c@d", "a@b;c", "\"a\"@b", "a@",
      "@b", "a@.b", "a@b.", "zoë@example.com", "",
    ] {
      #expect(MailAddress.problem(address) != nil, "\(address.debugDescription)")
    }
    for address in ["sam@example.com", "first.last+tag@sub.example.co.uk", "a@localhost"] {
      #expect(MailAddress.problem(address) == nil, "\(address)")
    }
  }

  @Test func fileNamesAreSafeDistinctAndStable() {
    let people: [String?] = [
      "sam", "Sam", "SAM", "a/b", "a b", "a-b", "..", ".", "../../x", "nobody", "Nobody", nil, "李雷", "李四", "-x",
      "x-", "a--b", String(repeating: "é", count: 300), "person", "sam.md",
    ]
    let slugs = DigestFileName.slugs(for: people)
    #expect(Set(slugs.values).count == people.count)
    for slug in slugs.values {
      #expect(slug.wholeMatch(of: /[a-z0-9][a-z0-9-]*/) != nil, "\(slug)")
      #expect(slug.count <= 71)
    }
    #expect(slugs["sam"] == "sam" && slugs["a-b"] == "a-b" && slugs[nil] == "nobody" && slugs["person"] == "person")
    #expect(slugs["nobody"] != "nobody")
    #expect(DigestFileName.slugs(for: people.reversed()) == slugs)
    #expect(DigestFileName.slug(for: "Zoë Ångström").hasPrefix("zoe-angstrom-"))
  }

  @Test func dataIsDotStuffedAndEndsInCRLF() {
    let message = "Subject: x\r\n\r\n.\r\n..two\r\nend"
    #expect(SMTPClient.dotStuffed(message) == "Subject: x\r\n\r\n..\r\n...two\r\nend\r\n")
  }

  @Test func quotedPrintableKeepsLinesShortAndDecodes() {
    let text = ".starts with a dot\n" + String(repeating: "Zoë = ", count: 40) + "\ntrailing space \n\n"
    let encoded = MailText.quotedPrintable(text)
    for line in encoded.components(separatedBy: "\r\n").dropLast() {
      #expect(line.utf8.count <= 76, "\(line)")
      #expect(!line.hasPrefix("."))
      #expect(!line.hasSuffix(" "))
    }
    #expect(encoded.utf8.allSatisfy { $0 < 0x80 })
    #expect(RemindEndToEndTests.decodeQuotedPrintable(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"))
  }

  @Test func calendarLinesFoldAt75OctetsWithinCharacters() {
    let line = "SUMMARY:" + String(repeating: "Zoë 李雷, ", count: 30)
    let folded = ReminderDigest.folded(line)
    let lines = folded.components(separatedBy: "\r\n")
    #expect(lines.count > 1)
    for (index, physical) in lines.enumerated() {
      #expect(physical.utf8.count <= 75)
      if index > 0 { #expect(physical.hasPrefix(" ")) }
    }
    #expect(lines.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
    #expect(ReminderDigest.icsText("a;b,c\\d\r\ne") == "a\\;b\\,c\\\\d  e")
  }

  @Test func theDateHeaderIsSevenInTheMorningInTheWorkspacesZone() throws {
    let day = try #require(CalendarDate(parsing: "2026-07-01"))
    #expect(DigestMail.dateHeader(day, zone: TimeZone(identifier: "UTC")!) == "Wed, 1 Jul 2026 07:00:00 +0000")
    #expect(
      DigestMail.dateHeader(day, zone: TimeZone(identifier: "Europe/London")!) == "Wed, 1 Jul 2026 07:00:00 +0100")
    #expect(
      DigestMail.dateHeader(day, zone: TimeZone(identifier: "America/St_Johns")!) == "Wed, 1 Jul 2026 07:00:00 -0230")
  }

  @Test func serveRemindsNextAtTheGivenTimeInTheWorkspacesZone() throws {
    let utc = try #require(TimeZone(identifier: "UTC"))
    let london = try #require(TimeZone(identifier: "Europe/London"))
    let iso = ISO8601DateFormatter()
    func next(_ now: String, _ zone: TimeZone, _ hour: Int = 7, _ minute: Int = 0) throws -> String {
      iso.string(
        from: ReminderSchedule.next(after: try #require(iso.date(from: now)), hour: hour, minute: minute, in: zone))
    }
    #expect(try next("2026-11-30T06:00:00Z", utc) == "2026-11-30T07:00:00Z")
    #expect(try next("2026-11-30T07:00:00Z", utc) == "2026-12-01T07:00:00Z")
    #expect(try next("2026-11-30T15:00:00Z", utc, 6, 30) == "2026-12-01T06:30:00Z")
    #expect(
      try next("2026-07-01T05:00:00Z", london) == "2026-07-01T06:00:00Z", "07:00 in London is 06:00 UTC in summer")
    #expect(try next("2026-03-28T12:00:00Z", london) == "2026-03-29T06:00:00Z", "the morning the clocks go forward")
    #expect(ServeReminderOptions.time("07:00")! == (7, 0))
    for bad in ["7:00", "24:00", "07:60", "0700", "07:00:00", "", "ab:cd", "٠٧:٠٠"] {
      #expect(ServeReminderOptions.time(bad) == nil, "\(bad)")
    }
  }
}
