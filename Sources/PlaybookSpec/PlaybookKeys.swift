/// The keys each mapping of a playbook requires and allows besides: the one list that both
/// the decoder (which reports an unknown or missing key) and the JSON Schema (which gives
/// an editor the same picture, see `PlaybookSchema`) read, so the two cannot disagree.
public enum PlaybookKeys {
  /// The keys of one kind of mapping.
  public struct Keys: Sendable {
    public let required: [String]
    public let optional: [String]

    /// Every key, required first, in the order the documentation gives them.
    public var all: [String] { required + optional }
  }

  /// The playbook itself, at the top of the file.
  public static let playbook = Keys(
    required: ["playbook", "version", "title", "roles", "stages"],
    optional: ["description", "survey", "metrics", "teams", "levels"])

  public static let stage = Keys(
    required: ["id", "title", "milestones"], optional: ["description", "agreements", "gate", "target"])

  public static let milestone = Keys(
    required: ["id", "title", "owner"],
    optional: ["description", "needs", "gate", "evidence", "due", "every", "times", "until"])

  public static let agreement = Keys(
    required: ["id", "title", "signatories"], optional: ["terms", "needs", "due", "targets", "acknowledged-by"])

  public static let metric = Keys(
    required: ["id", "title", "unit", "better"],
    optional: ["description", "format", "min", "max", "every", "owner", "opportunity"])

  /// A stage's or a milestone's `gate`: every key is optional, but one must name something.
  public static let gate = Keys(required: [], optional: ["agreements", "milestones", "affirmed"])

  /// An agreement's `acknowledged-by`.
  public static let acknowledgement = Keys(required: ["teams"], optional: ["quorum"])

  public static let survey = Keys(required: ["teams", "levels", "dimensions"], optional: ["scale", "anonymity"])

  /// The survey's `scale`.
  public static let scale = Keys(required: ["min", "max"], optional: [])

  /// One of the survey's `dimensions`.
  public static let dimension = Keys(required: ["id", "title", "statements"], optional: ["description"])
}
