import Foundation
import PlaybookSpec

/// One change to a client's programme: what changed, who did it, when, and why.
///
/// The history of events is the client's record; every state is derived from it.
/// The engine has no clock: the caller stamps each event with its time.
public struct Event: Sendable, Hashable {
  public var change: Change
  /// The person who made the change.
  public var by: String
  /// When the change was made, to the second. The record keeps no finer time, so the time
  /// is cut to the second here too: an event in memory is then exactly the event that a
  /// save and a load give back, and a programme compares equal to itself read from disk.
  public var at: Date {
    didSet { at = Self.wholeSeconds(at) }
  }
  /// A free-text note; the reason, for revocations and reopenings.
  public var note: String?

  public init(_ change: Change, by: String, at: Date, note: String? = nil) {
    self.change = change
    self.by = by
    self.at = Self.wholeSeconds(at)
    self.note = note
  }

  /// `date` without its fraction of a second, rounded down as `Timestamp.format` does.
  private static func wholeSeconds(_ date: Date) -> Date {
    Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
  }
}

/// What an event changed.
public enum Change: Sendable, Hashable {
  /// The client was started on its playbook; the person who started it holds the consultant role.
  case started(client: String, name: String)
  /// A person was given a role on this client (replacing whoever held it).
  case assigned(role: String, person: String)
  /// A milestone was marked done.
  case completed(milestone: String)
  /// An agreement was signed for one of its signatory roles.
  case signed(agreement: String, role: String)
  /// A signature was withdrawn.
  case revoked(agreement: String, role: String)
  /// A done milestone was made not done again.
  case reopened(milestone: String)
  /// A round of the playbook's survey was imported: every response, as one event.
  case surveyImported(round: String, responses: [SurveyResponse])
  /// The opportunity calculator's inputs were set for the client, all of them.
  // Boxed: the inputs are a dozen numbers, and every event in a long history would
  // otherwise be as large as this rare one.
  indirect case opportunitySet(OpportunityInputs)

  /// The event's `type` in the state file and in `log --json`.
  public var type: String {
    switch self {
    case .started: "started"
    case .assigned: "assigned"
    case .completed: "completed"
    case .signed: "signed"
    case .revoked: "revoked"
    case .reopened: "reopened"
    case .surveyImported: "surveyImported"
    case .opportunitySet: "opportunitySet"
    }
  }
}
