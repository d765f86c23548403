import ProgrammeEngine
import WorkspaceStore

extension StoreFailure {
  /// A stable code for `--json` and the API. Where the folder's `StoreError` has a case for
  /// the same trouble, its code: a program reading the API need not know which store answered.
  package var code: String {
    switch self {
    case .invalidClientID: "invalid-client-id"
    case .noSuchClient: "no-such-client"
    case .clientExists: "client-exists"
    case .noSuchLength: "no-such-length"
    // A change decided against a history another change had already grown: nothing written.
    case .lengthTaken: "lost-race"
    case .duplicateEvent: "duplicate-event"
    case .damaged: "corrupt-file"
    case .newerFormat: "newer-format"
    case .busy: "locked"
    case .unavailable: "store-unavailable"
    case .interrupted: "interrupted"
    }
  }

  /// The ids involved, for `--json`: never a password (the store's messages carry none).
  package var details: [String: Detail] {
    switch self {
    case let .invalidClientID(id, _): ["client": .text(id)]
    case let .noSuchClient(client, suggestion?): ["client": .text(client), "suggestion": .text(suggestion)]
    case let .noSuchClient(client, nil), let .clientExists(client), let .busy(client, _):
      ["client": .text(client)]
    case let .noSuchLength(client, _, _), let .lengthTaken(client, _, _): ["client": .text(client)]
    case let .duplicateEvent(client, id): ["client": .text(client), "event": .text(id)]
    case let .damaged(client?, _), let .newerFormat(client?, _, _): ["client": .text(client)]
    case .damaged(nil, _), .newerFormat(nil, _, _), .unavailable, .interrupted: [:]
    }
  }
}

extension Report {
  /// The store's failures by what a person can do about them, as `status(of:)` says the
  /// folder's: a lost race or a store that did not answer is worth trying again (75).
  package static func status(of failure: StoreFailure) -> ExitStatus {
    switch failure {
    case .invalidClientID, .noSuchLength: .usage
    case .noSuchClient: .noInput
    case .clientExists, .duplicateEvent: .refused
    case .damaged, .newerFormat: .dataError
    // As the folder's lock held too long: exit 75, the CLI's "try again" (the API says 409).
    case .lengthTaken, .busy, .unavailable: .tryAgain
    case .interrupted: .interrupted
    }
  }
}
