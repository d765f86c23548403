import Foundation
import HTTPTypes
import Hummingbird
import WorkspaceStore
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// One log line a request: method, path (secrets masked), status and time taken. Never the
/// query, a header, a cookie or a body.
struct RequestLog: RouterMiddleware {
  typealias Context = WebContext
  let logger: Logger

  func handle(
    _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    let path = Self.loggable(request.uri.path)
    do {
      let response = try await next(request, context)
      log(request, path, response.status.code, since: start)
      return response
    } catch let error as any HTTPResponseError {
      log(request, path, error.status.code, since: start)
      throw error
    } catch {
      log(request, path, 500, since: start)
      throw error
    }
  }

  private func log(_ request: Request, _ path: String, _ status: Int, since start: ContinuousClock.Instant) {
    let elapsed = ContinuousClock.now - start
    let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
    logger.info("\(request.method) \(path) \(status) \(String(format: "%.1f", milliseconds))ms")
  }

  /// The path with the secret of a sign-in link replaced, and anything unprintable escaped,
  /// so a log line can neither leak a link nor be forged by a request.
  static func loggable(_ path: String) -> String {
    var path = path
    if path.hasPrefix("/sign-in/laptop/") {
      path = "/sign-in/laptop/[secret]"
    } else if path.hasPrefix("/sign-in/"), path != "/sign-in/laptop" {
      path = "/sign-in/[secret]"
    }
    // A survey link's code would tie a log line (its time) to the person it was handed to.
    if path.hasPrefix("/survey/") { path = "/survey/[code]" }
    if path.count > 200 { path = String(path.prefix(200)) + "..." }
    return String(
      path.unicodeScalars.flatMap { scalar -> [Character] in
        scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\"" || scalar == "\\"
          ? Array(scalar.escaped(asASCII: true)) : [Character(scalar)]
      })
  }
}

/// Headers every response carries: a strict Content-Security-Policy (no scripts at all, styles
/// only from our own stylesheet), no framing, no referrer, and no MIME sniffing.
struct SecurityHeaders: RouterMiddleware {
  typealias Context = WebContext

  static let contentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    + "frame-ancestors 'none'; base-uri 'none'"

  func handle(
    _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
  ) async throws -> Response {
    var response: Response
    do {
      response = try await next(request, context)
    } catch let error as any HTTPResponseError {
      response = try error.response(from: request, context: context)
      // An address no route answers is a page, like a client one may not see, for a person
      // with a browser; the API keeps its bare status.
      if response.status == .notFound, !request.uri.path.hasPrefix("/api/") {
        response = PageRoutes.notFoundPage()
      }
    }
    // A response with its own policy keeps it (the report, whose stylesheet is inline).
    if response.headers[.contentSecurityPolicy] == nil {
      response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
    }
    response.headers[.xFrameOptions] = "DENY"
    response.headers[.referrerPolicy] = "no-referrer"
    response.headers[.xContentTypeOptions] = "nosniff"
    if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    return response
  }
}

/// Looks at the request's session cookie or bearer token and records who is asking in the
/// context. It refuses nothing itself: the routes decide what needs a viewer.
///
/// A session's idle clock that cannot be saved (a full or read-only disk) is logged, by the
/// error alone (never the cookie), and the request answered all the same.
struct AccessGate: RouterMiddleware {
  typealias Context = WebContext
  let keeper: AccessKeeper
  let logger: Logger

  func handle(
    _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
  ) async throws -> Response {
    var context = context
    // The survey pages are anonymous by construction: a session cookie sent with them is
    // never read, so an answer is tied to no one's session (nor moves its idle clock).
    if SurveyRoutes.isSurveyPath(request.uri.path) { return try await next(request, context) }
    let unsaved: @Sendable (any Error) -> Void = { [logger] error in
      logger.error("cannot save a session's last use; answering anyway: \(error)")
    }
    do {
      context.viewer = try await keeper.viewer(for: request, now: Date(), unsaved: unsaved)
    } catch let failure as StoreFailure {
      // The database did not answer who is asking: 503, naming nothing internal.
      logger.error("cannot read the access book: \(failure)")
      if case .unavailable = failure { throw HTTPError(.serviceUnavailable, message: "the store did not answer") }
      throw failure
    }
    return try await next(request, context)
  }
}

/// Runs blocking file work (reads, locks, writes) on NIO's thread pool, off the threads
/// that serve requests.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await NIOThreadPool.singleton.runIfActive(body)
}

extension HTTPField.Name {
  static let xFrameOptions = Self("X-Frame-Options")!
  static let referrerPolicy = Self("Referrer-Policy")!
  static let xForwardedProto = Self("X-Forwarded-Proto")!
  static let xForwardedFor = Self("X-Forwarded-For")!
}
