import AccordKit
import Foundation
import Hummingbird
import ProgrammeEngine
import WorkspaceStore

/// `accord survey open` and `survey close` from a laptop (`--remote`): a round answered on
/// the web lives in the server's survey box, so the server opens and closes it, as the
/// token's person, by the one way the commands do it (`SurveyWeb`), on a command's desk
/// over the server's own store. The engine refuses as it does on a folder: only the
/// consultant or the czar runs a survey.
///
/// The opening answers the codes, not links: the laptop makes the links, with `--url` or
/// the remote's address, as `survey open` makes them on a folder. The codes are in that
/// answer only: never logged, kept here only as hashes.
extension APIRoutes {
  func addSurvey(to group: RouterGroup<WebContext>) {
    let desk = server.desk
    // POST /api/v1/clients/CLIENT/survey/open: {round?, codes?, closes?, note?}.
    route(group, "clients/:client/survey/open", .post) { request, context, viewer in
      // A client the token does not open is 404 before the body is even read.
      let (record, _) = try await desk.load(try context.parameters.require("client"), for: viewer)
      let id = try ClientID(record.client)
      let fields = try await APIMessage.Fields.read(request, context: context)
      let (round, codes) = (try fields.optionalText("round"), try fields.optionalCount("codes"))
      let (closes, note) = (try fields.optionalText("closes"), try fields.optionalText("note"))
      if let (option, problem) = SurveyWeb.problem(round: round, codes: codes, closes: closes) {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "'\(option)'\(problem)", details: ["field": .text(option)])
      }
      let person = viewer.person
      let opened = try await writing {
        let opened = try SurveyWeb.open(
          id, round: round, codes: codes, closes: closes, by: person, note: note, via: .remote, on: desk.commandDesk)
        return SurveyOpenedJSON(
          client: id.rawValue, round: opened.round, shared: opened.shared, closes: closes, codes: opened.codes)
      }
      ServerMetrics.appends.increment()
      return try APIMessage.ok(opened)
    }
    // POST /api/v1/clients/CLIENT/survey/close: {round, note?}; answered as `survey close
    // --json` prints it.
    route(group, "clients/:client/survey/close", .post) { request, context, viewer in
      let (record, _) = try await desk.load(try context.parameters.require("client"), for: viewer)
      let id = try ClientID(record.client)
      let fields = try await APIMessage.Fields.read(request, context: context)
      let (round, note) = (try fields.text("round"), try fields.optionalText("note"))
      let person = viewer.person
      let (before, after) = try await writing {
        try SurveyWeb.close(id, round: round, by: person, note: note, via: .remote, on: desk.commandDesk)
      }
      ServerMetrics.appends.increment()
      let dates = try await desk.dates(of: after, now: after.history.last?.at ?? Date())
      return try APIMessage.ok(ChangeJSON(before: before, after: after, dates: dates))
    }
  }
}

extension WebDesk {
  /// A command's desk over this server's store (the folder, or the database), for the work
  /// AccordKit does once for the commands and the server alike (`SurveyWeb`). It is
  /// synchronous: run it on the pool for writes (`writing`), never on a request's thread.
  /// Its writes are the store's own, so the server's memory reads them as another
  /// process's: by the file's stamp, or by the store's length.
  var commandDesk: Desk {
    switch backing {
    case let .folder(workspace): Desk(workspace: workspace)
    case let .store(store, compiled): Desk(store: store, compiled: compiled)
    }
  }
}

/// The answer to `POST /api/v1/clients/CLIENT/survey/open`: the round, whether its one code
/// is shared, its last day, and its codes, shown this once (each link is BASE/survey/CODE).
struct SurveyOpenedJSON: Encodable {
  var client: String
  var round: String
  var shared: Bool
  var closes: String?
  var codes: [String]
}

extension APIMessage.Fields {
  /// The whole-number field `name`, or nil when it is absent or null.
  func optionalCount(_ name: String) throws -> Int? {
    guard let value = object[name], !(value is NSNull) else { return nil }
    // true and false are NSNumbers too (of type char, "c"), and no count.
    guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
      let count = Int(exactly: number.doubleValue)
    else {
      throw WebFailure(
        status: .badRequest, code: "bad-request", message: "'\(name)' must be a whole number",
        details: ["field": .text(name)])
    }
    return count
  }
}
