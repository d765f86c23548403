import Foundation
import PlaybookSpec
import ProgrammeEngine

/// A client's metrics as `metric show` prints them and `metric show --json` gives them:
/// per metric its baseline, readings, trend, target and whether it is on track.
package struct MetricsView: Encodable {
  package var client: String
  package var metrics: [Entry]

  package struct Entry: Encodable {
    package var id: String
    package var title: String
    package var unit: String
    package var better: String
    /// Absent without readings.
    package var baseline: Reading?
    package var latest: Reading?
    package var readings: [Reading]
    /// `better`, `worse` or `level`, from the reading before the latest; absent with fewer than two.
    package var trend: String?
    /// The value the metric's agreement commits to, that agreement, and whether it is signed.
    package var target: String?
    package var agreement: String?
    package var agreed: Bool
    /// Whether the latest reading is on track; absent when it is not judged (no agreed
    /// target, or the latest is the baseline).
    package var onTrack: Bool?
    /// How many readings in a row, up to the latest, are off track.
    package var offTrack: Int
    /// Whether the czar must review it with both teams (two readings in a row off track).
    package var review: Bool
    /// The day the next reading is due, for a metric whose playbook says how often.
    package var due: String?
  }

  package struct Reading: Encodable {
    package var date: String
    package var value: String
    package var by: String
    package var at: String
    package var note: String?
    package var baseline: Bool
    /// Absent when not judged.
    package var onTrack: Bool?
  }

  package init(_ programme: Programme, dates: ItemDates) {
    client = programme.client
    metrics = programme.metricStatuses().map { status in
      let readings = zip(status.readings, status.onTrack).map { reading, onTrack in
        Reading(
          date: reading.date.description, value: reading.value.text, by: reading.by, at: Timestamp.format(reading.at),
          note: reading.note, baseline: reading == status.baseline, onTrack: onTrack)
      }
      return Entry(
        id: status.metric.id, title: status.metric.title, unit: status.metric.unit,
        better: status.metric.better.rawValue,
        baseline: readings.first { $0.baseline }, latest: readings.last, readings: readings,
        trend: status.trend?.rawValue, target: status.target?.text, agreement: status.agreement,
        agreed: status.isAgreed, onTrack: status.isOnTrack, offTrack: status.offTrackRun, review: status.needsReview,
        due: dates[status.metric.id]?.date.description)
    }
  }

  /// The text `metric show` prints.
  package func lines(_ programme: Programme, dates: ItemDates) -> [String] {
    guard !metrics.isEmpty else { return ["The client's playbook defines no metrics."] }
    var lines: [String] = []
    for (entry, status) in zip(metrics, programme.metricStatuses()) {
      let metric = status.metric
      if !lines.isEmpty { lines.append("") }
      lines.append("\(metric.title) (\(metric.id), \(metric.better) is better)")
      var table = Table()
      table.append("baseline", status.baseline.map { "\(metric.format($0.value)) on \($0.date)" } ?? "none yet")
      table.append("latest", status.latest.map { "\(metric.format($0.value)) on \($0.date)" } ?? "none yet")
      if let trend = entry.trend { table.append("trend", trend) }
      if let target = status.target {
        table.append(
          "target", metric.format(target) + " (" + (status.isAgreed ? "agreed" : "not yet agreed")
            + " in '\(status.agreement ?? "")')")
      }
      if let onTrack = status.isOnTrack {
        var judged = onTrack ? "on track" : "off track"
        if status.offTrackRun > 1 { judged += " (\(status.offTrackRun) readings in a row)" }
        if status.needsReview { judged += ": the czar reviews it with both teams" }
        table.append("status", judged)
      }
      if let phrase = dates.phrase(metric.id) { table.append("next reading", phrase) }
      lines += table.render()
      if !status.readings.isEmpty {
        lines.append("  readings:")
        var readings = Table()
        for (reading, onTrack) in zip(status.readings, status.onTrack) {
          var mark = reading == status.baseline ? "baseline" : ""
          if let onTrack { mark = onTrack ? "on track" : "off track" }
          readings.append(reading.date.description, metric.format(reading.value), mark, "by \(reading.by)")
        }
        lines += readings.render(indent: "    ")
      }
    }
    return lines
  }
}
