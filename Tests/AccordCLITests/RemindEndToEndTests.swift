import Foundation
import Testing

/// `accord remind` through the built binary: a digest for each person (and one for roles
/// nobody holds) as Markdown, e-mail and calendar files, the same bytes on every run of a
/// day, stable calendar UIDs, and file names safe from any person's name. Dates come from
/// `--as-of`, counted from today, the day the test's client starts.
@Suite("End to end: remind")
struct RemindEndToEndTests {
  static let playbook = """
    playbook: reminders
    version: 1
    title: Reminders
    roles:
      consultant: Consultant
      czar: Czar
      head-of-sales: Head of sales
      sponsor: Sponsor
    stages:
      - id: one
        title: One
        target: 6w
        milestones:
          - id: kick-off
            title: Kick off
            owner: consultant
            due: 3d
          - id: weekly-sync
            title: Weekly sync
            owner: head-of-sales
            every: 7d
            times: 4
          - id: plan
            title: Plan
            owner: head-of-sales
            due: 30d
        agreements:
          - id: charter
            title: The charter
            terms: We agree.
            signatories: [head-of-sales, sponsor]
            due: 10d

    """

  let accord: AccordBinary
  let playbookPath: String

  /// Acme, with sam as head of sales and nobody as sponsor. From today T: kick-off (alice)
  /// is due T+3, weekly-sync's first occurrence (sam) T+7, the charter (sam, and the sponsor
  /// nobody holds) T+10, the plan (sam) T+30.
  init() throws {
    accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("reminders.yaml")
    try Self.playbook.write(to: path, atomically: true, encoding: .utf8)
    playbookPath = path.path
    try expectSuccess(accord("start", "acme", "--name", "Acme Ltd", "--playbook", playbookPath))
    try expectSuccess(accord("assign", "acme", "head-of-sales", "sam"))
  }

  /// The UTC day `days` from today, as `--as-of` takes it.
  static func day(_ days: Int) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
  }

  func out(_ name: String = "out") -> URL { accord.folder.appendingPathComponent(name, isDirectory: true) }

  func files(in folder: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
      result[name] = try Data(contentsOf: folder.appendingPathComponent(name))
    }
    return result
  }

  func text(_ folder: URL, _ name: String) throws -> String {
    try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
  }

  @Test func eachPersonGetsADigestWithOverdueWorkFirst() throws {
    let run = try accord("remind", "--as-of", Self.day(8), "--out", out().path)
    try expectSuccess(run)
    let names = try files(in: out()).keys.sorted()
    #expect(
      names == [
        "alice.eml", "alice.ics", "alice.md", "nobody.eml", "nobody.ics", "nobody.md", "sam.eml", "sam.ics", "sam.md",
      ])
    for name in names { #expect(run.stdout.contains(out().appendingPathComponent(name).path), "\(run.stdout)") }
    #expect(run.stdout.contains("alice: 1 overdue"))
    #expect(run.stdout.contains("sam: 1 overdue, 1 due within 7 days"))

    let sam = try text(out(), "sam.md")
    #expect(sam.hasPrefix("# Accord reminders for sam, \(Self.day(8))\n"))
    let overdue = try #require(sam.range(of: "## Overdue"))
    let soon = try #require(sam.range(of: "## Due within 7 days"))
    let sync = try #require(
      sam.range(of: "complete weekly-sync (head-of-sales), occurrence 1 of 4. Due \(Self.day(7)), 1 day overdue."))
    let charter = try #require(sam.range(of: "sign charter as head-of-sales. Due \(Self.day(10)), in 2 days."))
    #expect(
      overdue.lowerBound < sync.lowerBound && sync.lowerBound < soon.lowerBound && soon.lowerBound < charter.lowerBound)
    #expect(!sam.contains("plan"), "the plan is due in 22 days: only in the calendar")
    #expect(sam.contains("sam.ics holds every dated item listed here and 1 due later."))

    #expect(try text(out(), "alice.md").contains("complete kick-off (consultant). Due \(Self.day(3)), 5 days overdue."))
    let nobody = try text(out(), "nobody.md")
    #expect(nobody.contains("nobody holds sponsor: assign it, then sign charter as sponsor. Due \(Self.day(10))"))
    #expect(!nobody.contains("head-of-sales"))

    // Nothing soon: no digest, and it says so.
    let quiet = try accord("remind", "--as-of", Self.day(0), "--days", "1", "--out", out("quiet").path)
    try expectSuccess(quiet)
    #expect(quiet.stdout.contains("Nothing overdue or due within 1 day on \(Self.day(0))."))
    #expect(try files(in: out("quiet")).isEmpty)

    // --person keeps one digest.
    let one = try accord("remind", "--as-of", Self.day(8), "--person", "sam", "--out", out("one").path)
    try expectSuccess(one)
    #expect(try files(in: out("one")).keys.sorted() == ["sam.eml", "sam.ics", "sam.md"])
  }

  @Test func aDelegateIsRemindedBesideTheHolder() throws {
    try expectSuccess(
      accord("delegate", "acme", "head-of-sales", "pat", "--until", Self.day(30), "--reason", "on leave", as: "sam"))
    try expectSuccess(accord("remind", "--as-of", Self.day(8), "--out", out().path))
    let pat = try text(out(), "pat.md")
    #expect(pat.contains("sign charter as head-of-sales for sam, as delegate. Due \(Self.day(10))"), "\(pat)")
    #expect(try text(out(), "sam.md").contains("sign charter as head-of-sales (pat may act as delegate)."))
    #expect(try text(out(), "pat.ics").contains("UID:acme.charter.head-of-sales@accord"))
  }

  @Test func theSameDayWritesTheSameBytes() throws {
    try expectSuccess(accord("address", "sam", "sam@example.com"))
    try expectSuccess(accord("remind", "--as-of", Self.day(8), "--out", out().path))
    let first = try files(in: out())
    try expectSuccess(accord("remind", "--as-of", Self.day(8), "--out", out().path))
    try expectSuccess(accord("remind", "--as-of", Self.day(8), "--out", out("again").path))
    #expect(try files(in: out()) == first)
    #expect(try files(in: out("again")) == first)
    #expect(first.count == 9)
    // Another day is another message.
    try expectSuccess(accord("remind", "--as-of", Self.day(9), "--out", out("later").path))
    #expect(try files(in: out("later"))["sam.eml"] != first["sam.eml"])
  }

  @Test func calendarUIDsAreStableAndUnique() throws {
    try expectSuccess(accord("remind", "--as-of", Self.day(5), "--out", out().path))
    try expectSuccess(accord("remind", "--as-of", Self.day(9), "--out", out("later").path))
    let calendar = try text(out(), "sam.ics")
    let lines = try Self.contentLines(calendar)
    #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
    #expect(lines.contains("VERSION:2.0"))
    let uids = lines.filter { $0.hasPrefix("UID:") }.map { String($0.dropFirst(4)) }
    #expect(uids == ["acme.weekly-sync.1@accord", "acme.charter.head-of-sales@accord", "acme.plan@accord"])
    #expect(Set(uids).count == uids.count)
    #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 3, "every dated item, the plan due in 25 days too")
    #expect(lines.contains("DTSTART;VALUE=DATE:\(Self.day(30).replacingOccurrences(of: "-", with: ""))"))
    #expect(
      lines.filter { $0.hasPrefix("DTSTAMP:") }.allSatisfy {
        $0 == "DTSTAMP:\(Self.day(5).replacingOccurrences(of: "-", with: ""))T000000Z"
      })
    #expect(lines.contains("SUMMARY:Acme Ltd: sign charter as head-of-sales"))

    let later = try Self.contentLines(try text(out("later"), "sam.ics"))
    #expect(later.filter { $0.hasPrefix("UID:") }.map { String($0.dropFirst(4)) } == uids)
    let nobody = try Self.contentLines(try text(out(), "nobody.ics"))
    #expect(nobody.filter { $0.hasPrefix("UID:") } == ["UID:acme.charter.sponsor@accord"])
  }

  @Test func theMessageIsAStandardEmail() throws {
    try expectSuccess(accord("address", "sam", "sam@example.com"))
    try expectSuccess(accord("remind", "--as-of", Self.day(8), "--out", out().path, "--from", "reminders@firm.example"))
    let raw = try Data(contentsOf: out().appendingPathComponent("sam.eml"))
    let message = try Self.parseMessage(raw)
    let headers = message.headers
    #expect(headers["From"] == "\"Accord\" <reminders@firm.example>")
    #expect(headers["To"] == "\"sam\" <sam@example.com>")
    #expect(headers["MIME-Version"] == "1.0")
    #expect(headers["Content-Type"] == "text/plain; charset=utf-8")
    #expect(headers["Content-Transfer-Encoding"] == "quoted-printable")
    #expect(headers["Subject"] == "Accord reminders for sam, \(Self.day(8)): 1 overdue, 1 due within 7 days")
    let date = try #require(headers["Date"])
    let parser = DateFormatter()
    parser.locale = Locale(identifier: "en_US_POSIX")
    parser.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
    let sent = try #require(parser.date(from: date), "Date: \(date)")
    let formatter = ISO8601DateFormatter()
    #expect(formatter.string(from: sent) == "\(Self.day(8))T07:00:00Z")
    let id = try #require(headers["Message-ID"])
    #expect(id.hasPrefix("<") && id.hasSuffix("@firm.example>"))
    // The body is the Markdown digest.
    #expect(
      Self.decodeQuotedPrintable(message.body)
        == (try text(out(), "sam.md")).replacingOccurrences(of: "\n", with: "\r\n"))
    // Alice has no address: no To, and the same Message-ID on another run of the day.
    let alice = try Self.parseMessage(try Data(contentsOf: out().appendingPathComponent("alice.eml")))
    #expect(alice.headers["To"] == nil)
    #expect(alice.headers["Message-ID"] != id)
  }

  /// A standard tool reads the message as written: Python's email package (scripts/test
  /// installs python3 when it is missing), strict about defects, decoding the encoded words.
  @Test func pythonsEmailPackageReadsTheMessage() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 is missing: run scripts/test")
    try expectSuccess(accord("assign", "acme", "head-of-sales", "Zoë \"Z\" Ångström", "--note", "sam moved on"))
    try expectSuccess(accord("address", "Zoë \"Z\" Ångström", "zoe@example.com"))
    try expectSuccess(accord("remind", "--as-of", Self.day(8), "--out", out().path))
    let eml = try #require(
      try FileManager.default.contentsOfDirectory(atPath: out().path).first {
        $0.hasPrefix("zoe-") && $0.hasSuffix(".eml")
      })
    let script = """
      import email, email.policy, json, sys
      m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.SMTP)
      print(json.dumps({"name": m["To"].addresses[0].display_name, "address": m["To"].addresses[0].addr_spec, "subject": str(m["Subject"]),
        "defects": len(m.defects), "body": m.get_content(), "type": m.get_content_type()}))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", script, out().appendingPathComponent(eml).path]
    let pipe = Pipe.unshared()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(parsed["address"] as? String == "zoe@example.com")
    #expect(parsed["name"] as? String == "Zoë \"Z\" Ångström", "\(parsed)")
    #expect(
      parsed["subject"] as? String
        == "Accord reminders for Zoë \"Z\" Ångström, \(Self.day(8)): 1 overdue, 1 due within 7 days")
    #expect(parsed["defects"] as? Int == 0)
    #expect(parsed["type"] as? String == "text/plain")
    let markdown = try text(out(), eml.replacingOccurrences(of: ".eml", with: ".md"))
    #expect((parsed["body"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == markdown)
  }

  @Test func hostileNamesMakeSafeDistinctFileNames() throws {
    let names = [
      "../../etc/passwd", "Sam", "a/b", "a b", ".hidden", "..", "Zoë Ångström", "李雷", "-rf", "nobody",
      "x\\y", String(repeating: "long name ", count: 30), "CON", "sam.md",
    ]
    for (position, name) in names.enumerated() {
      try expectSuccess(accord("start", "c\(position)", "--playbook", playbookPath))
      try expectSuccess(accord("assign", "c\(position)", "head-of-sales", "--", name))
    }
    try expectSuccess(accord("address", "李雷", "li@example.com"))
    let out = accord.folder.appendingPathComponent("deep/out", isDirectory: true)
    let before = try FileManager.default.contentsOfDirectory(atPath: accord.folder.path).sorted()
    let run = try accord("remind", "--as-of", Self.day(8), "--out", out.path)
    try expectSuccess(run)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: accord.folder.path).sorted() == (before + ["deep"]).sorted())
    let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
    // sam (acme's head of sales), alice, nobody, and every hostile name: three files each.
    #expect(files.count == 3 * (names.count + 3))
    let safe = try Regex("^[a-z0-9][a-z0-9-]*\\.(md|eml|ics)$")
    for file in files {
      #expect(file.wholeMatch(of: safe) != nil, "\(file)")
      #expect(file.count <= 80)
    }
    var headings: [String] = []
    for file in files where file.hasSuffix(".md") {
      headings.append(String(try text(out, file).split(separator: "\n")[0]))
    }
    for name in names + ["sam", "alice"] {
      let escaped = name.replacingOccurrences(of: "\\", with: "\\\\")
      #expect(headings.filter { $0 == "# Accord reminders for \(escaped), \(Self.day(8))" }.count == 1, "\(name)")
    }
    #expect(files.contains("sam.md") && files.contains("nobody.md"))
    let li = try #require(
      files.first {
        $0.hasPrefix("person-") && $0.hasSuffix(".eml") && (try? text(out, $0))?.contains("li@example.com") == true
      })
    let message = try Self.parseMessage(try Data(contentsOf: out.appendingPathComponent(li)))
    #expect(message.headers["To"] == "=?utf-8?B?\(Data("李雷".utf8).base64EncodedString())?= <li@example.com>")
  }

  @Test func badInputIsRefusedCleanly() throws {
    let badDate = try accord("remind", "--as-of", "2026-02-30", "--out", out().path)
    #expect(badDate.status == 64, "\(badDate.stderr)")
    let negative = try accord("remind", "--days=-1", "--out", out().path)
    #expect(negative.status == 64)
    #expect(negative.stderr.contains("--days must be 0 to 3650"), "\(negative.stderr)")
    #expect(try accord("remind").status == 64)
    // A password on the command line is refused: it belongs in a file or the environment.
    let password = try accord("remind", "--smtp", "smtps://me:hunter2@mail.example.com")
    #expect(password.status == 64)
    #expect(password.stderr.contains("--smtp-password-file"), "\(password.stderr)")
    #expect(!password.stderr.contains("hunter2"))
    #expect(try accord("remind", "--smtp", "smtps://me@mail.example.com").status == 64)
    #expect(try accord("remind", "--smtp", "smtp://", "--out", out().path).status == 64)
    #expect(try accord("remind", "--from", "a b@c", "--out", out().path).status == 64)

    let file = accord.folder.appendingPathComponent("a-file")
    try Data("x".utf8).write(to: file)
    let isFile = try accord("remind", "--as-of", Self.day(8), "--out", file.path)
    #expect(isFile.status == 73)
    #expect(isFile.stderr == "accord: error: \(file.path): is a file, not a folder\n")
    let under = try accord("remind", "--as-of", Self.day(8), "--out", file.appendingPathComponent("sub").path)
    #expect(under.status == 74, "\(under.stderr)")
    #expect(under.stderr.hasPrefix("accord: error: \(file.path)/sub: cannot be made"), "\(under.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out().path))
  }

  @Test func addressesAreRecordedListedAndRemoved() throws {
    let settings = accord.workspace.appendingPathComponent(".accord-workspace.json")
    #expect(try accord("address").stdout == "No addresses recorded. Record one with: accord address PERSON EMAIL\n")
    let set = try accord("address", "sam", "sam@example.com")
    try expectSuccess(set)
    #expect(set.stdout == "sam's reminders go to sam@example.com.\n")
    try expectSuccess(accord("address", "Zoë", "zoe@example.com"))
    #expect(try accord("address").stdout == "Zoë  zoe@example.com\nsam  sam@example.com\n")
    let listed = try #require(try accord("address", "--json").json() as? [[String: String]])
    #expect(
      listed == [["person": "Zoë", "address": "zoe@example.com"], ["person": "sam", "address": "sam@example.com"]])

    // No header or command injection: no line breaks in a name or an address.
    let stored = try Data(contentsOf: settings)
    for (person, address) in [
      ("sam", "sam@example.com\r\nBcc: eve@example.com"), ("eve\r\nBcc: eve@example.com", "eve@example.com"),
      ("sam", "sam@example.com\nRCPT TO:<eve@example.com>"), ("sam", "two@at@example.com"), ("sam", "no-at"),
      ("sam", "Sam <sam@example.com>"), ("sam", "sam@"), ("", "x@example.com"),
    ] {
      let refused = try accord("address", person, address)
      #expect(refused.status == 64, "\(person) \(address): \(refused.stderr)")
    }
    #expect(try Data(contentsOf: settings) == stored)

    try expectSuccess(accord("address", "sam", "--remove"))
    #expect(try accord("address", "sam", "--remove").stdout == "sam had no address.\n")
    try expectSuccess(accord("address", "Zoë", "--remove"))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: settings)) as? [String: Any])
    #expect(json["addresses"] == nil, "no addresses: no key, as before any was recorded")
    #expect(json["timeZone"] as? String == "UTC")
  }

  // MARK: - Reading what was written

  /// The calendar's content lines unfolded, after checking every physical line ends in
  /// CRLF and holds at most 75 octets.
  static func contentLines(_ text: String) throws -> [String] {
    let bytes = Array(text.utf8)
    #expect(bytes.suffix(2) == [0x0D, 0x0A])
    for (index, byte) in bytes.enumerated() where byte == 0x0A {
      #expect(index > 0 && bytes[index - 1] == 0x0D, "a bare LF")
    }
    var physical = text.components(separatedBy: "\r\n")
    physical.removeLast()
    var lines: [String] = []
    for line in physical {
      #expect(line.utf8.count <= 75, "\(line)")
      if line.hasPrefix(" ") {
        lines[lines.count - 1] += line.dropFirst()
      } else {
        lines.append(line)
      }
    }
    return lines
  }

  /// An RFC 5322 message's headers (unfolded) and body, after checking that every line ends
  /// in CRLF and that it is ASCII.
  static func parseMessage(_ data: Data) throws -> (headers: [String: String], body: String) {
    let bytes = Array(data)
    #expect(bytes.allSatisfy { $0 < 0x80 }, "8-bit bytes in a quoted-printable message")
    for (index, byte) in bytes.enumerated() where byte == 0x0A {
      #expect(index > 0 && bytes[index - 1] == 0x0D, "a bare LF at \(index)")
    }
    for (index, byte) in bytes.enumerated() where byte == 0x0D {
      #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "a bare CR at \(index)")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let split = try #require(text.range(of: "\r\n\r\n"))
    var headers: [String: String] = [:]
    var last: String?
    for line in text[..<split.lowerBound].components(separatedBy: "\r\n") {
      #expect(line.utf8.count <= 998)
      if line.hasPrefix(" ") || line.hasPrefix("\t"), let name = last {
        headers[name]! += line
        continue
      }
      let colon = try #require(line.firstIndex(of: ":"), "\(line)")
      let name = String(line[..<colon])
      #expect(headers[name] == nil, "\(name) twice")
      headers[name] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
      last = name
    }
    for (name, value) in headers where value.contains("=?utf-8?B?") {
      // Adjacent encoded words join with nothing between them (RFC 2047 section 6.2).
      headers[name] = value.replacingOccurrences(of: "?= =?utf-8?B?", with: "?==?utf-8?B?")
    }
    return (headers, String(text[split.upperBound...]))
  }

  static func decodeQuotedPrintable(_ text: String) -> String {
    var bytes: [UInt8] = []
    let input = Array(text.utf8)
    var index = 0
    while index < input.count {
      if input[index] == UInt8(ascii: "=") {
        if index + 2 < input.count, input[index + 1] == 0x0D, input[index + 2] == 0x0A {
          index += 3
          continue
        }
        bytes.append(UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)!)
        index += 3
      } else {
        bytes.append(input[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// Expects a run to have succeeded, showing its stderr when it did not.
private func expectSuccess(_ run: AccordBinary.Run, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(run.status == 0, "exit \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
}
