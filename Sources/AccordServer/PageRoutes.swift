import AccordKit
import CollaborationBenchmark
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OpportunityCalculator
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// The server-rendered pages: plain HTML forms that work without JavaScript.
///
/// Every page needs a browser session (an API token opens none of them); every form carries
/// the session's CSRF token; every change goes through `WebDesk.apply` as the session's
/// person, and the buttons shown are the events the engine would accept (`PermittedActions`).
struct PageRoutes: Sendable {
  let server: WebServer

  func add(to router: Router<WebContext>) {
    router.get("style.css") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
        body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
    }
    router.get("sign-in/:secret") { request, context in await answer { try await signInPage(request, context) } }
    router.post("sign-in") { request, context in await answer { try await signIn(request, context) } }
    router.get("sign-in/laptop/:secret") { request, context in
      await answer { try await laptopPage(request, context) }
    }
    router.post("sign-in/laptop") { request, context in await answer { try await approveLaptop(request, context) } }
    router.post("sign-out") { request, context in await answer { try await signOut(request, context) } }
    router.get("signed-out") { _, _ in
      Self.html(
        .ok,
        PageTemplates.page(
          "message", title: "Signed out", chrome: nil,
          Message(heading: "You are signed out", lines: ["To sign in again, ask for a new link."])))
    }
    router.get("/") { _, context in await answer { try await myWork(context) } }
    router.get("portfolio") { request, context in
      await answer { try await portfolio(context, page: request.uri.queryParameters["page"]) }
    }
    router.get("clients/:client") { request, context in
      await answer { try await clientPage(context, failure: nil, done: request.uri.queryParameters["done"]) }
    }
    for (name, change) in Self.changes {
      router.post(RouterPath("clients/:client/\(name)")) { request, context in
        await answer { try await apply(request, context, change) }
      }
    }
    router.get("clients/:client/agreements/:agreement") { request, context in
      await answer {
        try await agreementPage(
          context, template: "agreement", failure: nil, done: request.uri.queryParameters["done"])
      }
    }
    router.get("clients/:client/agreements/:agreement/sign") { request, context in
      await answer {
        try await agreementPage(context, template: "sign", failure: nil, role: request.uri.queryParameters["role"])
      }
    }
    router.post("clients/:client/agreements/:agreement/sign") { request, context in
      await answer { try await sign(request, context) }
    }
    router.post("clients/:client/agreements/:agreement/acknowledge") { request, context in
      await answer { try await acknowledge(request, context) }
    }
    router.post("clients/:client/agreements/:agreement/affirm") { request, context in
      await answer { try await affirm(request, context) }
    }
    router.get("clients/:client/benchmark") { _, context in await answer { try await benchmark(context) } }
    router.get("clients/:client/graph.svg") { _, context in await answer { try await picture(context) } }
    router.get("clients/:client/report") { request, context in await answer { try await report(request, context) } }
  }

  // MARK: Answers

  /// A response decided early (401, 403, 404, 429), thrown to end the handler.
  struct Answer: Error {
    var response: Response
  }

  struct Message {
    var heading: String
    var lines: [String]
    var link: Link?
  }

  struct Link {
    var href: String
    var text: String
  }

  /// Runs a handler; anything it throws becomes a page with the CLI's sentence for it.
  private func answer(_ body: () async throws -> Response) async -> Response {
    do {
      return try await body()
    } catch let answer as Answer {
      return answer.response
    } catch {
      return failurePage(WebFailure(error), chrome: nil)
    }
  }

  private func failurePage(_ failure: WebFailure, chrome: PageTemplates.Chrome?) -> Response {
    let heading =
      switch failure.status.code {
      case 404: "Not found"
      case 403: "Not allowed"
      case 409: "Refused"
      case 400..<500: "Cannot do that"
      default: "Something went wrong"
      }
    return Self.html(
      failure.status,
      PageTemplates.page(
        "message", title: heading, chrome: chrome,
        Message(heading: heading, lines: [failure.report.message], link: Link(href: "/", text: "Back to my work"))))
  }

  static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
    Response(
      status: status, headers: [.contentType: "text/html; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  private static func redirect(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
  }

  /// The page for an address nothing answers.
  static func notFoundPage() -> Response {
    message(.notFound, "Not found", ["There is no such page."]).response
  }

  static func message(_ status: HTTPResponse.Status, _ heading: String, _ lines: [String]) -> Answer {
    Answer(
      response: html(
        status,
        PageTemplates.page("message", title: heading, chrome: nil, Message(heading: heading, lines: lines))))
  }

  // MARK: Sessions

  /// The signed-in person of a page request, with what the layout shows for them.
  struct Session {
    var viewer: Viewer
    var secret: String
    var chrome: PageTemplates.Chrome { .init(person: viewer.person, csrf: csrf, firm: viewer.isFirm) }
    var csrf: String { SessionCookie.csrfToken(forSession: secret) }
  }

  /// The request's browser session, or a 401 page: pages take no API tokens.
  private func signedIn(_ context: WebContext) throws -> Session {
    guard let viewer = context.viewer, case let .session(secret) = viewer.credential else {
      throw Self.message(
        .unauthorized, "Please sign in",
        ["Sign in with the link you were sent. If it has been used or has run out, ask for a new one."])
    }
    return Session(viewer: viewer, secret: secret)
  }

  /// The fields of every form the pages send (each form uses some).
  struct Form: Decodable {
    var csrf: String?
    var secret: String?
    var milestone: String?
    var agreement: String?
    var role: String?
    var person: String?
    var reason: String?
    var terms: String?
    /// `yes` on the confirmation step of a hand-over, with the `holder` it was asked about.
    var confirm: String?
    var holder: String?
    /// A reading: the metric, its value, the day it is for, and `yes` to name it the baseline.
    var metric: String?
    var value: String?
    var date: String?
    var baseline: String?
  }

  func form(_ request: Request, _ context: WebContext) async throws -> Form {
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: context.maxUploadSize)
    } catch is NIOTooManyBytesError {
      throw Self.message(.contentTooLarge, "Too large", ["The form sent is larger than Accord reads. Nothing was changed."])
    }
    do {
      return try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: buffer))
    } catch {
      throw Self.message(.badRequest, "Cannot read the form", ["The form sent was not one of Accord's."])
    }
  }

  /// The form of a POST by the session's person, refused 403 unless it carries their CSRF token.
  private func checkedForm(_ request: Request, _ context: WebContext, _ session: Session) async throws -> Form {
    let form = try await form(request, context)
    guard SessionCookie.checkCSRF(form.csrf, session: session.secret) else {
      throw Self.message(
        .forbidden, "Not allowed",
        ["This form did not come from your Accord session, or the session has changed. "
          + "Go back, reload the page and try again. Nothing was changed."])
    }
    return form
  }

  /// 429 when the request's address, or the link it presents, has failed too often lately,
  /// saying when to try again.
  func limit(_ request: Request, _ context: WebContext, link: String) throws {
    let address = server.address(of: request, context: context)
    guard let wait = server.limiter.wait(address: address, link: link, now: Date()) else { return }
    let when = wait < 90 ? "\(wait) seconds" : "\((wait + 59) / 60) minutes"
    var answer = Self.message(
      .tooManyRequests, "Too many attempts",
      ["Too many sign-in attempts with this link or from here have failed. Try again in \(when)."])
    answer.response.headers[.retryAfter] = String(wait)
    throw answer
  }

  /// The problem with a link, counted as a failure of the request's address and of the link.
  private func failure(
    _ problem: AccessBook.LinkProblem, _ request: Request, _ context: WebContext, link: String
  ) -> Answer {
    server.limiter.failed(address: server.address(of: request, context: context), link: link, now: Date())
    return Self.linkProblem(problem)
  }

  private static func linkProblem(_ problem: AccessBook.LinkProblem) -> Answer {
    switch problem {
    case .unknown:
      message(.notFound, "Unknown link", ["This sign-in link is not one Accord knows. Ask for a new link."])
    case .used:
      message(.gone, "Link already used", ["This sign-in link has been used already; each works once. Ask for a new link."])
    case .expired:
      message(.gone, "Link expired", ["This sign-in link has run out. Ask for a new link."])
    case .noAccess:
      message(.gone, "Access withdrawn", ["The access this link was for has been withdrawn."])
    }
  }

  /// GET /sign-in/SECRET: a page with a button. A GET never uses the link (mail scanners
  /// fetch links); it only tries it on a copy of the book to say whether it would work.
  private func signInPage(_ request: Request, _ context: WebContext) async throws -> Response {
    let secret = context.parameters.get("secret") ?? ""
    try limit(request, context, link: secret)
    let book = try await server.keeper.book()
    var copy = book
    do {
      let (_, person) = try copy.redeem(linkSecret: secret, now: Date())
      // The page names whom the link is for and who made it, so that a person handed
      // someone else's link sees it is not theirs before using it.
      let link = book.link(secret: secret)
      struct View {
        var person: String
        var secret: String
        var madeBy: String
        var access: String
        var printedFor: Bool
      }
      let view = View(
        person: person, secret: secret, madeBy: link?.createdBy ?? "",
        access: link?.client.map { "the client \($0)" } ?? "every client of the firm",
        printedFor: link?.printedBy != nil)
      return Self.html(.ok, PageTemplates.page("sign-in", title: "Sign in", chrome: nil, view))
    } catch {
      // `redeem` throws nothing but a LinkProblem (typed throws).
      throw failure(error, request, context, link: secret)
    }
  }

  /// POST /sign-in: uses the link once, opens a session and sets its cookie.
  private func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
    let secret = try await form(request, context).secret ?? ""
    try limit(request, context, link: secret)
    let opened: AccessSecret
    do {
      opened = try await server.keeper.update { book in try book.redeem(linkSecret: secret, now: Date()).session }
    } catch let problem as AccessBook.LinkProblem {
      throw failure(problem, request, context, link: secret)
    }
    var response = Self.redirect("/")
    response.setCookie(SessionCookie.make(secret: opened.text, secure: server.cameOverTLS(request)))
    return response
  }

  /// POST /sign-out: ends the session and clears its cookie.
  private func signOut(_ request: Request, _ context: WebContext) async throws -> Response {
    let session = try signedIn(context)
    _ = try await checkedForm(request, context, session)
    let secret = session.secret
    try await server.keeper.update { $0.endSession(secret: secret) }
    var response = Self.redirect("/signed-out")
    response.setCookie(SessionCookie.cleared(secure: server.cameOverTLS(request)))
    return response
  }

  // MARK: Reading pages

  /// "My work": on a database from the store's projection (no history replayed), on the
  /// folder from each client's programme; the same page either way (`ClientAtAGlance`).
  private func myWork(_ context: WebContext) async throws -> Response {
    let session = try signedIn(context)
    let now = Date()
    let person = session.viewer.person
    let clock = { try await server.desk.clock() }
    let view: PageViews.MyWorkView
    if let summaries = try await server.desk.summaries(for: session.viewer) {
      // A summary holds no roster. The client's staff are let in to a client of their own
      // (a client-scoped grant) and hold no role there, so a next action naming them
      // says they hold one: only the other clients of a client-scoped person are read,
      // from the server's memory, for the acknowledgements they owe as staff.
      var acknowledging: [String: [PageViews.Item]] = [:]
      if case .clients = session.viewer.scope {
        for summary in summaries where !summary.archived {
          let named = summary.open.contains { $0.person == person }
          if named { continue }
          let programme = try await server.desk.load(summary.client, for: session.viewer).programme
          acknowledging[summary.client] = PageViews.acknowledging(programme, person: person)
        }
      }
      view = try await PageViews.myWork(
        summaries, person: person, now: now, acknowledging: acknowledging, clock: clock)
    } else {
      var programmes: [Programme] = []
      var acknowledging: [String: [PageViews.Item]] = [:]
      for id in try await server.desk.clients(for: session.viewer) {
        let programme = try await server.desk.load(id.rawValue, for: session.viewer).programme
        if programme.archived != nil { continue }
        programmes.append(programme)
        acknowledging[programme.client] = PageViews.acknowledging(programme, person: person)
      }
      view = try await PageViews.myWork(
        programmes, person: person, now: now, acknowledging: acknowledging, clock: clock)
    }
    return Self.html(.ok, PageTemplates.page("my-work", title: "My work", chrome: session.chrome, view))
  }

  /// The portfolio, for the firm: from the projection on a database, as "my work" is.
  private func portfolio(_ context: WebContext, page text: Substring?) async throws -> Response {
    let session = try signedIn(context)
    let notFound = Self.message(.notFound, "Not found", ["There is no such page."])
    // Answered as a page that is not there, like a client one may not see.
    guard session.viewer.isFirm else { throw notFound }
    // `?page=N`, from 1; anything else is no page of the portfolio.
    let page: Int
    if let text {
      guard let number = Int(text), number >= 1, String(number) == text else { throw notFound }
      page = number
    } else {
      page = 1
    }
    let now = Date()
    let clock = { try await server.desk.clock() }
    let view: PageViews.PortfolioView?
    if let summaries = try await server.desk.summaries(for: session.viewer) {
      view = try await PageViews.portfolio(summaries, page: page, now: now, clock: clock)
    } else {
      var programmes: [Programme] = []
      for id in try await server.desk.clients(for: session.viewer) {
        programmes.append(try await server.desk.load(id.rawValue, for: session.viewer).programme)
      }
      view = try await PageViews.portfolio(programmes, page: page, now: now, clock: clock)
    }
    guard let view else { throw notFound }
    return Self.html(.ok, PageTemplates.page("portfolio", title: "Portfolio", chrome: session.chrome, view))
  }

  private func clientPage(
    _ context: WebContext, failure: WebFailure?, session given: Session? = nil, done: Substring? = nil
  ) async throws -> Response {
    let session = try given ?? signedIn(context)
    let client = context.parameters.get("client") ?? ""
    let programme = try await server.desk.load(client, for: session.viewer).programme
    let permitted = PermittedActions(programme, person: session.viewer.person, at: Date())
    let dates = try await server.desk.dates(of: programme)
    // Dates are read, and a reading is for unless changed, today in the workspace's zone.
    let clock = try await server.desk.clock()
    var view = PageViews.clientPage(
      programme, permitted: permitted, csrf: session.csrf, failure: failure?.report.message, dates: dates,
      today: clock.today, person: session.viewer.person, zone: clock.zone)
    view.done = PageViews.done(done, in: programme, viewer: session.viewer.person)
    if Graphviz() != nil { view.picture = PageViews.clientHref(programme.client) + "/graph.svg" }
    return Self.html(
      failure?.status ?? .ok,
      PageTemplates.page("client", title: programme.name, chrome: session.chrome, view))
  }

  /// The client's programme as an SVG picture drawn by Graphviz's `dot`, for whoever may see
  /// the client page. A server without Graphviz says so (503) rather than draw badly itself.
  private func picture(_ context: WebContext) async throws -> Response {
    let session = try signedIn(context)
    let client = context.parameters.get("client") ?? ""
    let programme = try await server.desk.load(client, for: session.viewer).programme
    let graph = ProgrammeGraph(programme: programme, dates: try await server.desk.dates(of: programme))
    guard let graphviz = Graphviz() else {
      return Self.plain(
        .serviceUnavailable,
        "This server cannot draw the picture: Graphviz's dot is not installed on it "
          + "(Debian/Ubuntu: apt-get install graphviz). The client page lists the same stages in words.\n")
    }
    let source = graph.dot()
    let svg = try await blocking { try graphviz.svg(from: source) }
    // dot writes no script for this source (every title is an escaped label); refused all the
    // same should one ever appear, as the picture is served from the pages' own origin.
    guard !svg.lowercased().contains("<script") else {
      return Self.plain(.internalServerError, "The picture could not be drawn safely.\n")
    }
    return Response(
      status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: svg)))
  }

  private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
    Response(
      status: status, headers: [.contentType: "text/plain; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  private func agreementPage(
    _ context: WebContext, template: String, failure: WebFailure?, session given: Session? = nil,
    done: Substring? = nil, role: Substring? = nil
  ) async throws -> Response {
    let session = try given ?? signedIn(context)
    let client = context.parameters.get("client") ?? ""
    let id = context.parameters.get("agreement") ?? ""
    let programme = try await server.desk.load(client, for: session.viewer).programme
    guard let stage = programme.playbook.stages.first(where: { $0.agreements.contains { $0.id == id } }),
      let agreement = stage.agreements.first(where: { $0.id == id })
    else {
      throw Self.message(.notFound, "Not found", ["\(programme.headline) has no agreement '\(id)'."])
    }
    let permitted = PermittedActions(programme, person: session.viewer.person, at: Date())
    // The confirmation page only for someone who may sign now; anyone else sees the agreement.
    let shown = template == "sign" && permitted.sign[id] == nil && failure == nil ? "agreement" : template
    let clock = try await server.desk.clock()
    var view = PageViews.agreementPage(
      agreement, stage: stage, in: programme, permitted: permitted, csrf: session.csrf,
      failure: failure?.report.message, person: session.viewer.person, role: role.map(String.init),
      zone: clock.zone, today: clock.today)
    view.done = PageViews.done(done, in: programme, viewer: session.viewer.person)
    return Self.html(
      failure?.status ?? .ok,
      PageTemplates.page(shown, title: agreement.title, chrome: session.chrome, view))
  }

  private func benchmark(_ context: WebContext) async throws -> Response {
    let session = try signedIn(context)
    let client = context.parameters.get("client") ?? ""
    let loaded = try await server.desk.load(client, for: session.viewer).programme
    // A round past its last day is closed before it is shown, as `accord benchmark` does.
    let programme = try await server.desk.closeDueSurveys(try server.desk.id(client, for: session.viewer), loaded)
    var answers: [String: Int] = [:]
    if let box = server.desk.surveyBox {
      for round in programme.openSurveyRounds {
        answers[round.name] = try await box.answerCount(SurveyBoxKey(client: programme.client, round: round.name))
      }
    }
    let view = PageViews.benchmarkPage(programme, answers: answers, zone: try await server.desk.clock().zone)
    return Self.html(
      .ok, PageTemplates.page("benchmark", title: "Benchmark: \(programme.name)", chrome: session.chrome, view))
  }

  /// The client report, for anyone who may see the client: the bytes `accord report` writes.
  private func report(_ request: Request, _ context: WebContext) async throws -> Response {
    let session = try signedIn(context)
    let asOf = try ReportResponse.asOf(request)
    let client = context.parameters.get("client") ?? ""
    let programme = try await server.desk.load(client, for: session.viewer).programme
    return ReportResponse.html(
      try await server.desk.report(try server.desk.id(client, for: session.viewer), programme, asOf: asOf))
  }

  // MARK: Changes

  /// How each client form becomes a change (the reason, when the form has one, is the note).
  typealias ChangeMaker = @Sendable (Form, Programme, String) throws -> Change

  static let changes: [(String, ChangeMaker)] = [
    ("complete", { form, _, _ in .completed(milestone: form.milestone ?? "") }),
    ("reopen", { form, _, _ in .reopened(milestone: form.milestone ?? "") }),
    ("revoke", { form, programme, person in
      let agreement = form.agreement ?? ""
      let role = try form.role.flatMap { $0.isEmpty ? nil : $0 }
        ?? programme.role(toRevoke: agreement, by: person, at: Date())
      return .revoked(agreement: agreement, role: role)
    }),
    ("assign", { form, programme, _ in
      // The form offers no role until one is chosen: a role never changes hands by default.
      guard let role = form.role, !role.isEmpty else {
        throw WebFailure(
          status: .badRequest, code: "role-required",
          message: "choose the role to assign; nothing was changed", details: ["field": .text("role")])
      }
      let person = (form.person ?? "").trimmingCharacters(in: .whitespaces)
      // A name that cannot be recorded is refused before any confirmation is asked for.
      if TextRules.nameProblem(person) != nil { throw Refusal.invalidPerson(person) }
      // Handing over the consultant role takes control away: a confirmation step first, and
      // only the hand-over that step showed (the same holder) goes ahead.
      if let loss = programme.handOverLoss(of: role, to: person),
        form.confirm != "yes" || form.holder != programme.assignments[role]
      {
        throw HandOverToConfirm(role: role, person: person, holder: programme.assignments[role] ?? "", loss: loss)
      }
      return .assigned(role: role, person: person)
    }),
    ("record-metric", { form, _, _ in
      let value = (form.value ?? "").trimmingCharacters(in: .whitespaces)
      return .metricRecorded(
        metric: form.metric ?? "", value: Quantity(parsing: value)?.text ?? value, date: form.date ?? "",
        reading: form.baseline == "yes" ? MetricReading.baselineMark : nil)
    }),
  ]

  /// A hand-over the person must confirm on a page of its own before it is made.
  struct HandOverToConfirm: Error {
    var role: String
    var person: String
    var holder: String
    var loss: String
  }

  /// A POST from the client page: applies the change as the session's person; back to the
  /// client page on success, the page again with the CLI's sentence on a refusal.
  private func apply(_ request: Request, _ context: WebContext, _ make: @escaping ChangeMaker) async throws
    -> Response
  {
    let session = try signedIn(context)
    let form = try await checkedForm(request, context, session)
    let client = context.parameters.get("client") ?? ""
    let person = session.viewer.person
    do {
      let note = form.reason.flatMap { $0.isEmpty ? nil : $0 }
      let (_, after) = try await server.desk.apply(to: client, as: session.viewer, via: .web, note: note) {
        programme in try make(form, programme, person)
      }
      // Back to the page, which says what was done: the event just recorded, by its position.
      return Self.redirect(PageViews.clientHref(client) + "?done=\(after.history.count - 1)")
    } catch let missing as WebDesk.NoSuchClient {
      throw missing
    } catch let handOver as HandOverToConfirm {
      let programme = try await server.desk.load(client, for: session.viewer).programme
      struct View { var clientName, clientHref, csrf, role, roleTitle, person, holder, loss: String }
      let view = View(
        clientName: programme.name, clientHref: PageViews.clientHref(client), csrf: session.csrf,
        role: handOver.role, roleTitle: programme.roleTitle(handOver.role), person: handOver.person,
        holder: handOver.holder,
        loss: Shown.name(handOver.loss))
      return Self.html(.ok, PageTemplates.page("hand-over", title: "Hand over the role", chrome: session.chrome, view))
    } catch {
      return try await clientPage(context, failure: WebFailure(error), session: session)
    }
  }

  /// POST .../acknowledge: the session's person, on the client's roster, agrees to the terms
  /// whose hash the agreement page showed them, and only those: changed terms are refused
  /// (`terms-changed`) with nothing recorded, and the page shows the terms in force again.
  private func acknowledge(_ request: Request, _ context: WebContext) async throws -> Response {
    try await agreementChange(request, context) { form, _, _, agreement in
      // No hash is no acknowledgement: the form always carries the one it showed.
      .acknowledged(agreement: agreement, terms: form.terms ?? "")
    }
  }

  /// POST .../affirm: the role's holder now takes a predecessor's signature as their own, on
  /// the terms the page showed (the engine refuses others, `terms-changed`).
  private func affirm(_ request: Request, _ context: WebContext) async throws -> Response {
    try await agreementChange(request, context) { form, programme, person, agreement in
      try programme.affirmation(
        of: agreement, as: form.role.flatMap { $0.isEmpty ? nil : $0 }, by: person, terms: form.terms ?? "")
    }
  }

  /// A change made from an agreement's page by the session's person, with its CSRF token:
  /// back to the agreement's page, which says what was done; the page again with the CLI's
  /// sentence on a refusal, nothing recorded.
  private func agreementChange(
    _ request: Request, _ context: WebContext,
    _ make: @escaping @Sendable (Form, Programme, String, String) throws -> Change
  ) async throws -> Response {
    let session = try signedIn(context)
    let form = try await checkedForm(request, context, session)
    let client = context.parameters.get("client") ?? ""
    let agreement = context.parameters.get("agreement") ?? ""
    let person = session.viewer.person
    do {
      let (_, after) = try await server.desk.apply(to: client, as: session.viewer, via: .web) { programme in
        try make(form, programme, person, agreement)
      }
      return Self.redirect(
        PageViews.clientHref(client) + "/agreements/" + PageViews.escapePath(agreement)
          + "?done=\(after.history.count - 1)")
    } catch let missing as WebDesk.NoSuchClient {
      throw missing
    } catch {
      var failure = WebFailure(error)
      if failure.report.code == "terms-changed" {
        // The page shown again holds the terms in force: say so, and that nothing was kept.
        failure.report.message += ". Nothing was recorded: the terms in force are shown below."
      }
      return try await agreementPage(context, template: "agreement", failure: failure, session: session)
    }
  }

  /// POST .../sign: signs the terms whose hash the confirmation page showed, and only those.
  private func sign(_ request: Request, _ context: WebContext) async throws -> Response {
    let session = try signedIn(context)
    let form = try await checkedForm(request, context, session)
    let client = context.parameters.get("client") ?? ""
    let agreement = context.parameters.get("agreement") ?? ""
    let person = session.viewer.person
    do {
      let (_, after) = try await server.desk.apply(to: client, as: session.viewer, via: .web) { programme in
        // On the terms the confirmation page showed: the engine refuses others (`terms-changed`).
        try programme.signature(
          on: agreement, as: form.role.flatMap { $0.isEmpty ? nil : $0 }, by: person, at: Date(), terms: form.terms ?? "")
      }
      return Self.redirect(
        PageViews.clientHref(client) + "/agreements/" + PageViews.escapePath(agreement)
          + "?done=\(after.history.count - 1)")
    } catch let missing as WebDesk.NoSuchClient {
      throw missing
    } catch {
      return try await agreementPage(context, template: "agreement", failure: WebFailure(error), session: session)
    }
  }
}
