import AccordKit
import Foundation
import ProgrammeEngine

extension ChangeJSON {
  /// Prints `lines` as text, or this as JSON (its `next` with the dates `next --json` shows,
  /// judged on the day of the change in `workspace`'s time zone).
  static func show(
    _ lines: [String], before: Programme?, after: Programme, json: Bool, separator: String? = nil,
    workspace: WorkspaceOptions
  ) throws {
    if json {
      let dates = try Desk(workspace, command: "json").dates(of: after, now: after.history.last?.at ?? Date())
      var change = ChangeJSON(before: before, after: after, dates: dates)
      change.separator = separator
      try JSONOutput.print(change)
    } else {
      AccordKit.emit(lines)
    }
  }
}
