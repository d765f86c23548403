import Foundation
import PlaybookSpec

/// One reading of a metric.
public struct MetricReading: Sendable, Hashable {
  /// What `metricRecorded`'s `reading` holds for a reading named the baseline.
  public static let baselineMark = "baseline"

  public var metric: String
  public var value: Quantity
  /// The day the reading is for.
  public var date: CalendarDate
  /// Whether it was recorded as the baseline (`--baseline`).
  public var isNamedBaseline: Bool
  /// Who recorded it, when, and their note (where the number came from).
  public var by: String
  public var at: Date
  public var note: String?
  /// The position in the history of the event that recorded it.
  public var position: Int
}

/// Which of a metric's readings a calculation is made at.
public enum MetricPoint: String, Sendable, Hashable, CaseIterable {
  case baseline, latest
}

/// Which way a metric moved from one reading to the next.
public enum Trend: String, Sendable, Hashable, Codable {
  case better, worse, level
}

/// A metric as it stands for a client: its readings, its baseline and target, and whether
/// it is on track.
public struct MetricStatus: Sendable, Hashable {
  public var metric: Metric
  /// The readings that count, by day (a later reading for the same day corrects an earlier
  /// one), oldest first.
  public var readings: [MetricReading]
  /// The reading named the baseline, else the first reading before the target was agreed
  /// (the first reading at all for a metric without a target); nil when there is none.
  public var baseline: MetricReading?
  /// The value the metric's agreement commits to, and that agreement.
  public var target: Quantity?
  public var agreement: String?
  /// Whether the target is agreed: its agreement is signed by every signatory.
  public var isAgreed: Bool
  /// When it was agreed: the latest of those signatures.
  public var agreedAt: Date?
  /// From the reading before the latest to the latest; nil with fewer than two readings.
  public var trend: Trend?
  /// Per reading (as `readings`), whether it is on track; nil for one not judged (the
  /// baseline, or any while the target is not agreed).
  public var onTrack: [Bool?]
  /// How many readings in a row, up to the latest, are off track.
  public var offTrackRun: Int

  public var latest: MetricReading? { readings.last }

  /// Whether the latest reading is on track; nil when it is not judged.
  public var isOnTrack: Bool? { onTrack.last ?? nil }

  /// Two readings in a row off track: the czar reviews the metric with both teams.
  public var needsReview: Bool { offTrackRun >= 2 }

  /// Whether readings are due on the metric's `every`: once its target is agreed (the teams
  /// live by it from then), or from the start for a metric no agreement targets.
  public var readingsAreDue: Bool { metric.every != nil && (agreement == nil || isAgreed) }
}
