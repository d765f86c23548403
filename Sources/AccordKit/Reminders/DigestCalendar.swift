import ProgrammeEngine

/// A digest's dated items as an RFC 5545 calendar, the `.ics` file: one all-day event per
/// item, however far off, with a UID built from the client, the item, the role (for a
/// signature) and the occurrence (for recurring work), so that importing the file again
/// updates the events instead of adding copies. `DTSTAMP` is the digest's day, so the same
/// day gives the same bytes. Lines end in CRLF and are folded at 75 octets.
extension ReminderDigest {
  package var calendar: String {
    let stamp = Self.icsDate(today) + "T000000Z"
    var lines = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Accord//Accord reminders//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:" + Self.icsText("Accord: " + addressee),
    ]
    for item in dated {
      lines += [
        "BEGIN:VEVENT",
        "UID:" + Self.uid(item),
        "DTSTAMP:" + stamp,
        "DTSTART;VALUE=DATE:" + Self.icsDate(item.due.date),
        "DTEND;VALUE=DATE:" + Self.icsDate(item.due.date.adding(days: 1)),
        "SUMMARY:" + Self.icsText("\(MailText.oneLine(item.clientName)): \(Self.task(item, for: person))"),
        "DESCRIPTION:" + Self.icsText("Client \(item.client), stage \(item.due.stage). Due \(item.due.date).")
          + (item.due.isScheduled ? Self.icsText(" Date set with accord schedule.") : ""),
        "CATEGORIES:Accord",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
      ]
    }
    lines.append("END:VCALENDAR")
    return lines.map { Self.folded($0) + "\r\n" }.joined()
  }

  /// `acme.charter.head-of-sales@accord` for a signature, `acme.weekly-sync.3@accord` for the
  /// third occurrence of recurring work, `acme.kick-off@accord` otherwise. Ids hold only
  /// letters, digits, `-` and `_`, so the dots cannot be confused.
  package static func uid(_ item: Agenda.Item) -> String {
    var parts = [item.client, item.action.target]
    if item.action.kind == .sign { parts.append(item.action.role) }
    if item.action.kind == .review { parts.append("review") }
    if item.action.kind == .acknowledge { parts.append("acknowledge") }
    if item.action.kind == .affirm { parts += [item.action.role, "affirm"] }
    if let occurrence = item.due.occurrence { parts.append(String(occurrence)) }
    return parts.joined(separator: ".") + "@accord"
  }

  static func icsDate(_ date: CalendarDate) -> String {
    date.description.replacingOccurrences(of: "-", with: "")
  }

  /// A TEXT value: one line, with `\`, `;` and `,` escaped.
  static func icsText(_ text: String) -> String {
    var result = ""
    for character in MailText.oneLine(text) {
      if character == "\\" || character == ";" || character == "," { result.append("\\") }
      result.append(character)
    }
    return result
  }

  /// A content line folded at 75 octets (a fold is CRLF then a space), never inside a
  /// character.
  static func folded(_ line: String) -> String {
    var lines: [String] = []
    var current = ""
    var limit = 75
    for character in line {
      let size = String(character).utf8.count
      if current.utf8.count + size > limit {
        lines.append(current)
        current = ""
        limit = 74
      }
      current.append(character)
    }
    lines.append(current)
    return lines.joined(separator: "\r\n ")
  }
}
