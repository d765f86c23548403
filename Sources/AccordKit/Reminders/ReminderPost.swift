import Foundation
import ProgrammeEngine
import WorkspaceStore

/// Mails digests through the store's outbox (`OutboxStore`): queues each digest that has an
/// address and was not sent for its person and day, then hands every queued message to the
/// relay, today's and any an earlier run could not send, each under a claim, so that two
/// servers (or a server and `accord remind --smtp`) never hand one message over twice. What
/// one run did, message by message, is its result.
package struct ReminderPost: Sendable {
  package var outbox: any OutboxStore
  package var client: SMTPClient
  package var from: MailAddress
  package var zone: TimeZone

  package init(outbox: any OutboxStore, client: SMTPClient, from: MailAddress, zone: TimeZone) {
    self.outbox = outbox
    self.client = client
    self.from = from
    self.zone = zone
  }

  /// What became of one digest, or of one message queued before.
  package struct Outcome: Codable, Sendable {
    package enum Status: String, Codable, Sendable {
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

  /// Queues and sends. `now` is when a sent message is recorded as sent.
  package func post(_ digests: [ReminderDigest], now: @Sendable () -> Date = Date.init) async throws -> [Outcome] {
    var outcomes: [Outcome] = []
    for digest in digests {
      let day = digest.today.description
      guard let person = digest.person, let address = digest.address else {
        outcomes.append(Outcome(person: digest.person, day: day, status: .noAddress))
        continue
      }
      let mail = DigestMail(digest: digest, from: from, zone: zone)
      let message = OutboxMessage(
        person: person, day: day, from: from.value, to: address, messageID: mail.messageID, message: mail.message)
      if try await outbox.queueMail(message, as: OutboxMessage.key(day: day, slug: digest.slug)) == .sent {
        outcomes.append(Outcome(person: person, day: day, to: address, status: .alreadySent))
      }
    }
    return outcomes + (try await sendQueued(now: now).map(\.outcome))
  }

  /// Queues `message` under `key` without sending it (`accord invite --roster` queues one
  /// per person, then sends them all).
  package func queue(_ message: OutboxMessage, as key: String) async throws {
    _ = try await outbox.queueMail(message, as: key)
  }

  /// Queues `message` under `key` (`accord invite`'s sign-in link), then sends it and
  /// whatever else is queued.
  package func post(_ message: OutboxMessage, as key: String, now: @Sendable () -> Date = Date.init) async throws
    -> [(key: String, outcome: Outcome)]
  {
    _ = try await outbox.queueMail(message, as: key)
    return try await sendQueued(now: now)
  }

  /// Hands every queued message to the relay, today's and any an earlier run could not
  /// send, each claimed first: one another sender holds, or has sent meanwhile, is passed
  /// over. Each message's key and what became of it.
  /// `progress` hears how many of the queue have been handed over (or passed over), and of how many.
  package func sendQueued(
    now: @Sendable () -> Date = Date.init, progress: ((Int, Int) -> Void)? = nil
  ) async throws -> [(key: String, outcome: Outcome)] {
    var outcomes: [(key: String, outcome: Outcome)] = []
    let queue = try await readable({ () async throws(StoreFailure) in try await outbox.queuedMail() })
    for (done, item) in queue.enumerated() {
      progress?(done, queue.count)
      guard let claim = try await readable({ () async throws(StoreFailure) in try await outbox.claimMail(item.key) })
      else { continue }
      let entry = claim.message
      let outcome = Outcome(person: entry.person, day: entry.day, to: entry.to, status: .sent, what: entry.what)
      do {
        let to = try MailAddress(entry.to)
        let sender = try MailAddress(entry.from)
        let client = client
        // The relay client blocks on its socket: on a thread of its own, not the caller's.
        try await Self.offThread { try client.send(from: sender, to: to, message: entry.message ?? "") }
      } catch {
        await outbox.release(claim)
        var failed = outcome
        failed.status = .failed
        failed.error = "\(error)"
        outcomes.append((item.key, failed))
        continue
      }
      try await outbox.markSent(claim, at: now(), relay: client.relay.description)
      outcomes.append((item.key, outcome))
    }
    return outcomes
  }

  /// `read()`, with a queued message the store cannot read reported as it was when the
  /// outbox was the folder's alone: `invalid-outbox`, exit 65.
  private func readable<T>(_ read: () async throws(StoreFailure) -> T) async throws -> T {
    do {
      return try await read()
    } catch let .damaged(nil, problem) {
      throw FileProblem(path: "the outbox", problem: problem, status: .dataError, code: "invalid-outbox")
    }
  }

  /// Runs blocking `work` on a new thread and waits for it without holding the caller's.
  static func offThread(_ work: @escaping @Sendable () throws -> Void) async throws {
    try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
      Thread {
        do {
          try work()
          done.resume()
        } catch {
          done.resume(throwing: error)
        }
      }.start()
    }
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
