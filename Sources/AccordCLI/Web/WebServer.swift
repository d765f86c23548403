import Foundation
import Hummingbird
import Logging
import WorkspaceStore

/// `accord serve`'s application: the pages and the JSON API on one workspace.
///
/// Built from values so that tests run it in process (HummingbirdTesting) on a workspace of
/// their own, exactly as `accord serve` runs it on loopback.
struct WebServer: Sendable {
  let desk: WebDesk
  let keeper: AccessKeeper
  let limiter: SignInLimiter
  /// Trust `X-Forwarded-Proto` and `X-Forwarded-For` from the reverse proxy in front (which
  /// must set them): for Secure cookies and for the address sign-in attempts are counted by.
  let behindProxy: Bool
  let logger: Logger

  init(workspace: Workspace, behindProxy: Bool = false, limiter: SignInLimiter = SignInLimiter(), logger: Logger) {
    desk = WebDesk(workspace: workspace)
    keeper = AccessKeeper(AccessStore(workspace))
    self.limiter = limiter
    self.behindProxy = behindProxy
    self.logger = logger
  }

  func router() -> Router<WebContext> {
    let router = Router(context: WebContext.self)
    router.add(middleware: RequestLog(logger: logger))
    router.add(middleware: SecurityHeaders())
    router.add(middleware: AccessGate(keeper: keeper))
    APIRoutes(server: self).add(to: router.group("api/v1"))
    PageRoutes(server: self).add(to: router)
    return router
  }

  func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
    -> some ApplicationProtocol
  {
    Application(
      router: router(),
      configuration: .init(address: .hostname(host, port: port), serverName: nil),
      onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
      logger: logger)
  }

  /// Whether the browser reached us over TLS (through the proxy, when behind one).
  func cameOverTLS(_ request: Request) -> Bool {
    behindProxy && request.headers[.xForwardedProto]?.lowercased() == "https"
  }

  /// The address sign-in attempts are counted by: the proxy's word for the browser's, when
  /// behind one, else the peer's.
  func address(of request: Request, context: WebContext) -> String {
    if behindProxy, let forwarded = request.headers[.xForwardedFor] {
      return forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? forwarded
    }
    return context.remoteAddress?.ipAddress ?? "unknown"
  }
}
