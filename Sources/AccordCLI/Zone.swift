import AccordKit
import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

extension Accord {
  /// `accord zone`: the time zone the workspace's dates are in.
  struct Zone: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "zone",
      abstract: "Show or set the time zone the workspace's dates are in (default UTC).",
      discussion: """
        Due dates are calendar dates: an item that became ready at 23:30 in London on a \
        Monday counts from that Monday only if the workspace says it is in Europe/London. \
        Accord never uses the machine's own zone, so a laptop and the firm's server agree. \
        The zone is kept in the workspace's .accord-workspace.json. Changing it changes \
        which day an event fell on, never the events themselves. With --remote it shows \
        the server's zone, which sync brings to the copy; setting it is the server's.
        """)

    @Argument(help: ArgumentHelp("An IANA zone name, such as Europe/London, or UTC.", valueName: "zone"))
    var zone: String?
    @OptionGroup var workspace: WorkspaceOptions

    // Checked here rather than in run(), so that the usage printed under the mistake is
    // this command's.
    func validate() throws {
      guard let zone, WorkspaceSettings.zone(named: zone) == nil else { return }
      let known = TimeZone.knownTimeZoneIdentifiers
      throw ValidationError(
        "'\(zone)' is not a time zone this machine knows" + didYouMean(closestMatch(to: zone, among: known))
          + "; give an IANA name such as Europe/London, or UTC")
    }

    func run() throws {
      // Showing reads the copy, which holds the server's zone; setting is the server's.
      let desk = try Desk(workspace, command: zone == nil ? "zone" : "zone ZONE")
      guard let zone else {
        emit([try desk.settings().timeZone])
        return
      }
      let before = try desk.updateSettings { settings in
        defer { settings.timeZone = zone }
        return settings.timeZone
      }
      emit([before == zone ? "The workspace's dates are in \(zone) already." : "Dates are now in \(zone) (were \(before))."])
    }
  }
}
