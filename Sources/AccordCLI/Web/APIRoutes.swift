import Foundation
import Hummingbird
import ProgrammeEngine
import WorkspaceStore

/// The JSON API under /api/v1.
struct APIRoutes: Sendable {
  let server: WebServer

  func add(to group: RouterGroup<WebContext>) {
  }
}
