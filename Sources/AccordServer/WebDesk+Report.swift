import AccordKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ProgrammeEngine
import WorkspaceStore

extension WebDesk {
  /// The client report of `loaded` as `accord report` writes it: the same renderer, the same
  /// bytes for the same day. A round past its last day is closed first, as `benchmark` does.
  func report(_ id: ClientID, _ loaded: Programme, asOf: CalendarDate? = nil) async throws -> String {
    let programme = try await closeDueSurveys(id, loaded)
    let day = try await clock(asOf: asOf)
    let dates = programme.hasDates ? ItemDates.of(programme, clock: day) : .none
    return ClientReport(programme: programme, dates: dates, asOf: day.today).html()
  }
}

/// How the report is answered, on the page and the API alike.
enum ReportResponse {
  /// The pages' policy forbids inline styles; the report is one file with its stylesheet
  /// inside, so it carries its own policy: inline styles and nothing else (no scripts, no
  /// fetches of any kind, no forms, no framing).
  static let contentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

  static func html(_ text: String) -> Response {
    Response(
      status: .ok,
      headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy],
      body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  /// The `asOf` query parameter, as `--as-of` reads it; nil when absent.
  static func asOf(_ request: Request) throws -> CalendarDate? {
    let query = request.uri.queryParameters
    let given = query[values: "asOf"]
    guard let text = given.first else { return nil }
    guard given.count == 1, let date = CalendarDate(parsing: String(text)) else {
      throw WebFailure(
        status: .badRequest, code: "bad-request", message: "asOf must be a date, YYYY-MM-DD, given once",
        details: ["parameter": .text("asOf")])
    }
    return date
  }
}
