import AccordKit
import WorkspaceStore

extension Desk {
  /// A desk on the workspace `options` name, for `command` run by `person`: a Ctrl-C stops
  /// its change at the store's safe points.
  init(_ options: WorkspaceOptions, person: String = Environment.loginName, command: String) {
    var workspace = options.open(holder: Environment.holder(person, command))
    workspace.interrupted = { Interruption.wasRequested }
    self.init(workspace: workspace)
  }
}
