import Foundation
import ProgrammeEngine
import WorkspaceStore

/// The digests of a workspace on a day, shared by `accord remind` and `accord serve --smtp`.
package enum ReminderJob {
  /// Far enough ahead to hold every dated item: the agenda's horizon for the calendars.
  static let everything = 1_000_000

  /// Each person's digest on `clock.today`, with the addresses the workspace records.
  /// Clients that cannot be read go to `failed`; an address in the settings that Accord
  /// cannot use goes to `badAddress`, and that person is not mailed.
  package static func digests(
    desk: Desk, clock: WorkspaceClock, days: Int, person: String? = nil, now: Date = Date(),
    failed: (ClientID, any Error) -> Void, badAddress: (String, AddressProblem) -> Void
  ) throws -> [ReminderDigest] {
    let agenda = try WorkspaceAgenda.build(desk: desk, clock: clock, days: everything, now: now, failed: failed)
    var addresses: [String: String] = [:]
    for (name, address) in try desk.settings().addresses ?? [:] {
      do {
        addresses[name] = try MailAddress(address).value
      } catch {
        badAddress(name, error)
      }
    }
    return ReminderDigest.all(from: agenda, today: clock.today, days: days, addresses: addresses, only: person)
  }
}
