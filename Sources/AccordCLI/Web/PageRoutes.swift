import Foundation
import Hummingbird
import ProgrammeEngine
import WorkspaceStore

/// The server-rendered pages.
struct PageRoutes: Sendable {
  let server: WebServer

  func add(to router: Router<WebContext>) {
  }
}
