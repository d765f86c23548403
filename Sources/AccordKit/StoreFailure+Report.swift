import ProgrammeEngine
import WorkspaceStore

extension Report {
  /// The store's failures by what a person can do about them, as `status(of:)` says the
  /// folder's: a lost race or a store that did not answer is worth trying again (75).
  package static func status(of failure: StoreFailure) -> ExitStatus {
    switch failure {
    case .invalidClientID, .invalidCursor, .noSuchLength: .usage
    case .noSuchClient: .noInput
    case .clientExists, .duplicateEvent: .refused
    case .damaged, .newerFormat: .dataError
    // As the folder's lock held too long: exit 75, the CLI's "try again" (the API says 409).
    case .lengthTaken, .busy, .unavailable: .tryAgain
    case .interrupted: .interrupted
    }
  }
}
