import AgreementCertificates
import Foundation
import PlaybookSpec
import ProgrammeEngine
import SurveyCSV
import WorkspaceStore

/// What `accord` says about an error, decided in one place for every command: the exit
/// status, a stable code, the sentence a person reads and, for `--json`, the ids involved.
package struct Report {
  package var status: ExitStatus
  package var code: String
  package var message: String
  package var details: [String: Detail] = [:]
  /// The text printed without `--json`, whole lines.
  package var text: String

  /// The report for `error`, or nil for one ArgumentParser reports itself (help, version,
  /// and its own usage errors).
  package init?(_ error: any Error) {
    switch error {
    case let refusal as Refusal:
      let status = Self.status(of: refusal)
      self.init(
        status, refusal.code, refusal.description, refusal.details,
        prefix: status == .usage ? "error" : "refused")
    case let error as StoreError:
      self.init(
        Self.status(of: error), error.code, error.description, error.details.mapValues(Detail.text),
        prefix: "error")
    case let failure as StoreFailure:
      self.init(
        Self.status(of: failure), failure.code, failure.description, failure.details.mapValues(Detail.text),
        prefix: "error")
    case let error as PlaybookError:
      // Diagnostics are whole lines of their own: file:line:column: error: message.
      self.init(
        status: .dataError, code: "invalid-playbook", message: error.description,
        details: ["diagnostics": .list(error.diagnostics.map(\.description))], text: error.description)
    case let error as SurveyFileError:
      let count = error.diagnostics.count
      let file = error.diagnostics.first?.location.file ?? "the file"
      self.init(
        status: .dataError, code: "invalid-survey-file", message: error.description,
        details: ["diagnostics": .list(error.diagnostics.map(\.description))],
        text: error.description + "\naccord: nothing was imported: "
          + "\(count == 1 ? "1 problem" : "\(count) problems") in \(file)")
    case let error as KeyFileError:
      self.init(Self.status(of: error), error.code, error.description, ["path": .text(error.path)], prefix: "error")
    case let refusal as CertificateRefusal:
      var details: [String: Detail] = [:]
      switch refusal {
      case let .unknownAgreement(id, suggestion):
        details["agreement"] = .text(id)
        if let suggestion { details["suggestion"] = .text(suggestion) }
      case let .noSignatures(agreement, unsigned):
        details["agreement"] = .text(agreement)
        details["roles"] = .list(unsigned)
      }
      let status = Self.status(of: refusal)
      self.init(status, refusal.code, refusal.description, details, prefix: status == .usage ? "error" : "refused")
    case let refusal as AccessRefusal:
      self.init(
        refusal.status, refusal.code, refusal.description, refusal.details,
        prefix: refusal.status == .refused ? "refused" : "error")
    case let hinted as HintedRefusal:
      self.init(hinted.refusal)!
      if let suggestion = hinted.suggestion {
        details["suggestion"] = .text(suggestion)
        text += "\n  did you mean '\(suggestion)'? Names are compared exactly."
      }
    case let failure as GraphvizFailure:
      self.init(failure.status, failure.code, failure.description, [:], prefix: "error")
    case let refusal as CommandRefusal:
      self.init(.refused, refusal.code, refusal.description, refusal.details, prefix: "refused")
    case let error as UsageError:
      self.init(.usage, "usage", error.message, [:], prefix: "error")
      text += error.hint.map { "\n" + $0 } ?? ""
    case let error as FileProblem:
      var details: [String: Detail] = ["path": .text(error.path)]
      if let suggestion = error.suggestion { details["suggestion"] = .text(suggestion) }
      self.init(error.status, error.code, error.description, details, prefix: "error")
    case let error as any ReportableError:
      self = error.report
    default:
      return nil
    }
  }

  private init(
    _ status: ExitStatus, _ code: String, _ message: String, _ details: [String: Detail], prefix: String
  ) {
    self.init(status: status, code: code, message: message, details: details, text: "accord: \(prefix): \(message)")
  }

  package init(status: ExitStatus, code: String, message: String, details: [String: Detail] = [:], text: String) {
    self.status = status
    self.code = code
    self.message = message
    self.details = details
    self.text = text
  }

  /// A refusal about what was typed (an id the playbook does not have, a blank name) is a
  /// usage error; the others are the programme's rules saying no.
  package static func status(of refusal: Refusal) -> ExitStatus {
    switch refusal {
    case .unknownMilestone, .unknownAgreement, .unknownRole, .unknownItem, .invalidPerson, .invalidName, .invalidNote,
      .invalidRoundName, .invalidDay,
      .invalidDate, .unknownMetric, .invalidReading:
      .usage
    // A round that is not there is "nothing there to read", as `benchmark --round` says.
    case .unknownRound: .noInput
    default: .refused
    }
  }

  /// The store's errors by what a person can do about them.
  package static func status(of error: StoreError) -> ExitStatus {
    switch error {
    case .invalidClientID: .usage
    case .noSuchClient: .noInput
    case .clientExists: .refused
    case .corrupt, .brokenChain, .newerFormat, .notRegularFile: .dataError
    case .locked, .changedOnDisk: .tryAgain
    case .io: .ioError
    case .interrupted: .interrupted
    }
  }

  /// The firm key file's problems: none there to read (66), one there already (73), one
  /// that cannot be trusted (65), one the system would not read or write (74).
  package static func status(of error: KeyFileError) -> ExitStatus {
    switch error {
    case .missing: .noInput
    case .exists: .cannotCreate
    case .insecure, .malformed: .dataError
    case .io: .ioError
    }
  }

  /// An agreement the playbook lacks is a mistyped id (64); one with nothing to certify is
  /// the programme's state saying no (1).
  package static func status(of refusal: CertificateRefusal) -> ExitStatus {
    switch refusal {
    case .unknownAgreement: .usage
    case .noSignatures: .refused
    }
  }

  /// When a change was refused to the login name because nobody said who was at the
  /// keyboard (no --by, no ACCORD_USER), says so: `root may not complete` is about root.
  package mutating func hintAtLoginName(_ error: any Error, arguments: [String]) {
    let refusal = (error as? Refusal) ?? (error as? HintedRefusal)?.refusal
    guard let person = refusal?.refusedPerson, Environment.value("ACCORD_USER") == nil,
      !arguments.contains(where: { $0 == "--by" || $0.hasPrefix("--by=") }),
      person == Environment.loginName
    else { return }
    details["loginName"] = .text(person)
    text += "\n  '\(person)' is your login name: nobody said who is making the change. "
      + "Say who with --by PERSON, or set ACCORD_USER."
  }

  /// Prints the report on stderr: `{"error": {"code", "message", ...the ids}}` for
  /// `--json`, else its text.
  package func print(json: Bool) {
    printError(rendered(json: json))
  }

  /// The error as `--json` gives it: the code, the message and the ids involved.
  package var fields: [String: Detail] {
    var fields = details
    fields["code"] = .text(code)
    fields["message"] = .text(message)
    return fields
  }

  /// What `print` writes, without the final newline.
  package func rendered(json: Bool) -> String {
    guard json else { return text }
    let bytes = (try? PrettyJSONEncoder.encodeOrFallBack(["error": fields])) ?? []
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A command stopped by Ctrl-C or SIGTERM before it began to change anything.
  package static let interruptedEarly = Report(
    status: .interrupted, code: "interrupted", message: "interrupted: nothing was changed.",
    text: "accord: interrupted: nothing was changed.")
}

/// An error of a module above AccordKit (the remotes and the firm server's answers, in
/// AccordRemote) that says itself how it is reported, since AccordKit cannot name its types.
package protocol ReportableError: Error {
  /// The exit status, code, message and ids of this error.
  var report: Report { get }
}

extension Report {
  /// A report printed as `accord: error: MESSAGE` (or `refused` for status 1).
  package static func of(
    _ status: ExitStatus, _ code: String, _ message: String, details: [String: Detail] = [:], hint: String? = nil
  ) -> Report {
    let prefix = status == .refused ? "refused" : "error"
    return Report(
      status: status, code: code, message: message, details: details,
      text: "accord: \(prefix): \(message)" + (hint.map { "\n  " + $0 } ?? ""))
  }
}

/// A command line that parsed but cannot be used, found once the command runs.
package struct UsageError: Error {
  package var message: String
  /// A line on where to read more, printed below the message.
  package var hint: String?

  package init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }
}

/// A file or name on the command line that cannot be used.
package struct FileProblem: Error, CustomStringConvertible {
  package var path: String
  package var problem: String
  package var status: ExitStatus
  /// A stable name for programs, such as `no-such-file`.
  package var code: String
  package var suggestion: String?

  package init(path: String, problem: String, status: ExitStatus, code: String, suggestion: String? = nil) {
    self.path = path
    self.problem = problem
    self.status = status
    self.code = code
    self.suggestion = suggestion
  }

  package var description: String { "\(path): \(problem)" + didYouMean(suggestion) }
}

/// Writes a line to standard error.
package func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}
