import AccordKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// The survey page, `/survey/CODE`: no sign-in, and anonymous by construction. It reads no
/// session (the access gate passes these paths by), sets no cookie, keeps no form token
/// (the code in the path is the only secret, and `form-action 'self'` keeps other sites'
/// forms out), and its requests are logged as `/survey/[code]`, with no address. An answer
/// goes to the store's survey box with its team, level and scores only (`SurveyAnswer`).
struct SurveyRoutes: Sendable {
  let server: WebServer

  static func isSurveyPath(_ path: String) -> Bool { path.hasPrefix("/survey/") }

  func add(to router: Router<WebContext>) {
    router.get("survey/:code") { request, context in await answer { try await page(context) } }
    router.post("survey/:code") { request, context in await answer { try await submit(request, context) } }
  }

  private struct Stop: Error {
    var response: Response
  }

  private func answer(_ body: () async throws -> Response) async -> Response {
    do {
      return try await body()
    } catch let stop as Stop {
      return stop.response
    } catch {
      server.logger.error("survey page: \(WebFailure(error).report.message)")
      return Self.message(.internalServerError, "Something went wrong", ["Your answer was not kept. Please try again later."])
    }
  }

  static func message(_ status: HTTPResponse.Status, _ heading: String, _ lines: [String]) -> Response {
    PageRoutes.html(
      status,
      PageTemplates.page("message", title: heading, chrome: nil, PageRoutes.Message(heading: heading, lines: lines)))
  }

  /// A code no open round takes: never one, used already, or its round closed. The box
  /// keeps no used code, so which of them it is cannot be told, and the page does not guess.
  private static let notOpen = Stop(
    response: message(
      .notFound, "This survey link is not open",
      [
        "It has been used already (each link takes one answer), its survey has closed, or it is not a survey link.",
        "Nothing was kept.",
      ]))

  private static let closed = Stop(
    response: message(.gone, "This survey has closed", ["It takes no more answers. Nothing was kept."]))

  /// The round the code opens, its survey, and the client's programme; a stop otherwise.
  private func round(_ context: WebContext) async throws -> (SurveyBoxKey, Survey, OpenSurveyRound, String) {
    let code = context.parameters.get("code") ?? ""
    guard let box = server.desk.surveyBox, code.utf8.count <= 64 else { throw Self.notOpen }
    let hash = SurveyAnswer.hash(ofCode: code)
    guard let key = try await box.box(forCode: hash), let id = try? ClientID(key.client) else { throw Self.notOpen }
    let programme = try await server.desk.load(id, named: key.client).programme
    guard let survey = programme.playbook.survey, let round = programme.openRound(key.round) else {
      throw Self.notOpen
    }
    guard !round.isPastClosing(at: Date()) else {
      // Recorded now, by the first to come after its day (the CLI's next reader would too).
      _ = try await server.desk.closeDueSurveys(id, programme)
      throw Self.closed
    }
    return (key, survey, round, hash)
  }

  /// GET /survey/CODE: the form.
  private func page(_ context: WebContext) async throws -> Response {
    let (_, survey, round, _) = try await round(context)
    let code = context.parameters.get("code") ?? ""
    return PageRoutes.html(
      .ok,
      PageTemplates.page(
        "survey", title: "Collaboration survey", chrome: nil,
        SurveyPage(survey: survey, round: round, code: code, chosen: [:], problems: [])))
  }

  /// POST /survey/CODE: one answer, kept once.
  private func submit(_ request: Request, _ context: WebContext) async throws -> Response {
    let (key, survey, round, hash) = try await round(context)
    let code = context.parameters.get("code") ?? ""
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: 64 * 1024)
    } catch {
      throw Stop(response: Self.message(.contentTooLarge, "Too large", ["The form sent is larger than a survey answer. Nothing was kept."]))
    }
    let fields = Self.fields(String(buffer: buffer))
    let (answer, problems) = SurveyPage.answer(from: fields, to: survey)
    guard let answer, problems.isEmpty else {
      return PageRoutes.html(
        .badRequest,
        PageTemplates.page(
          "survey", title: "Collaboration survey", chrome: nil,
          SurveyPage(survey: survey, round: round, code: code, chosen: fields, problems: problems)))
    }
    guard let box = server.desk.surveyBox, try await box.submit(answer, code: hash) == key else { throw Self.notOpen }
    return Self.message(
      .ok, "Thank you",
      [
        "Your answer is kept, with no name, no time and no link to you. This link now takes no more answers.",
        "The results are shown to the consultant and the client once the survey closes, "
          + "only for groups large enough that no one can be picked out.",
      ])
  }

  /// The fields of a form sent as `application/x-www-form-urlencoded`; the first of a name wins.
  static func fields(_ body: String) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in body.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      func decoded(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
      }
      let name = decoded(parts[0])
      if fields[name] == nil { fields[name] = parts.count > 1 ? decoded(parts[1]) : "" }
    }
    return fields
  }
}

/// What the survey page shows: the playbook's teams and levels, each dimension as a
/// section, each statement with the scale as radio buttons.
struct SurveyPage {
  struct Choice {
    var name: String
    var value: String
    var label: String
    var checked: Bool
  }

  struct Statement {
    var id: String
    var text: String
    var choices: [Choice]
  }

  struct Dimension {
    var title: String
    var statements: [Statement]
  }

  var action: String
  var teams: [Choice]
  var levels: [Choice]
  var dimensions: [Dimension]
  var minimum: Int
  var maximum: Int
  var closes: String?
  var anonymity: Int
  var problems: [String]
  /// Stored, not computed: templates see stored properties only (through `Mirror`).
  var hasProblems: Bool

  init(survey: Survey, round: OpenSurveyRound, code: String, chosen: [String: String], problems: [String]) {
    action = "/survey/" + code
    func choices(_ name: String, _ groups: [Survey.Group]) -> [Choice] {
      groups.map { Choice(name: name, value: $0.id, label: $0.title, checked: chosen[name] == $0.id) }
    }
    teams = choices("team", survey.teams)
    levels = choices("level", survey.levels)
    let scale = survey.scale.minimum...survey.scale.maximum
    dimensions = survey.dimensions.map { dimension in
      Dimension(
        title: dimension.title,
        statements: dimension.statements.map { statement in
          let name = "s." + statement.id
          return Statement(
            id: statement.id, text: statement.text,
            choices: scale.map { Choice(name: name, value: String($0), label: String($0), checked: chosen[name] == String($0)) })
        })
    }
    minimum = survey.scale.minimum
    maximum = survey.scale.maximum
    closes = round.closes
    anonymity = survey.anonymity
    self.problems = problems
    hasProblems = !problems.isEmpty
  }

  /// The answer a form gives, or what is wrong with it. A statement not answered is left out.
  static func answer(from fields: [String: String], to survey: Survey) -> (SurveyAnswer?, [String]) {
    var problems: [String] = []
    let team = fields["team"] ?? ""
    let level = fields["level"] ?? ""
    if !survey.teams.contains(where: { $0.id == team }) { problems.append("Please choose your team.") }
    if !survey.levels.contains(where: { $0.id == level }) { problems.append("Please choose your level.") }
    var scores: [String: Int] = [:]
    for statement in survey.statements {
      guard let text = fields["s." + statement.id], !text.isEmpty else { continue }
      guard let score = Int(text), survey.scale.contains(score) else {
        problems.append("An answer was not on the scale \(survey.scale.minimum) to \(survey.scale.maximum).")
        continue
      }
      scores[statement.id] = score
    }
    if scores.isEmpty { problems.append("Please answer at least one statement.") }
    guard problems.isEmpty else { return (nil, problems) }
    return (SurveyAnswer(team: team, level: level, answers: scores), [])
  }
}
