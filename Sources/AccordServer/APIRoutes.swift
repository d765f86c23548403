import AccordKit
import CollaborationBenchmark
import Foundation
import HTTPTypes
import PlaybookSpec
import Hummingbird
import ProgrammeEngine
import WorkspaceStore

/// The JSON API under /api/v1: the CLI's `--json` commands over HTTP, for the holder of an
/// API token (`accord token create`), who acts as themselves on the clients the token opens.
///
/// Every answer is the bytes the CLI prints for the same command, built by the same code;
/// every error is the CLI's `{"error": {...}}` with an HTTP status (`WebFailure`). The
/// document describing it all is docs/openapi.json, served at /api/v1/openapi.json.
struct APIRoutes: Sendable {
  let server: WebServer

  /// What a route does with a request from an authenticated token holder.
  typealias Handler = @Sendable (Request, WebContext, Viewer) async throws -> Response

  /// The methods a route answers 405 for when it does not take them (QUERY: the safe method
  /// with a body, which tools now try).
  static let methods: [HTTPRequest.Method] = [
    .get, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY")!,
  ]

  func add(to group: RouterGroup<WebContext>) {
    let desk = server.desk
    // The document describing the API is public: it holds nothing of the workspace.
    group.get("openapi.json") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
    }
    refuseOtherMethods(group, "openapi.json", than: .get)
    route(group, "clients", .get) { _, _, viewer in
      let fromProjection = try await desk.listedRows(for: viewer) { id, failure in
        server.logger.error("cannot read client \(id.rawValue): \(failure)")
      }
      if let rows = fromProjection { return try APIMessage.ok(rows) }
      let ids = try await desk.clients(for: viewer)
      let read = try await desk.programmes(ids)
      // The workspace's zone is read once, and only when a client has dates.
      let clock = try await Self.clock(of: read, desk: desk)
      let listing = ClientJSON.listing(
        ids, all: false, clock: { try clock!.get() }, programme: { try read[$0]!.get() }
      ) { id, error in
        server.logger.error("cannot read client \(id.rawValue): \(error)")
      }
      return try APIMessage.ok(listing.rows)
    }
    route(group, "agenda", .get) { request, _, viewer in
      let query = try AgendaQuery(request)
      let clock = try await desk.clock(asOf: query.asOf)
      // On a database, from the store's projection: no history replayed.
      if let listed = try await desk.listedSummaries(for: viewer) {
        let agenda = try WorkspaceAgenda.build(summaries: listed, clock: clock, days: query.days) { id, error in
          server.logger.error("cannot read client \(id.rawValue): \(error)")
        }
        return try APIMessage.ok(AgendaJSON(agenda))
      }
      let ids = try await desk.clients(for: viewer)
      let read = try await desk.programmes(ids)
      let agenda = try WorkspaceAgenda.build(
        ids: ids, clock: clock, days: query.days, read: { try read[$0]!.get() }
      ) { id, error in
        server.logger.error("cannot read client \(id.rawValue): \(error)")
      }
      return try APIMessage.ok(AgendaJSON(agenda))
    }
    read(group, "next") { _, programme, _ in
      NextJSON(programme, at: Date(), dates: try await desk.dates(of: programme))
    }
    read(group, "status") { record, programme, _ in
      StatusJSON(record: record, programme: programme, dates: try await desk.dates(of: programme))
    }
    // Who joined the roster and who acknowledged are the roster keepers' to see (as on the pages).
    read(group, "log") { _, programme, viewer in programme.history(visibleTo: viewer.person) }
    // A round past its last day is closed by the first reader after it, as the CLI's
    // `survey status` and `benchmark` and the pages close it.
    read(group, "survey/rounds") { record, programme, _ in
      SurveyRoundJSON.rounds(of: try await desk.closeDueSurveys(try ClientID(record.client), programme))
    }
    read(group, "survey/status") { record, programme, _ in
      try await desk.surveyStatus(try ClientID(record.client), programme)
    }
    read(group, "benchmark") { record, programme, _ in
      try RoundMeasurement.of(try await desk.closeDueSurveys(try ClientID(record.client), programme), round: nil).json
    }
    read(group, "metrics") { _, programme, _ in MetricsView(programme, dates: try await desk.dates(of: programme)) }
    // The client report: HTML, the bytes `accord report CLIENT --as-of DATE` writes.
    route(group, "clients/:client/report", .get) { request, context, viewer in
      let asOf = try ReportResponse.asOf(request)
      let (record, programme) = try await desk.load(try context.parameters.require("client"), for: viewer)
      return ReportResponse.html(try await desk.report(try ClientID(record.client), programme, asOf: asOf))
    }
    addChanges(to: group)
    addSync(to: group)
    addSurvey(to: group)
    addInvite(to: group)
    addRosterInvite(to: group)
    addAddresses(to: group)
    addAccess(to: group)
    addLogin(to: group)

    change(group, "complete") { fields in
      let milestone = try fields.text("milestone")
      return (try fields.optionalText("note"), { _, _ in .completed(milestone: milestone) })
    }
    change(group, "sign") { fields in
      let agreement = try fields.text("agreement")
      let role = try fields.optionalText("role")
      let terms = try fields.text("terms")
      // The engine refuses terms other than those in force when the signature is written,
      // under the client's lock (409 `terms-changed`): nobody signs text they were not shown.
      return (
        nil,
        { programme, person in try programme.signature(on: agreement, as: role, by: person, at: Date(), terms: terms) }
      )
    }
    change(group, "revoke") { fields in
      let agreement = try fields.text("agreement")
      let role = try fields.optionalText("role")
      let reason = try fields.reason("reason")
      return (reason, { programme, person in try programme.revocation(of: agreement, as: role, by: person, at: Date()) })
    }
    // The roster's own: the path names the agreement, the token the person (never the body).
    change(group, "agreements/:agreement/acknowledge") { fields, parameters in
      let agreement = try parameters.require("agreement")
      let terms = try fields.text("terms")
      // The engine refuses terms other than those in force (409 `terms-changed`), under the
      // client's lock: nobody agrees to text they were not shown.
      return (nil, { _, _ in .acknowledged(agreement: agreement, terms: terms) })
    }
    change(group, "agreements/:agreement/affirm") { fields, parameters in
      let agreement = try parameters.require("agreement")
      let (terms, role) = (try fields.optionalText("terms"), try fields.optionalText("role"))
      return (
        nil,
        { programme, person in try programme.affirmation(of: agreement, as: role, by: person, terms: terms) }
      )
    }
    route(group, "clients/:client/people", .get) { _, context, viewer in
      let (_, programme) = try await desk.load(try context.parameters.require("client"), for: viewer)
      // Who has not acknowledged is the consultant's and the czar's to know, as `people list`.
      guard PageViews.keepsRoster(programme, viewer.person) else {
        throw WebFailure(
          status: .forbidden, code: "not-permitted",
          message: "\(viewer.person) may not list \(programme.client)'s roster: only its consultant and its czar may",
          details: ["person": .text(viewer.person), "client": .text(programme.client)])
      }
      return try APIMessage.ok(RosterJSON(programme))
    }
    change(group, "metrics/record") { fields in
      let (metric, value, date) = (try fields.text("metric"), try fields.text("value"), try fields.text("date"))
      let baseline = try fields.flag("baseline")
      // A number is kept as its canonical text; anything else is the engine's to refuse.
      let change = Change.metricRecorded(
        metric: metric, value: Quantity(parsing: value)?.text ?? value, date: date,
        reading: baseline ? MetricReading.baselineMark : nil)
      return (try fields.optionalText("note"), { _, _ in change })
    }
    change(group, "reopen") { fields in
      let milestone = try fields.text("milestone")
      return (try fields.reason("reason"), { _, _ in .reopened(milestone: milestone) })
    }
    change(group, "assign") { fields in
      let (role, person) = (try fields.text("role"), try fields.text("person"))
      // Handing over the consultant role takes control away: only with "confirm": true.
      let confirm = try fields.flag("confirm")
      return (
        try fields.optionalText("note"),
        { programme, _ in
          if !confirm, let loss = programme.handOverLoss(of: role, to: person) {
            throw Refusal.confirmationRequired(
              role: role, holder: programme.assignments[role] ?? "", person: person, loss: loss)
          }
          return .assigned(role: role, person: person)
        }
      )
    }
    // Anything else under /api/v1 is answered as JSON too.
    for method in Self.methods {
      group.on("**", method: method) { _, _ in
        APIMessage.failure(
          WebFailure(status: .notFound, code: "not-found", message: "no such API route (see /api/v1/openapi.json)"))
      }
    }
  }

  /// A GET of one client's view: `render` is what the CLI's `--json` prints for it.
  private func read<Value: Encodable & SendableMetatype>(
    _ group: RouterGroup<WebContext>, _ path: String,
    _ render: @escaping @Sendable (ClientRecord, Programme, Viewer) async throws -> Value
  ) {
    let desk = server.desk
    route(group, "clients/:client/" + path, .get) { _, context, viewer in
      let (record, programme) = try await desk.load(try context.parameters.require("client"), for: viewer)
      return try APIMessage.ok(try await render(record, programme, viewer))
    }
  }

  /// A POST that changes one client: `parse` reads the body into the event's note and the
  /// change to make (given the programme and the person acting), applied by the token's
  /// person through `WebDesk`, answered with `ChangeJSON` as the CLI's `--json` prints it.
  ///
  /// An `Idempotency-Key` becomes the event's id: a retry of the same change by the same
  /// person under it is answered as the first attempt was, with nothing written again
  /// (`Idempotent-Replayed: true`); any other change under a key used already is 409
  /// `duplicate-event`.
  private func change(
    _ group: RouterGroup<WebContext>, _ path: String,
    _ parse: @escaping @Sendable (APIMessage.Fields) throws -> (
      note: String?, decide: @Sendable (Programme, String) throws -> Change
    )
  ) {
    change(group, path) { fields, _ in try parse(fields) }
  }

  /// A POST that changes one client, as above, whose path names more than the client (the
  /// agreement): `parse` is given the path's parameters too.
  private func change(
    _ group: RouterGroup<WebContext>, _ path: String,
    _ parse: @escaping @Sendable (APIMessage.Fields, Parameters) throws -> (
      note: String?, decide: @Sendable (Programme, String) throws -> Change
    )
  ) {
    let desk = server.desk
    route(group, "clients/:client/" + path, .post) { request, context, viewer in
      let client = try context.parameters.require("client")
      // A client the token does not open is 404 before the body is even read.
      _ = try desk.id(client, for: viewer)
      let key = try IdempotencyKey.read(request)
      let (note, decide) = try parse(try await APIMessage.Fields.read(request, context: context), context.parameters)
      let person = viewer.person
      let retry = { (key: String) async throws -> Response? in
        guard let first = try await desk.firstAttempt(of: key, in: client, for: viewer) else { return nil }
        // The same change by the same person: what this request decides from the programme
        // its first attempt met is the event that attempt made.
        let stored = first.event
        let before = first.before
        guard stored.by == person, stored.via == .api, stored.note == note,
          stored.onBehalfOf == nil, (try? decide(before, person)) == stored.change
        else { throw Refusal.duplicateEvent(id: key) }
        let dates = try await desk.dates(of: first.after, now: stored.at)
        var answer = ChangeJSON(before: before, after: first.after, dates: dates)
        // The first answer was made before the store linked the event into the chain.
        answer.event.previous = nil
        answer.replayed = true
        var response = try APIMessage.ok(answer)
        response.headers[.idempotentReplayed] = "true"
        return response
      }
      if let key, let replayed = try await retry(key) { return replayed }
      let change: (before: Programme, after: Programme)
      do {
        change = try await desk.apply(to: client, as: viewer, via: .api, note: note, id: key) {
          try decide($0, person)
        }
      } catch let refusal as Refusal {
        // A retry that came in while its first attempt was being written.
        guard let key, refusal == .duplicateEvent(id: key), let replayed = try await retry(key) else { throw refusal }
        return replayed
      }
      let (before, after) = change
      let dates = try await desk.dates(of: after, now: after.history.last?.at ?? Date())
      return try APIMessage.ok(ChangeJSON(before: before, after: after, dates: dates))
    }
  }

  /// The workspace's clock when one of the programmes `read` has dates (read once, its
  /// failure kept for the rows that need it); nil when none has.
  static func clock(of read: [ClientID: Result<Programme, any Error>], desk: WebDesk) async throws
    -> Result<WorkspaceClock, any Error>?
  {
    let dated = read.values.contains { (try? $0.get())?.hasDates == true }
    guard dated else { return nil }
    do { return .success(try await desk.clock()) } catch { return .failure(error) }
  }

  /// Adds `handler` for `method` on `path`, and 405 for the other methods; every error it
  /// throws is answered as JSON. Only a bearer token is accepted: a browser's session cookie
  /// would let another site's page act through the API with the person's cookie.
  func route(
    _ group: RouterGroup<WebContext>, _ path: String, _ method: HTTPRequest.Method, _ handler: @escaping Handler
  ) {
    group.on(RouterPath(path), method: method) { request, context -> Response in
      do {
        guard let viewer = context.viewer, case .token = viewer.credential else { throw WebFailure.unauthenticated }
        return try await handler(request, context, viewer)
      } catch {
        return APIMessage.failure(error)
      }
    }
    refuseOtherMethods(group, path, than: method)
  }

  /// 405, naming the one method `path` takes.
  func refuseOtherMethods(_ group: RouterGroup<WebContext>, _ path: String, than method: HTTPRequest.Method) {
    for other in Self.methods where other != method {
      group.on(RouterPath(path), method: other) { _, _ in
        APIMessage.failure(
          WebFailure(
            status: .methodNotAllowed, code: "method-not-allowed",
            message: "\(path) takes \(method.rawValue) only", details: ["allow": .text(method.rawValue)]))
      }
    }
  }
}

/// The query of `GET /api/v1/agenda`: `days` (0 to 3650, 7 when absent) and `asOf`
/// (YYYY-MM-DD, today in the workspace's zone when absent), checked as `accord agenda` checks
/// `--days` and `--as-of`.
struct AgendaQuery {
  var days = 7
  var asOf: CalendarDate?

  init(_ request: Request) throws {
    let query = request.uri.queryParameters
    for name in ["days", "asOf"] where query[values: Substring(name)].count > 1 {
      throw WebFailure(
        status: .badRequest, code: "bad-request", message: "give \(name) once", details: ["parameter": .text(name)])
    }
    if let text = query["days"] {
      guard let days = Int(text), (0...3650).contains(days) else {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "days must be a whole number from 0 to 3650",
          details: ["parameter": .text("days")])
      }
      self.days = days
    }
    if let text = query["asOf"] {
      guard let date = CalendarDate(parsing: String(text)) else {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "asOf must be a date, YYYY-MM-DD",
          details: ["parameter": .text("asOf")])
      }
      asOf = date
    }
  }
}
