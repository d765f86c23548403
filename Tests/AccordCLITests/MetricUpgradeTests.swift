import Foundation
import Testing

/// The standard playbook's upgrade path from version 2 (before metrics) to version 3: a
/// client on version 2 reads as before, moves with `accord upgrade`, and the metrics
/// agreement's new targets make it an agreement to sign again.
@Suite("End to end: the standard playbook's metrics, version 2 to 3")
struct MetricUpgradeTests {
  static let v2 = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures/valid/alignment-v2.yaml").path
  static let v3 = AccordBinary.packageRoot.appendingPathComponent("playbooks/alignment.yaml").path

  @Test func aVersion2ClientMovesToTheMetrics() throws {
    let accord = try AccordBinary()
    #expect(try accord("start", "acme", "--name", "Acme Ltd", "--playbook", Self.v2).status == 0)
    #expect(try accord("assign", "acme", "czar", "carol").status == 0)
    // On version 2 there are no metrics to record.
    var run = try accord("metric", "record", "acme", "content-used", "25", as: "carol")
    #expect(run.status == 64)
    #expect(run.stderr.contains("the playbook has no metric 'content-used'"))
    #expect(try accord("metric", "show", "acme").stdout.contains("The client's playbook defines no metrics."))

    run = try accord("upgrade", "acme", "--playbook", Self.v3, "--dry-run")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("changed metrics-agreement (targets)"))
    run = try accord("upgrade", "acme", "--playbook", Self.v3, "--reason", "agreed metrics")
    #expect(run.status == 0, "\(run.stderr)")
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    #expect((status["playbook"] as? [String: Any])?["version"] as? Int == 3)

    run = try accord("metric", "record", "acme", "content-used", "25", "--note", "the CMS report", as: "carol")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("It is the baseline."))
    let shown = try #require(try accord("metric", "show", "acme", "--json").json() as? [String: Any])
    let metrics = try #require(shown["metrics"] as? [[String: Any]])
    #expect(metrics.map { $0["id"] as? String } == [
      "mql-accepted", "lead-conversion", "time-to-sale", "content-used", "content-search-time",
    ])
    #expect(metrics.map { $0["target"] as? String } == ["80", "25", "90", "50", "10"])
    #expect(try accord("check", "acme").status == 0)

    // The targets are shown with the terms they are part of.
    run = try accord("show", "acme", "metrics-agreement")
    #expect(run.stdout.contains("Share of marketing content used by sales (content-used): 50%, higher is better"))
    let json = try #require(try accord("show", "acme", "metrics-agreement", "--json").json() as? [String: Any])
    #expect((json["targets"] as? [String: String])?["time-to-sale"] == "90")
  }

  /// The UTC day `days` from today.
  static func day(_ days: Int) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
  }

  @Test func opportunityIsCalculatedAtTheBaselineAndTheLatestReading() throws {
    let accord = try AccordBinary()
    #expect(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    #expect(try accord("assign", "acme", "czar", "carol").status == 0)
    var run = try accord(
      "opportunity", "acme", "--marketing-staff", "10", "--cost-per-head", "60000", "--content-share", "50")
    #expect(run.status == 0, "\(run.stderr)")
    // Without readings, the calculation is the stored inputs' alone.
    var json = try #require(try accord("opportunity", "acme", "--json").json() as? [String: Any])
    #expect(json["metrics"] == nil)
    for (metric, value, day) in [
      ("content-used", "25", -60), ("content-search-time", "30", -60), ("content-used", "40", -2),
      ("content-search-time", "20", -2),
    ] {
      run = try accord("metric", "record", "acme", metric, value, "--date", Self.day(day), as: "carol")
      #expect(run.status == 0, "\(run.stderr)")
    }
    json = try #require(try accord("opportunity", "acme", "--json").json() as? [String: Any])
    let points = try #require(json["metrics"] as? [[String: Any]])
    #expect(points.map { $0["point"] as? String } == ["baseline", "latest"])
    let baseline = try #require(points[0]["inputs"] as? [String: Any])
    #expect(baseline["unusedShare"] as? Double == 75)
    #expect(baseline["searchShare"] as? Double == 30)
    let latest = try #require(points[1]["inputs"] as? [String: Any])
    #expect(latest["unusedShare"] as? Double == 60)
    #expect(latest["searchShare"] as? Double == 20)
    #expect(latest["marketingStaff"] as? Double == 10)
    let rows = try #require(points[1]["rows"] as? [[String: Any]])
    #expect(rows.contains { $0["id"] as? String == "fullTimeEquivalents" })
    run = try accord("opportunity", "acme")
    #expect(run.stdout.contains("At the metrics' baseline (content-used 25% on \(Self.day(-60)), content-search-time 30% on \(Self.day(-60))):"))
    #expect(run.stdout.contains("At the metrics' latest reading (content-used 40% on \(Self.day(-2))"))
  }
}
