import Foundation
import Testing

/// Metrics through `accord serve` over real HTTP: a reading recorded with a POST is the
/// reading `accord metric show` shows, the GET is its `--json`, and what the engine refuses
/// is refused here with the same code.
@Suite("End to end: metrics over the API")
struct MetricAPITests {
  @Test("POST metrics/record records a reading; GET metrics is metric show --json")
  func recordAndShow() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let carol = try served.token(for: "carol")
    let mia = try served.token(for: "mia")

    let body = try jsonText(["metric": "content-used", "value": "27.50", "date": "2026-11-02", "note": "the CMS report"])
    var answer = try await served.send("POST", "api/v1/clients/acme/metrics/record", token: carol, body: body)
    #expect(answer.status == 200, "\(answer.body)")
    let event = try #require(answer.json["event"] as? [String: Any])
    #expect(event["type"] as? String == "metricRecorded")
    #expect(event["value"] as? String == "27.5")
    #expect(event["via"] as? String == "api")

    answer = try await served.send("GET", "api/v1/clients/acme/metrics", token: carol)
    #expect(answer.status == 200)
    #expect(try same(try jsonObject(answer.body), try jsonObject(space.cli("metric", "show", "acme"))))
    let metrics = try #require(answer.json["metrics"] as? [[String: Any]])
    let used = try #require(metrics.first { $0["id"] as? String == "content-used" })
    #expect((used["baseline"] as? [String: Any])?["value"] as? String == "27.5")
    #expect(used["target"] as? String == "50")
    #expect(used["agreed"] as? Bool == false)

    // Out of range: the engine's refusal, as a usage error.
    answer = try await served.send(
      "POST", "api/v1/clients/acme/metrics/record", token: carol,
      body: try jsonText(["metric": "content-used", "value": "140", "date": "2026-11-03"]))
    #expect(answer.status == 400, "\(answer.body)")
    #expect(try errorOf(answer.body)["code"] as? String == "invalid-reading")
    // mia (head of marketing) is not the metric's owner (the marketing manager).
    answer = try await served.send(
      "POST", "api/v1/clients/acme/metrics/record", token: mia,
      body: try jsonText(["metric": "content-used", "value": "30", "date": "2026-11-03"]))
    #expect(answer.status == 403, "\(answer.body)")
    #expect(try errorOf(answer.body)["code"] as? String == "not-permitted")
    answer = try await served.send(
      "POST", "api/v1/clients/acme/metrics/record", token: carol,
      body: try jsonText(["metric": "content-usd", "value": "30", "date": "2026-11-03"]))
    #expect(try errorOf(answer.body)["code"] as? String == "unknown-metric")
    #expect(try errorOf(answer.body)["suggestion"] as? String == "content-used")
    _ = served.stop()
  }
}
