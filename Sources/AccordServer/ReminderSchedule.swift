import AccordKit
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import WorkspaceStore

/// The server's daily reminders: a service (swift-service-lifecycle) that mails once when
/// it starts, then every day at the time given, until the server shuts down. On a folder it
/// reads the workspace and mails through its `.accord-outbox`; on a database it reads the
/// database's clients and settings and mails through its outbox table, which several
/// servers share: each message is claimed before it is handed to the relay, so each goes once.
struct ReminderSchedule: Service, Sendable {
  /// Where the clients and the outbox are kept.
  enum Source: Sendable {
    case folder(Workspace)
    case store(any ClientStore & OutboxStore, compiled: CompiledPlaybooks?)
  }

  var source: Source
  var relay: SMTPRelay
  var from: MailAddress
  var hour: Int
  var minute: Int
  var logger: Logger
  /// What counts as due soon, as `accord remind`'s default.
  var days = 7

  func run() async throws {
    // A graceful shutdown (SIGTERM, Ctrl-C) cancels the wait for the next run; a run under
    // way (reading clients, talking to the relay) is finished first.
    try? await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        let zone = await runOnce()
        let next = Self.next(after: Date(), hour: hour, minute: minute, in: zone)
        logger.info("reminders: next run at \(ISO8601DateFormatter().string(from: next))")
        try await Task.sleep(for: .seconds(max(next.timeIntervalSinceNow, 1)))
      }
    }
  }

  /// Mails today's digests and any left in the outbox; answers the workspace's zone.
  @discardableResult
  func runOnce(now: Date = Date()) async -> TimeZone {
    var zone = TimeZone(identifier: "UTC")!
    do {
      let failed: @Sendable (ClientID, any Error) -> Void = { id, error in
        logger.error("reminders: \(id) cannot be read: \(error)")
      }
      let badAddress: @Sendable (String, AddressProblem) -> Void = { name, problem in
        logger.warning("reminders: the address recorded for \(MailText.oneLine(name)) is not used: \(problem)")
      }
      let digests: [ReminderDigest]
      let outbox: any OutboxStore
      switch source {
      case let .folder(workspace):
        // The folder's files are read on the blocking pool, off the threads that serve requests.
        (digests, zone) = try await NIOThreadPool.singleton.runIfActive {
          let clock = try WorkspaceClock(workspace, now: now)
          let digests = try ReminderJob.digests(
            desk: Desk(workspace: workspace), clock: clock, days: days, now: now, failed: failed,
            badAddress: badAddress)
          return (digests, clock.zone)
        }
        outbox = FolderStore(workspace)
      case let .store(store, compiled):
        let clock: WorkspaceClock
        (digests, clock) = try await ReminderJob.digests(
          store: store, compiled: compiled, days: days, now: now, failed: failed, badAddress: badAddress)
        zone = clock.zone
        outbox = store
      }
      let post = ReminderPost(outbox: outbox, client: SMTPClient(relay: relay), from: from, zone: zone)
      for outcome in try await post.post(digests) {
        switch outcome.status {
        case .sent:
          ServerMetrics.reminderMails("sent").increment()
          logger.info("reminders: \(outcome.sentence)")
        case .failed:
          ServerMetrics.reminderMails("failed").increment()
          logger.error("reminders: \(outcome.sentence)")
        case .alreadySent, .noAddress: break
        }
      }
    } catch {
      logger.error("reminders: not sent: \(error)")
    }
    return zone
  }

  /// The first `hour:minute` in `zone` after `now` (the next day's, once today's has passed).
  static func next(after now: Date, hour: Int, minute: Int, in zone: TimeZone) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    return calendar.nextDate(
      after: now, matching: DateComponents(hour: hour, minute: minute, second: 0), matchingPolicy: .nextTime)
      ?? now.addingTimeInterval(86_400)
  }
}
