import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ProgrammeEngine
import WorkspaceStore

/// The API's requests and answers: a POST's JSON object read field by field, so that a
/// missing or mistyped field is named in the 400; and every answer as the CLI's `--json`
/// prints it, the same bytes, errors included.
enum APIMessage {
  /// The fields of a POST's JSON object body. Fields the route does not ask for are ignored
  /// (never used: the person acting is always the token's).
  struct Fields {
    let object: [String: Any]

    /// Reads `request`'s body: JSON (415 otherwise), at most `WebLimits.bodyBytes` (413), one object (400).
    static func read(_ request: Request, context: WebContext) async throws -> Fields {
      let type = request.headers[.contentType]?.split(separator: ";").first ?? ""
      guard type.trimmingCharacters(in: .whitespaces).lowercased() == "application/json" else {
        throw WebFailure(
          status: .unsupportedMediaType, code: "unsupported-media-type",
          message: "send the body as JSON, with Content-Type: application/json")
      }
      let buffer = try await request.body.collect(upTo: context.maxUploadSize)
      let object: Any
      do {
        object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: [])
      } catch {
        throw WebFailure(status: .badRequest, code: "bad-request", message: "the body is not valid JSON")
      }
      guard let fields = object as? [String: Any] else {
        throw WebFailure(status: .badRequest, code: "bad-request", message: "the body must be a JSON object")
      }
      return Fields(object: fields)
    }

    /// The text field `name`, which must be there.
    func text(_ name: String) throws -> String {
      guard let value = try optionalText(name) else {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "the body has no '\(name)' (a string)",
          details: ["field": .text(name)])
      }
      return value
    }

    /// The text field `name`, or nil when it is absent or null.
    func optionalText(_ name: String) throws -> String? {
      guard let value = object[name], !(value is NSNull) else { return nil }
      // JSONSerialization gives numbers and booleans as NSNumber, never as String.
      guard let text = value as? String else {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "'\(name)' must be a string",
          details: ["field": .text(name)])
      }
      return text
    }

    /// The text field `name`, naming a person as every event names one (`TextRules`).
    func person(_ name: String) throws -> String {
      let person = try text(name)
      if TextRules.nameProblem(person) != nil {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: Refusal.invalidPerson(person).description,
          details: ["field": .text(name)])
      }
      return person
    }

    /// The boolean field `name`; false when it is absent or null.
    func flag(_ name: String) throws -> Bool {
      guard let value = object[name], !(value is NSNull) else { return false }
      // JSONSerialization gives true and false as NSNumbers of type char ("c"); 1 and 0 are
      // other types, and are not an answer to a yes-or-no question.
      guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "'\(name)' must be true or false",
          details: ["field": .text(name)])
      }
      return number.boolValue
    }

    /// The text field `name`, which must say something (a reason).
    func reason(_ name: String) throws -> String {
      let text = try text(name)
      guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "'\(name)' must say why",
          details: ["field": .text(name)])
      }
      return text
    }
  }

  /// 200 with `value` exactly as the CLI's `--json` prints it (`JSONOutput.print`).
  static func ok(_ value: some Encodable) throws -> Response {
    json(.ok, try PrettyJSONEncoder.encodeOrFallBack(value))
  }

  /// The answer for `error`: its status and `{"error": {...}}` as `--json` prints it.
  static func failure(_ error: any Error) -> Response {
    let failure = WebFailure(error)
    var response = json(failure.status, Array(failure.report.rendered(json: true).utf8))
    if failure.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
    if failure.status == .methodNotAllowed, case let .text(allowed)? = failure.report.details["allow"] {
      response.headers[.allow] = allowed
    }
    return response
  }

  /// `bytes` and the final newline `print` adds, as application/json.
  private static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> Response {
    var buffer = ByteBuffer(bytes: bytes)
    buffer.writeString("\n")
    return Response(
      status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
  }
}
