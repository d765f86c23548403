import Foundation
import PlaybookSpec

// Agreed metrics: readings recorded for a client, judged against the target an agreement
// commits to. A reading is on track when it meets the target or is better than the reading
// before it (moving towards the target); two readings in a row off track ask the czar to
// review the metric with both teams. Readings are judged only once the target is agreed:
// its agreement signed by every signatory on the terms in force.

extension Programme {
  /// The playbook's metrics as they stand, in the playbook's order.
  public func metricStatuses() -> [MetricStatus] {
    playbook.metrics.compactMap { metricStatus(of: $0.id) }
  }

  /// The metric `id` as it stands; nil when the playbook has no such metric.
  public func metricStatus(of id: String) -> MetricStatus? {
    guard let metric = index.metrics[id] else { return nil }
    // By day; for one day, the latest recorded counts.
    var byDay: [CalendarDate: MetricReading] = [:]
    for reading in metricReadings[id] ?? [] { byDay[reading.date] = reading }
    let readings = byDay.values.sorted { $0.date < $1.date }

    let target = index.targets[id]
    var agreedAt: Date?
    var isAgreed = false
    if let target, let number = index.agreementNumbers[target.agreement], fullySigned[number] {
      isAgreed = true
      agreedAt = signatures(of: target.agreement).map(\.at).max()
    }
    let baseline =
      readings.last(where: \.isNamedBaseline)
      // Times are whole seconds: a reading in the second of the last signature counts as before.
      ?? readings.first { reading in agreedAt.map { reading.at <= $0 } ?? true }

    var onTrack: [Bool?] = []
    var offTrackRun = 0
    for (position, reading) in readings.enumerated() {
      guard isAgreed, let target, reading != baseline else {
        onTrack.append(nil)
        continue
      }
      let meets = !metric.isBetter(target.value, than: reading.value)
      let improves = position > 0 && metric.isBetter(reading.value, than: readings[position - 1].value)
      let judged = meets || improves
      onTrack.append(judged)
      offTrackRun = judged ? 0 : offTrackRun + 1
    }
    if onTrack.last == nil { offTrackRun = 0 }

    var trend: Trend?
    if readings.count >= 2 {
      let last = readings[readings.count - 1].value, before = readings[readings.count - 2].value
      trend = last == before ? .level : metric.isBetter(last, than: before) ? .better : .worse
    }
    return MetricStatus(
      metric: metric, readings: readings, baseline: baseline, target: target?.value, agreement: target?.agreement,
      isAgreed: isAgreed, agreedAt: agreedAt, trend: trend, onTrack: onTrack, offTrackRun: offTrackRun)
  }

  /// The opportunity inputs `base` with those the playbook maps to metrics (`opportunity:`)
  /// taken from each metric's baseline or latest reading, and those readings by metric; nil
  /// when no mapped metric has such a reading.
  public func opportunityInputs(over base: OpportunityInputs, at point: MetricPoint)
    -> (inputs: OpportunityInputs, readings: [(metric: Metric, reading: MetricReading)])?
  {
    var inputs = base
    var used: [(metric: Metric, reading: MetricReading)] = []
    for status in metricStatuses() {
      guard let input = status.metric.opportunity,
        let reading = point == .baseline ? status.baseline : status.latest
      else { continue }
      switch input {
      case .unusedShare: inputs.unusedShare = reading.value.value
      case .usedShare: inputs.unusedShare = 100 - reading.value.value
      case .searchShare: inputs.searchShare = reading.value.value
      }
      used.append((status.metric, reading))
    }
    return used.isEmpty ? nil : (inputs, used)
  }

  /// The roles that may record a reading of `metric`: the czar, the consultant, and the
  /// role the metric names.
  public func recorders(of metric: Metric) -> [String] {
    [czarRole, consultantRole] + (metric.owner.map { [$0.id] } ?? [])
  }

  /// The refusal for a metric the playbook does not define, naming the nearest one.
  public func unknownMetric(_ id: String) -> Refusal {
    .unknownMetric(id, suggestion: closestMatch(to: id, among: playbook.metrics.map(\.id)))
  }

  /// A reading must be of a metric the playbook defines, a number its range allows, for a
  /// day no later than the day it is recorded on, by someone who may record it.
  func checkReading(metric id: String, value: String, date: String, reading: String?, by person: String, at time: Date)
    throws(Refusal) -> String?
  {
    guard let metric = index.metrics[id] else { throw unknownMetric(id) }
    guard let quantity = Quantity(parsing: value), quantity.text == value else {
      throw .invalidReading(metric: id, problem: "'\(value)' is not \(Quantity.syntax)")
    }
    if let problem = metric.problem(with: quantity) { throw .invalidReading(metric: id, problem: problem) }
    guard let day = CalendarDate(parsing: date) else { throw .invalidDate(date) }
    // The engine has no time zone: a day ahead of UTC's is the furthest any zone is.
    let latest = CalendarDate(time, in: TimeZone(identifier: "UTC")!).adding(days: 1)
    guard day <= latest else {
      throw .invalidReading(metric: id, problem: "it is for \(date), a day that has not come yet")
    }
    if let reading, reading != MetricReading.baselineMark {
      throw .invalidReading(metric: id, problem: "'\(reading)' is not a kind of reading (only 'baseline' is)")
    }
    return try require(person, holdsOneOf: recorders(of: metric), to: .recordMetric(metric: id), at: time)
  }
}
