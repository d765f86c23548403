import AccordKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOHTTP1
import ProgrammeEngine
import WorkspaceStore

/// What the server answers for an error: the HTTP status, and the CLI's report of it (the
/// same code, sentence and ids as `--json` prints), so a refusal reads the same on the web.
struct WebFailure: Error {
  var status: HTTPResponse.Status
  var report: Report

  /// The answer for `error`. Errors a request can cause map to 4xx; only the server's own
  /// trouble (a damaged file, a failed write) is a 5xx.
  init(_ error: any Error) {
    if let failure = error as? WebFailure {
      self = failure
      return
    }
    if let missing = error as? WebDesk.NoSuchClient {
      // Never the file's path: the web does not show where the workspace is.
      status = .notFound
      report = Report(
        status: .noInput, code: "no-such-client", message: "no client '\(missing.client)'",
        details: ["client": .text(missing.client)], text: "no client '\(missing.client)'")
      return
    }
    if error is HTTPParserError {
      // The request could not be read: a body cut short of its Content-Length (the client
      // stopped sending), or bytes that are not HTTP. The client's fault, not the server's.
      status = .badRequest
      let message = "the request could not be read: it ended before its Content-Length, or is not HTTP"
      report = Report(status: .usage, code: "bad-request", message: message, text: message)
      return
    }
    if let http = error as? any HTTPResponseError {
      // Hummingbird's and NIO's own refusals of a request (a body over the limit, a bad
      // request line), with their status rather than a 500.
      let message = (http as? HTTPError)?.body ?? http.status.reasonPhrase.lowercased()
      status = http.status
      report = Report(status: .usage, code: Self.code(of: http.status), message: message, text: message)
      return
    }
    guard let report = Report(error) else {
      status = .internalServerError
      report = Report(status: .ioError, code: "internal", message: "the server failed", text: "the server failed")
      return
    }
    self.report = report
    switch report.status {
    case _ where report.code == "not-permitted": status = .forbidden
    // A change another server's got in before, after the retries ran out: as the issue
    // asks of a lost race on the database, 409 with nothing written.
    case _ where error is StoreFailure && report.code == "lost-race": status = .conflict
    case .refused: status = .conflict
    case .usage: status = .badRequest
    case .noInput: status = .notFound
    case .tryAgain: status = .serviceUnavailable
    case .dataError where error is StoreError || error is StoreFailure: status = .internalServerError
    case .dataError: status = .unprocessableContent
    default: status = .internalServerError
    }
    // The store's messages name files on the server's disk; the web shows the code alone.
    if status.code >= 500 {
      self.report = Report(
        status: report.status, code: report.code, message: "the server could not do that (\(report.code))",
        text: "the server could not do that (\(report.code))")
    }
  }

  init(status: HTTPResponse.Status, code: String, message: String, details: [String: Detail] = [:]) {
    self.status = status
    report = Report(status: .usage, code: code, message: message, details: details, text: message)
  }

  /// A stable code for an HTTP status Hummingbird answers with.
  static func code(of status: HTTPResponse.Status) -> String {
    switch status {
    case .contentTooLarge: "too-large"
    case .notFound: "not-found"
    case .methodNotAllowed: "method-not-allowed"
    case .unsupportedMediaType: "unsupported-media-type"
    case _ where status.code < 500: "bad-request"
    default: "internal"
    }
  }

  /// 401: no valid session or token.
  static let unauthenticated = WebFailure(
    status: .unauthorized, code: "unauthenticated", message: "sign in with your link, or send a valid API token")
}
