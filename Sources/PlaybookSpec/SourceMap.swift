/// Positions the decoder saw that the model does not keep, so the validator can still
/// report at the offending node rather than at the element that owns it.
///
/// Keyed by the owning element's location, which is unique per element even when ids
/// are duplicated (that is one of the things the validator reports).
struct SourceMap {
  /// The `roles:` key, where a missing consultant role is reported.
  var roles: SourceLocation?
  /// Each stage's, milestone's, agreement's and survey dimension's `id` value, by the
  /// element's location.
  var ids: [SourceLocation: SourceLocation] = [:]
  /// Each agreement's `signatories` value, by the agreement's location.
  var signatories: [SourceLocation: SourceLocation] = [:]
  /// Each milestone's `evidence` value, by the milestone's location.
  var evidence: [SourceLocation: SourceLocation] = [:]
  /// Each metric's `max` value (else its `min`), by the metric's location.
  var bounds: [SourceLocation: SourceLocation] = [:]
  /// Each metric's `opportunity` value, by the metric's location.
  var opportunity: [SourceLocation: SourceLocation] = [:]
}
