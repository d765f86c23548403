import Foundation
import Testing

/// `accord metric record` and `accord metric show` through the built binary: readings
/// checked against the metric, the baseline, the targets signed with the terms, and a metric
/// off track twice in a row reaching the czar in `next` and on the agenda.
@Suite("End to end: metrics")
struct MetricEndToEndTests {
  static let playbook = """
    playbook: measured
    version: 1
    title: Measured
    roles: {consultant: Consultant, czar: Czar, sales: Sales, marketing: Marketing}
    metrics:
      - {id: conversion, title: Lead conversion, unit: "%", better: higher, format: percent, owner: sales}
      - {id: time-to-sale, title: Time to sale, unit: days, better: lower, format: integer, min: 1, every: 4w}
    stages:
      - id: coach
        title: Coach
        milestones:
          - {id: draft, title: Draft, owner: consultant}
        agreements:
          - id: metrics-charter
            title: The metrics we live by
            terms: We review these numbers together every month.
            signatories: [sales, marketing]
            targets: {conversion: 30, time-to-sale: 40}

    """

  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("measured.yaml")
    try Self.playbook.write(to: path, atomically: true, encoding: .utf8)
    #expect(try accord("start", "acme", "--name", "Acme Ltd", "--playbook", path.path).status == 0)
    for (role, person) in [("czar", "dana"), ("sales", "sam"), ("marketing", "mia")] {
      #expect(try accord("assign", "acme", role, person).status == 0)
    }
  }

  /// The UTC day `days` from today.
  static func day(_ days: Int) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
  }

  func metric(_ id: String) throws -> [String: Any] {
    let run = try accord("metric", "show", "acme", "--json")
    #expect(run.status == 0)
    let json = try #require(try run.json() as? [String: Any])
    let metrics = try #require(json["metrics"] as? [[String: Any]])
    return try #require(metrics.first { $0["id"] as? String == id })
  }

  @Test("readings are checked against the metric and who may record them")
  func readingsAreChecked() throws {
    // alice is the consultant: she may record any metric, but not a reading it cannot have.
    var run = try accord("metric", "record", "acme", "conversion", "120", "--json")
    #expect(run.status == 64)
    #expect(run.stderr.contains("invalid-reading"))
    #expect(try accord("log", "acme", "--json").stdout.contains("metricRecorded") == false)
    run = try accord("metric", "record", "acme", "conversion", "12", as: "mia")
    #expect(run.status != 0)
    #expect(run.stderr.contains("mia may not record a reading of 'conversion'"))
    run = try accord("metric", "record", "acme", "convresion", "12", as: "sam")
    #expect(run.status != 0)
    #expect(run.stderr.contains("did you mean 'conversion'"))
    run = try accord("metric", "record", "acme", "time-to-sale", "12.5", as: "dana")
    #expect(run.status != 0)
    #expect(run.stderr.contains("counts whole days"))
  }

  @Test("the first reading is the baseline; two off track after signing ask the czar for a review")
  func baselineTargetsAndReview() throws {
    var run = try accord("metric", "record", "acme", "conversion", "20.0", "--date", Self.day(-20), as: "sam")
    #expect(run.status == 0)
    #expect(run.stdout.contains("Recorded 20% for 'conversion' on \(Self.day(-20))."))
    #expect(run.stdout.contains("It is the baseline."))
    var conversion = try metric("conversion")
    #expect((conversion["baseline"] as? [String: Any])?["value"] as? String == "20")
    #expect(conversion["target"] as? String == "30")
    #expect(conversion["agreed"] as? Bool == false)

    // The targets are part of the terms the signatories sign.
    run = try accord("complete", "acme", "draft")
    #expect(run.status == 0)
    run = try accord("sign", "acme", "metrics-charter", as: "sam")
    #expect(run.status == 0)
    run = try accord("sign", "acme", "metrics-charter", as: "mia")
    #expect(run.status == 0)
    conversion = try metric("conversion")
    #expect(conversion["agreed"] as? Bool == true)

    #expect(try accord("metric", "record", "acme", "conversion", "19", "--date", Self.day(-10), as: "dana").status == 0)
    run = try accord("metric", "record", "acme", "conversion", "19", "--date", Self.day(-3), "--note", "from the CRM", as: "dana")
    #expect(run.status == 0)
    #expect(run.stdout.contains("2 readings in a row, so the czar reviews it with both teams"))
    conversion = try metric("conversion")
    #expect(conversion["onTrack"] as? Bool == false)
    #expect(conversion["review"] as? Bool == true)
    #expect(conversion["trend"] as? String == "level")
    #expect((conversion["readings"] as? [[String: Any]])?.count == 3)

    run = try accord("next", "acme", "--json")
    let next = try #require(try run.json() as? [String: Any])
    let actions = try #require(next["actions"] as? [[String: Any]])
    let review = try #require(actions.first { $0["kind"] as? String == "review" })
    #expect(review["target"] as? String == "conversion")
    #expect(review["person"] as? String == "dana")
    run = try accord("next", "acme")
    #expect(run.stdout.contains("review Lead conversion with both teams"))

    run = try accord("agenda", "--json", "--as-of", Self.day(5))
    #expect(run.status == 0)
    #expect(run.stdout.contains("\"review\""))
    // The review is due a week after the second reading off track; the czar's digest has it.
    let digests = accord.folder.appendingPathComponent("digests")
    run = try accord("remind", "--as-of", Self.day(5), "--out", digests.path)
    #expect(run.status == 0, "\(run.stderr)")
    let digest = try String(contentsOf: digests.appendingPathComponent("dana.md"), encoding: .utf8)
    #expect(digest.contains("review conversion with both teams, off track two readings in a row (czar). Due \(Self.day(4)), 1 day overdue."))

    run = try accord("metric", "show", "acme")
    #expect(run.status == 0)
    #expect(run.stdout.contains("off track (2 readings in a row): the czar reviews it with both teams"))
    #expect(run.stdout.contains("target    30% (agreed in 'metrics-charter')"))
  }

  @Test("once the targets are agreed, a reading due and not recorded is overdue")
  func overdueReading() throws {
    var run = try accord("next", "acme", "--json")
    let before = try #require(try run.json() as? [String: Any])
    #expect((before["actions"] as? [[String: Any]])?.contains { $0["kind"] as? String == "record" } == false)
    #expect(try accord("complete", "acme", "draft").status == 0)
    // The targets are shown with the terms to sign.
    run = try accord("next", "acme", "--long")
    #expect(run.stdout.contains("Target: Time to sale (time-to-sale): 40 days, lower is better"))
    #expect(try accord("sign", "acme", "metrics-charter", as: "sam").status == 0)
    #expect(try accord("sign", "acme", "metrics-charter", as: "mia").status == 0)
    run = try accord("next", "acme", "--json", "--as-of", Self.day(29))
    let next = try #require(try run.json() as? [String: Any])
    let actions = try #require(next["actions"] as? [[String: Any]])
    let record = try #require(actions.first { $0["kind"] as? String == "record" })
    #expect(record["target"] as? String == "time-to-sale")
    #expect(record["overdue"] as? Bool == true)
    run = try accord("agenda", "--as-of", Self.day(29))
    #expect(run.stdout.contains("time-to-sale"))
    #expect(try accord("metric", "record", "acme", "time-to-sale", "55", "--date", Self.day(1), as: "dana").status == 0)
    run = try accord("next", "acme", "--json", "--as-of", Self.day(29))
    let after = try #require(try run.json() as? [String: Any])
    let due = try #require((after["actions"] as? [[String: Any]])?.first { $0["kind"] as? String == "record" })
    #expect(due["overdue"] as? Bool == false)
    #expect(due["due"] as? String == Self.day(29))
  }
}
