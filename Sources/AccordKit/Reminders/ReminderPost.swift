import Foundation
import ProgrammeEngine

/// Mails digests through the outbox: queues each digest that has an address and was not
/// sent for its person and day, then hands every queued message to the relay, today's and
/// any an earlier run could not send. What one run did, message by message, is its result.
package struct ReminderPost {
  package var outbox: Outbox
  package var client: SMTPClient
  package var from: MailAddress
  package var zone: TimeZone

  package init(outbox: Outbox, client: SMTPClient, from: MailAddress, zone: TimeZone) {
    self.outbox = outbox
    self.client = client
    self.from = from
    self.zone = zone
  }

  /// What became of one digest, or of one message queued before.
  package struct Outcome: Encodable {
    package enum Status: String, Encodable {
      /// The relay accepted it.
      case sent
      /// Not delivered: still queued, tried again on the next run.
      case failed
      /// Sent before for this person and day: not sent again.
      case alreadySent = "already-sent"
      /// The person has no address (`accord address`), or it is nobody's digest.
      case noAddress = "no-address"
    }

    package var person: String?
    package var day: String
    package var to: String?
    package var status: Status
    /// The relay's reply or the network's error, for a failure.
    package var error: String?
    /// What was mailed when it was not a digest (`sign-in link`).
    package var what: String?
  }

  /// Queues and sends, under the outbox's lock. `now` is when a sent message is recorded as
  /// sent.
  package func post(_ digests: [ReminderDigest], now: () -> Date = Date.init) throws -> [Outcome] {
    // Nothing to mail and no outbox yet (an empty or new workspace): make none.
    if !digests.contains(where: { $0.person != nil && $0.address != nil }),
      !FileManager.default.fileExists(atPath: outbox.folder.path)
    {
      return digests.map { Outcome(person: $0.person, day: $0.today.description, status: .noAddress) }
    }
    return try outbox.locked {
      var outcomes: [Outcome] = []
      for digest in digests {
        let day = digest.today.description
        guard let person = digest.person, let address = digest.address else {
          outcomes.append(Outcome(person: digest.person, day: day, status: .noAddress))
          continue
        }
        let key = Outbox.key(day: day, slug: digest.slug)
        if outbox.isSent(key) {
          outcomes.append(Outcome(person: person, day: day, to: address, status: .alreadySent))
          continue
        }
        let mail = DigestMail(digest: digest, from: from, zone: zone)
        try outbox.queue(
          Outbox.Entry(
            person: person, day: day, from: from.value, to: address, messageID: mail.messageID, message: mail.message),
          as: key)
      }
      return outcomes + (try sendQueued(now: now).map(\.outcome))
    }
  }

  /// Hands every queued message to the relay, today's and any an earlier run could not
  /// send; the caller holds the outbox's lock. Each message's key and what became of it.
  package func sendQueued(now: () -> Date = Date.init) throws -> [(key: String, outcome: Outcome)] {
    var outcomes: [(key: String, outcome: Outcome)] = []
    for (key, entry) in try outbox.queued() {
      let outcome = Outcome(person: entry.person, day: entry.day, to: entry.to, status: .sent, what: entry.what)
      do {
        let to = try MailAddress(entry.to)
        let sender = try MailAddress(entry.from)
        try client.send(from: sender, to: to, message: entry.message ?? "")
        try outbox.markSent(key, entry, at: now(), relay: client.relay)
        outcomes.append((key, outcome))
      } catch {
        var failed = outcome
        failed.status = .failed
        failed.error = "\(error)"
        outcomes.append((key, failed))
      }
    }
    return outcomes
  }
}

extension ReminderPost.Outcome {
  /// The line a person reads: `Sent sam's reminders for 2026-12-05 to sam@example.com.`
  package var sentence: String {
    let whose = person.map { "\(MailText.oneLine($0))'s \(what ?? "reminders")" }
      ?? "The reminders for roles nobody holds"
    switch status {
    case .sent where what != nil: return "Sent \(whose) to \(to ?? "")."
    case .failed where what != nil:
      return "could not send \(whose) to \(to ?? ""): \(error ?? "")"
        + "; kept in the outbox and tried again by the next accord invite, remind --smtp or serve --smtp"
    case .sent: return "Sent \(whose) for \(day) to \(to ?? "")."
    case .alreadySent: return "\(whose) for \(day) were sent already; not sent again."
    case .noAddress:
      return person == nil
        ? "\(whose) are not mailed: assign the roles."
        : "\(whose) are not mailed: no address (accord address \(person!.hasPrefix("-") ? "-- " : "")"
          + "\(MailText.oneLine(person!).shellQuoted) EMAIL)."
    case .failed:
      return "could not send \(whose) for \(day) to \(to ?? ""): \(error ?? "")"
        + "; kept in the outbox and tried again on the next run"
    }
  }
}

extension String {
  /// The string as a shell word: as it is when it is plain, else in single quotes.
  fileprivate var shellQuoted: String {
    if !isEmpty, utf8.allSatisfy({ $0 < 0x80 && (isalnum(Int32($0)) != 0 || "-_.@".utf8.contains($0)) }) {
      return self
    }
    return "'" + replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
