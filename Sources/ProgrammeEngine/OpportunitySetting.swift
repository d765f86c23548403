import Foundation

/// The opportunity calculator's inputs as last set for a client, and by whom.
public struct OpportunitySetting: Sendable, Hashable {
  public var inputs: OpportunityInputs
  public var by: String
  public var at: Date

  public init(inputs: OpportunityInputs, by: String, at: Date) {
    self.inputs = inputs
    self.by = by
    self.at = at
  }
}
