import AccordKit
import Foundation
import ProgrammeEngine

extension RemoteFailure: CustomStringConvertible {
  package var description: String {
    switch self {
    case let .unreachable(reason): "the server did not answer: \(reason)"
    case let .answered(_, _, message, _): message
    }
  }

  /// The exit status of a server's answer, by what a person can do about it: a request the
  /// server calls malformed is usage (64), a refusal (401, 403, 409 and other 4xx) is 1,
  /// nothing there is 66, and a server that is busy, failing or away is worth another try (75).
  package var status: ExitStatus {
    switch self {
    case .unreachable: .tryAgain
    case let .answered(status, _, _, _):
      switch status {
      case 400, 422: .usage
      case 404: .noInput
      case 408, 429, 500...: .tryAgain
      default: .refused
      }
    }
  }
}

extension RemoteFailure: ReportableError {
  /// `unreachable` (75) with the reason, or the server's own code and message, with the
  /// other fields of its `{"error": {...}}` that are text or lists of text, and its HTTP status.
  package var report: Report {
    switch self {
    case let .unreachable(reason):
      return Report.of(.tryAgain, "unreachable", description, details: ["reason": .text(reason)])
    case let .answered(status, code, _, body):
      var details: [String: Detail] = ["httpStatus": .text(String(status))]
      let error = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["error"] as? [String: Any]
      for (key, value) in error ?? [:] where key != "code" && key != "message" {
        if let text = value as? String { details[key] = .text(text) }
        if let list = value as? [String] { details[key] = .list(list) }
      }
      return Report.of(self.status, code, description, details: details)
    }
  }
}
