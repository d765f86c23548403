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
    var programmes: [Programme] = []
    let agenda = try WorkspaceAgenda.build(
      desk: desk, clock: clock, days: everything,
      read: { id in
        let programme = try desk.programme(id)
        programmes.append(programme)
        return programme
      }, now: now, failed: failed)
    return digests(
      from: agenda, staff: staff(of: programmes, clock: clock), today: clock.today, days: days, person: person,
      recorded: try desk.settings().addresses, badAddress: badAddress)
  }

  /// What the people on the clients' rosters owe: an item for each agreement that asks them
  /// to acknowledge it and has a date, on that date; and the address each roster holds.
  /// Nobody but the person is told who has not acknowledged (each digest is its person's).
  static func staff(of programmes: [Programme], clock: WorkspaceClock) -> (items: [Agenda.Item], addresses: [String: String]) {
    var items: [Agenda.Item] = []
    var addresses: [String: String] = [:]
    for programme in programmes where programme.archived == nil && !programme.people.isEmpty {
      let owed = programme.acknowledgementsOwed(today: clock.today, in: clock.zone)
      items += owed
      for member in programme.people where addresses[member.name] == nil && owed.contains(where: { $0.action.person == member.name }) {
        if let address = try? MailAddress(member.email) { addresses[member.name] = address.value }
      }
    }
    return (items, addresses)
  }

  /// `digests`, from a store (the server's database): its clients, each read and its chain
  /// followed as every read is, and its settings' zone and addresses. Returns the clock too.
  package static func digests(
    store: any ClientStore, compiled: CompiledPlaybooks? = nil, days: Int, person: String? = nil,
    now: Date = Date(), failed: (ClientID, any Error) -> Void, badAddress: (String, AddressProblem) -> Void
  ) async throws -> (digests: [ReminderDigest], clock: WorkspaceClock) {
    let settings = try await store.settings()
    guard let zone = WorkspaceSettings.zone(named: settings.timeZone) else {
      throw StoreFailure.damaged(client: nil, problem: "the settings name no time zone this machine knows")
    }
    let clock = WorkspaceClock(zone: zone, now: now)
    var programmes: [ClientID: Result<Programme, any Error>] = [:]
    let ids = try await store.clientIDs()
    for id in ids {
      do {
        programmes[id] = .success(try await store.load(id).verifiedProgramme(compiled: compiled))
      } catch {
        programmes[id] = .failure(error)
      }
    }
    let agenda = try WorkspaceAgenda.build(
      ids: ids, clock: clock, days: everything, read: { try programmes[$0]!.get() }, now: now, failed: failed)
    let read = programmes.values.compactMap { try? $0.get() }.sorted { $0.client < $1.client }
    let digests = digests(
      from: agenda, staff: staff(of: read, clock: clock), today: clock.today, days: days, person: person, recorded: settings.addresses,
      badAddress: badAddress)
    return (digests, clock)
  }

  /// Each person's digest from `agenda`, to the address the settings record for them
  /// (`recorded`); an address Accord cannot use goes to `badAddress`, and that person is
  /// not mailed.
  private static func digests(
    from agenda: Agenda, staff: (items: [Agenda.Item], addresses: [String: String]), today: CalendarDate, days: Int,
    person: String?, recorded: [String: String]?, badAddress: (String, AddressProblem) -> Void
  ) -> [ReminderDigest] {
    var addresses: [String: String] = [:]
    for (name, address) in recorded ?? [:] {
      do {
        addresses[name] = try MailAddress(address).value
      } catch {
        badAddress(name, error)
      }
    }
    // The address the workspace records for a person comes first; a roster's is for its own people.
    addresses.merge(staff.addresses) { recorded, _ in recorded }
    return ReminderDigest.all(
      from: agenda, staff: staff.items, today: today, days: days, addresses: addresses, only: person)
  }
}
