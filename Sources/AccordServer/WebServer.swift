import AccordKit
import AgreementCertificates
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import Prometheus
import ServiceLifecycle
import WorkspaceStore

/// `accord serve`'s application: the pages and the JSON API on one workspace.
///
/// Built from values so that tests run it in process (HummingbirdTesting) on a workspace of
/// their own, exactly as `accord serve` runs it on loopback.
package struct WebServer: Sendable {
  let desk: WebDesk
  let keeper: AccessKeeper
  let limiter: SignInLimiter
  /// Trust `X-Forwarded-Proto` and `X-Forwarded-For` from the reverse proxy in front (which
  /// must set them): for Secure cookies and for the address sign-in attempts are counted by.
  let behindProxy: Bool
  /// How long a request may take to arrive, and how many connections an address may hold.
  let limits: ConnectionLimits
  /// The connections open now, by address, for `limits`.
  let openConnections = OpenConnections()
  let logger: Logger
  /// What `GET /metrics` exports; nil where metrics are not set up (then it is 404).
  let metrics: PrometheusCollectorRegistry?
  /// The firm's key, for the certificates the API issues (`accord serve` reads the file
  /// `accord certificate` reads); nil when the server has none. Only its public half is served.
  var firmKey: FirmKey?
  /// How the server mails the command line's sign-in codes (`--smtp`); nil: it cannot mail.
  var mail: CodeMail?
  /// Where people reach the server, for the sign-in links it mails: `--url` (or
  /// `$ACCORD_URL`), else the address it listens on, known once it listens.
  let site = NIOLockedValueBox<String?>(nil)

  /// The start of the links the server mails, without a trailing slash.
  var siteBase: String { site.withLockedValue { $0 } ?? "http://127.0.0.1:8080" }

  /// The relay and the outbox a sign-in code goes through.
  struct CodeMail: Sendable {
    var relay: SMTPRelay
    var from: MailAddress
    var outbox: any OutboxStore
  }

  init(
    workspace: Workspace, behindProxy: Bool = false, limiter: SignInLimiter = SignInLimiter(),
    limits: ConnectionLimits = ConnectionLimits(), metrics: PrometheusCollectorRegistry? = nil, logger: Logger
  ) {
    self.init(
      desk: WebDesk(workspace: workspace), keeper: AccessKeeper(AccessStore(workspace)), behindProxy: behindProxy,
      limiter: limiter, limits: limits, metrics: metrics, logger: logger)
  }

  /// The application on `store` (a database other servers may share), playbooks parsed
  /// once by `compiled`.
  init(
    store: any ClientStore, compiled: CompiledPlaybooks? = nil, behindProxy: Bool = false,
    limiter: SignInLimiter = SignInLimiter(), limits: ConnectionLimits = ConnectionLimits(),
    metrics: PrometheusCollectorRegistry? = nil, logger: Logger
  ) {
    self.init(
      desk: WebDesk(store: store, compiled: compiled), keeper: AccessKeeper(store: store), behindProxy: behindProxy,
      limiter: limiter, limits: limits, metrics: metrics, logger: logger)
  }

  private init(
    desk: WebDesk, keeper: AccessKeeper, behindProxy: Bool, limiter: SignInLimiter, limits: ConnectionLimits,
    metrics: PrometheusCollectorRegistry?, logger: Logger
  ) {
    self.metrics = metrics
    self.desk = desk
    self.keeper = keeper
    self.limiter = limiter
    self.behindProxy = behindProxy
    var limits = limits
    // Behind a proxy every connection comes from the proxy's address: the proxy limits its clients.
    if behindProxy { limits.perAddress = nil }
    self.limits = limits
    self.logger = logger
  }

  func router() -> Router<WebContext> {
    // HEAD answers as GET does, without the body.
    let router = Router(context: WebContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestLog(logger: logger))
    if metrics != nil { router.add(middleware: MetricsMiddleware()) }
    router.add(middleware: SecurityHeaders())
    router.add(middleware: AccessGate(keeper: keeper, logger: logger))
    addHealth(to: router)
    addMetrics(to: router)
    APIRoutes(server: self).add(to: router.group("api/v1"))
    PageRoutes(server: self).add(to: router)
    SurveyRoutes(server: self).add(to: router)
    return router
  }

  /// The application, with `services` (the reminders) run beside it and stopped with it.
  func application(
    host: String, port: Int, services: [any Service] = [],
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    let (limits, open) = (limits, openConnections)
    return Application(
      router: router(),
      server: .http1(configuration: .init(additionalChannelHandlers: limits.handlers(open))),
      configuration: .init(address: .hostname(host, port: port), serverName: nil),
      services: services,
      onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
      logger: logger)
  }

  /// Whether the browser reached us over TLS (through the proxy, when behind one).
  /// `GET /healthz`, for the proxy in front and the people who run the server: 200
  /// `{"status": "ready"}` while the store answers, 503 `{"status": "unavailable"}` when it
  /// does not (what went wrong goes to the log, not to the caller). Public: it says nothing
  /// of the workspace.
  func addHealth(to router: Router<WebContext>) {
    let (desk, logger) = (desk, logger)
    router.get("healthz") { _, _ -> Response in
      let ready: Bool
      do {
        try await desk.answers()
        ready = true
      } catch {
        logger.error("healthz: the store does not answer: \(error)")
        ready = false
      }
      return Response(
        status: ready ? .ok : .serviceUnavailable,
        headers: [.contentType: "application/json", .cacheControl: "no-store"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: ready ? #"{"status":"ready"}"# : #"{"status":"unavailable"}"#)))
    }
  }

  /// `GET /metrics`: requests and their latency by route, changes written and refused,
  /// clients read again, reminder mails, in Prometheus's text format. It names routes, never
  /// a client or a person; still, keep it from the world at the proxy (README).
  func addMetrics(to router: Router<WebContext>) {
    guard let metrics else { return }
    router.get("metrics") { _, _ -> Response in
      Response(
        status: .ok,
        headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
    }
  }

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
