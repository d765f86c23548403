import Foundation
import PlaybookSpec
import Testing

/// `metrics:` and agreements' `targets:`: read, kept in the compiled form, and every
/// problem reported where it is written.
@Suite struct MetricsPlaybookTests {
  static func playbook(metrics: String, targets: String = "{lead-conversion: 25, time-to-sale: 45}") -> String {
    """
    playbook: p
    version: 1
    title: P
    roles: {consultant: Consultant, czar: Czar, sales: Sales}
    metrics:
    \(metrics)
    stages:
      - id: s
        title: S
        milestones:
          - {id: m, title: M, owner: consultant}
        agreements:
          - id: metrics-charter
            title: Metrics
            signatories: [sales]
            targets: \(targets)
    """
  }

  static let metrics = """
      - id: lead-conversion
        title: Lead-to-opportunity conversion
        unit: "%"
        better: higher
        format: percent
        every: 4w
        owner: sales
      - {id: time-to-sale, title: Time to sale, unit: days, better: lower, format: integer, min: 1, max: 720}
    """

  static func messages(_ text: String) -> [String] {
    do {
      _ = try Playbook.parse(text, file: "v.yaml")
      return []
    } catch {
      return error.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
    }
  }

  @Test func metricsAndTargetsAreRead() throws {
    let playbook = try Playbook.parse(Self.playbook(metrics: Self.metrics), file: "v.yaml")
    #expect(playbook.metrics.map(\.id) == ["lead-conversion", "time-to-sale"])
    let conversion = try #require(playbook.metrics.first)
    #expect(conversion.unit == "%")
    #expect(conversion.better == .higher)
    #expect(conversion.format == .percent)
    #expect(conversion.every?.description == "4w")
    #expect(conversion.owner?.id == "sales")
    #expect(conversion.highest?.text == "100")
    let time = playbook.metrics[1]
    #expect(time.minimum?.text == "1" && time.maximum?.text == "720")
    let targets = playbook.stages[0].agreements[0].targets
    #expect(targets.map(\.metric.id) == ["lead-conversion", "time-to-sale"])
    #expect(targets.map(\.value.text) == ["25", "45"])
    #expect(playbook.isTimed)
  }

  @Test func theCompiledFormKeepsMetricsAndTargets() throws {
    let playbook = try Playbook.parse(Self.playbook(metrics: Self.metrics), file: "v.yaml")
    let bytes = try #require(playbook.compiled())
    #expect(Playbook(compiled: bytes) == playbook)
  }

  @Test func aPlaybookWithoutMetricsHasNone() throws {
    let text = """
      playbook: p
      version: 1
      title: P
      roles: {consultant: Consultant}
      stages:
        - {id: s, title: S, milestones: [{id: m, title: M, owner: consultant}]}
      """
    let playbook = try Playbook.parse(text, file: "v.yaml")
    #expect(playbook.metrics.isEmpty)
    #expect(!playbook.isTimed)
  }

  @Test func anUnknownMetricInTargetsIsReportedWithASuggestion() {
    let messages = Self.messages(Self.playbook(metrics: Self.metrics, targets: "{lead-convrsion: 25}"))
    #expect(messages == ["23:19 unknown metric 'lead-convrsion' (did you mean 'lead-conversion'?)"])
  }

  @Test func targetsMustBeReadingsTheMetricAllows() {
    let messages = Self.messages(Self.playbook(metrics: Self.metrics, targets: "{lead-conversion: 120, time-to-sale: 4.5}"))
    #expect(messages == [
      "23:19 target for 'lead-conversion': 120 is above 100, the highest a reading of 'lead-conversion' may be",
      "23:41 target for 'time-to-sale': 'time-to-sale' counts whole days, so 4.5 cannot be a reading of it",
    ])
  }

  @Test func badMetricFieldsAreReportedWhereWritten() {
    let metrics = """
        - {id: a, title: A, unit: x, better: up}
        - {id: b, title: B, unit: x, better: lower, min: 10, max: 5, formt: integer}
        - {id: c, title: C, unit: "%", better: higher, format: percent, max: 150, owner: nobody}
        - {id: s, title: S, unit: x, better: lower}
        - {id: a, title: A again, unit: x, better: lower, min: ten}
      """
    let messages = Self.messages(Self.playbook(metrics: metrics, targets: "{}"))
    #expect(messages.contains("6:40 expected 'higher' or 'lower', got 'up'"))
    #expect(messages.contains("7:64 unknown key 'formt' in metric 'b' (did you mean 'format'?)"))
    #expect(messages.contains("10:58 expected a number such as '42', '-3' or '0.25', got a string"))
  }

  @Test func validationCollectsEveryMetricProblem() {
    let metrics = """
        - {id: b, title: B, unit: x, better: lower, min: 10, max: 5}
        - {id: c, title: C, unit: "%", better: higher, format: percent, max: 150, owner: nobody}
        - {id: s, title: S, unit: x, better: lower}
        - {id: b, title: B again, unit: x, better: lower}
      """
    let messages = Self.messages(Self.playbook(metrics: metrics, targets: "{}"))
    #expect(messages == [
      "6:61 metric 'b' has min 10 and max 5: min must be below max",
      "7:72 metric 'c' is a percentage: its min and max must be 0 to 100, got 150",
      "7:84 unknown role 'nobody' (known: consultant, czar, sales)",
      "8:10 metric id 's' is already the id of the stage at line 11, column 9",
      "9:10 duplicate metric 'b': already defined at line 6, column 5",
    ])
  }

  @Test func aMetricIsCommittedToByOneAgreement() {
    let text = """
      playbook: p
      version: 1
      title: P
      roles: {consultant: Consultant}
      metrics:
        - {id: leads, title: Leads, unit: leads, better: higher}
      stages:
        - id: s
          title: S
          milestones: [{id: m, title: M, owner: consultant}]
          agreements:
            - {id: one, title: One, signatories: [consultant], targets: {leads: 10}}
            - {id: two, title: Two, signatories: [consultant], targets: {leads: 20}}
      """
    #expect(Self.messages(text) == [
      "13:68 metric 'leads' already has a target in agreement 'one'; a metric is committed to by one agreement"
    ])
  }

  @Test(arguments: [
    ("42", "42"), ("007", "7"), ("12.50", "12.5"), ("-0", "0"), ("0.25", "0.25"), ("-3.0", "-3"),
  ])
  func quantitiesAreCanonical(written: String, canonical: String) throws {
    #expect(try #require(Quantity(parsing: written)).text == canonical)
  }

  @Test(arguments: ["", "1e3", "+4", "1.", ".5", "1,5", "ten", "1234567890123456"])
  func notQuantities(text: String) {
    #expect(Quantity(parsing: text) == nil)
  }
}
