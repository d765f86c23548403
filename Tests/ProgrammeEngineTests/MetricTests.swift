import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// Readings of agreed metrics: who may record them, what a reading may be, the baseline,
/// being on track, and the czar's review of a metric off track.
@Suite struct MetricTests {
  static let here = Sample.here

  /// The sample playbook with two metrics, the charter committing to a target for both.
  static func playbook(conversionTarget: String = "30", every: Interval? = nil) -> Playbook {
    var playbook = Sample.playbook
    playbook.metrics = [
      Metric(
        id: "conversion", title: "Conversion", unit: "%", better: .higher, format: .percent, every: every,
        owner: Sample.ref("sales"), location: here),
      Metric(
        id: "time-to-sale", title: "Time to sale", unit: "days", better: .lower, format: .integer,
        minimum: Quantity(parsing: "1"), location: here),
    ]
    playbook.stages[1].agreements[0].targets = [
      Target(metric: Sample.ref("conversion"), value: Quantity(parsing: conversionTarget)!),
      Target(metric: Sample.ref("time-to-sale"), value: Quantity(parsing: "40")!),
    ]
    return playbook
  }

  static func started(_ playbook: Playbook = playbook()) throws -> Programme {
    var programme = try Programme(
      playbook: playbook, start: Sample.event(.started(client: "acme", name: "Acme Ltd"), by: "alice"))
    for (role, person) in [("czar", "carol"), ("marketing", "mia"), ("sales", "sam")] {
      try programme.apply(Sample.event(.assigned(role: role, person: person), by: "alice"))
    }
    return programme
  }

  static func reading(_ metric: String, _ value: String, _ date: String, baseline: Bool = false) -> Change {
    .metricRecorded(metric: metric, value: value, date: date, reading: baseline ? "baseline" : nil)
  }

  static func signCharter(_ programme: inout Programme, minute: Int) throws {
    try Sample.run(&programme, Sample.throughCoaching)
    let terms = programme.termsHash(ofAgreement: "charter")
    try programme.apply(Sample.event(.signed(agreement: "charter", role: "sales", terms: terms), by: "sam", minute: minute))
    try programme.apply(
      Sample.event(.signed(agreement: "charter", role: "marketing", terms: terms), by: "mia", minute: minute))
  }

  // Sample.t0 is 2026-09-21 in UTC.

  @Test(arguments: [
    (reading("conversion", "12", "2026-09-20"), "alice", nil),
    (reading("conversion", "12", "2026-09-20"), "carol", nil),
    (reading("conversion", "12", "2026-09-20"), "sam", nil),
    (reading("conversion", "12", "2026-09-20"), "mia", "not-permitted"),
    (reading("time-to-sale", "30", "2026-09-20"), "sam", "not-permitted"),
    (reading("conversion", "101", "2026-09-20"), "carol", "invalid-reading"),
    (reading("conversion", "-1", "2026-09-20"), "carol", "invalid-reading"),
    (reading("time-to-sale", "30.5", "2026-09-20"), "carol", "invalid-reading"),
    (reading("time-to-sale", "0", "2026-09-20"), "carol", "invalid-reading"),
    (reading("conversion", "12.50", "2026-09-20"), "carol", "invalid-reading"),
    (reading("conversion", "twelve", "2026-09-20"), "carol", "invalid-reading"),
    (reading("conversion", "12", "2026-09-23"), "carol", "invalid-reading"),
    (reading("conversion", "12", "2026-09-22"), "carol", nil),
    (reading("conversion", "12", "20 Sept"), "carol", "invalid-date"),
    (reading("convertion", "12", "2026-09-20"), "carol", "unknown-metric"),
    (.metricRecorded(metric: "conversion", value: "12", date: "2026-09-20", reading: "final"), "carol", "invalid-reading"),
  ] as [(Change, String, String?)])
  func readingsFollowTheRules(change: Change, person: String, refusal: String?) throws {
    var programme = try Self.started()
    do {
      try programme.apply(Sample.event(change, by: person, minute: 1))
      #expect(refusal == nil)
      #expect(programme.metricStatus(of: "conversion")?.readings.count == 1)
    } catch {
      #expect(error.code == refusal)
    }
  }

  @Test func anUnknownMetricNamesTheNearest() throws {
    var programme = try Self.started()
    #expect(throws: Refusal.unknownMetric("convertion", suggestion: "conversion")) {
      try programme.apply(Sample.event(Self.reading("convertion", "1", "2026-09-20"), by: "carol"))
    }
  }

  @Test func theFirstReadingBeforeTheTargetsAreSignedIsTheBaseline() throws {
    var programme = try Self.started()
    try Sample.run(&programme, [
      (Self.reading("conversion", "10", "2026-09-10"), "carol"),
      (Self.reading("conversion", "12", "2026-09-15"), "carol"),
    ])
    try Self.signCharter(&programme, minute: 5)
    var status = try #require(programme.metricStatus(of: "conversion"))
    #expect(status.baseline?.value.text == "10")
    #expect(status.isAgreed)
    #expect(status.target?.text == "30")
    #expect(status.trend == .better)

    // A reading for an earlier day is still not the baseline once the targets are signed.
    try programme.apply(Sample.event(Self.reading("conversion", "9", "2026-09-01"), by: "carol", minute: 6))
    status = try #require(programme.metricStatus(of: "conversion"))
    #expect(status.baseline?.value.text == "10")
    #expect(status.readings.map(\.value.text) == ["9", "10", "12"])

    // Named, it is.
    try programme.apply(Sample.event(Self.reading("conversion", "8", "2026-08-30", baseline: true), by: "carol", minute: 7))
    #expect(programme.metricStatus(of: "conversion")?.baseline?.value.text == "8")
  }

  @Test func aLaterReadingForTheSameDayCorrectsTheEarlier() throws {
    var programme = try Self.started()
    try Sample.run(&programme, [
      (Self.reading("conversion", "10", "2026-09-10"), "carol"),
      (Self.reading("conversion", "11", "2026-09-10"), "sam"),
    ])
    let status = try #require(programme.metricStatus(of: "conversion"))
    #expect(status.readings.map(\.value.text) == ["11"])
    #expect(status.readings.first?.by == "sam")
  }

  @Test func twoReadingsInARowOffTrackAskTheCzarForAReview() throws {
    var programme = try Self.started()
    try programme.apply(Sample.event(Self.reading("conversion", "20", "2026-09-01"), by: "carol"))
    try Self.signCharter(&programme, minute: 2)
    // Better than the reading before: on track though short of the target.
    try programme.apply(Sample.event(Self.reading("conversion", "22", "2026-09-08"), by: "carol", minute: 3))
    var status = try #require(programme.metricStatus(of: "conversion"))
    #expect(status.onTrack == [nil, true])
    #expect(!programme.nextActions().actions.contains { $0.kind == .review })

    try programme.apply(Sample.event(Self.reading("conversion", "21", "2026-09-15"), by: "carol", minute: 4))
    #expect(!programme.nextActions().actions.contains { $0.kind == .review })
    try programme.apply(Sample.event(Self.reading("conversion", "21", "2026-09-20"), by: "carol", minute: 5))
    status = try #require(programme.metricStatus(of: "conversion"))
    #expect(status.onTrack == [nil, true, false, false])
    #expect(status.offTrackRun == 2)
    #expect(status.trend == .level)
    let review = try #require(programme.nextActions().actions.first { $0.kind == .review })
    #expect(review.target == "conversion")
    #expect(review.role == "czar")
    #expect(review.person == "carol")
    let due = try #require(programme.dueDates(in: TimeZone(identifier: "UTC")!)[Action.reviewKey("conversion")])
    #expect(due.kind == .review)
    #expect(due.date.description == "2026-09-27")

    // On the agenda, overdue after its day.
    let agenda = Agenda(
      clients: [Agenda.Client(programme, at: Sample.t0, in: TimeZone(identifier: "UTC")!)],
      today: CalendarDate(parsing: "2026-09-28")!, days: 7)
    #expect(agenda.items.contains { $0.action.kind == .review && $0.isOverdue })

    // Meeting the target puts it back on track.
    try programme.apply(Sample.event(Self.reading("conversion", "31", "2026-09-21"), by: "carol", minute: 6))
    #expect(programme.metricStatus(of: "conversion")?.isOnTrack == true)
    #expect(!programme.nextActions().actions.contains { $0.kind == .review })
  }

  @Test func readingsAreNotJudgedBeforeTheTargetIsAgreed() throws {
    var programme = try Self.started()
    try Sample.run(&programme, [
      (Self.reading("time-to-sale", "60", "2026-09-01"), "carol"),
      (Self.reading("time-to-sale", "70", "2026-09-08"), "carol"),
      (Self.reading("time-to-sale", "80", "2026-09-15"), "carol"),
    ])
    let status = try #require(programme.metricStatus(of: "time-to-sale"))
    #expect(!status.isAgreed)
    #expect(status.onTrack == [nil, nil, nil])
    #expect(status.trend == .worse)
    #expect(!programme.nextActions().actions.contains { $0.kind == .review })
  }

  @Test func aReadingIsDueEveryIntervalOnceTheTargetIsAgreed() throws {
    var programme = try Self.started(Self.playbook(every: Interval(count: 4, unit: .weeks, location: Self.here)))
    let zone = TimeZone(identifier: "UTC")!
    // Nothing is due while the teams have not agreed the target.
    #expect(programme.dueDates(in: zone)["conversion"] == nil)
    #expect(!programme.nextActions().actions.contains { $0.kind == .record })
    try Self.signCharter(&programme, minute: 1)
    var due = try #require(programme.dueDates(in: zone)["conversion"])
    #expect(due.kind == .metric)
    #expect(due.date.description == "2026-10-19")
    let record = try #require(programme.nextActions().actions.first { $0.kind == .record })
    #expect(record.target == "conversion")
    #expect(record.role == "sales")
    // A reading for a day before the agreement does not move the clock back.
    try programme.apply(Sample.event(Self.reading("conversion", "10", "2026-09-20"), by: "sam", minute: 2))
    #expect(programme.dueDates(in: zone)["conversion"]?.date.description == "2026-10-19")
    try programme.apply(Sample.event(Self.reading("conversion", "11", "2026-09-22"), by: "sam", minute: 3))
    due = try #require(programme.dueDates(in: zone)["conversion"])
    #expect(due.date.description == "2026-10-20")
    // Overdue like any dated work.
    let agenda = Agenda(
      clients: [Agenda.Client(programme, at: Sample.t0, in: zone)], today: CalendarDate(parsing: "2026-10-21")!,
      days: 0)
    #expect(agenda.items.map(\.action.kind) == [.record])
    #expect(agenda.items.first?.isOverdue == true)
  }

  @Test func targetsArePartOfTheTermsOnlyWhenThereAreAny() throws {
    let plain = Sample.playbook.stages[1].agreements[0]
    #expect(!plain.canonicalContent.contains("targets"))
    #expect(
      plain.canonicalContent
        == #"{"id":"charter","signatories":["sales","marketing"],"terms":null,"title":"Charter"}"#)
    let withTargets = Self.playbook().stages[1].agreements[0]
    #expect(
      withTargets.canonicalContent
        == #"{"id":"charter","signatories":["sales","marketing"],"targets":{"conversion":"30","time-to-sale":"40"},"terms":null,"title":"Charter"}"#
    )
    #expect(withTargets.termsHash != plain.termsHash)
    #expect(Self.playbook(conversionTarget: "35").stages[1].agreements[0].termsHash != withTargets.termsHash)
  }

  /// docs/state-format.md's worked example, which Python's json.dumps reproduces.
  @Test func theWorkedExampleInTheStateFormat() {
    let hash = Agreement.termsHash(
      id: "metrics-charter", title: "The metrics we live by", terms: "We review these numbers together every month.",
      signatories: ["head-of-sales", "head-of-marketing"], targets: [("time-to-sale", "45"), ("content-used", "50")])
    #expect(hash == "92d9eb5a6994ead9f7df582627bc3b4b9abf17c66f49ac408aeb582a70e22b9e")
  }

  @Test func aChangedTargetMakesTheSignaturesStale() throws {
    var programme = try Self.started()
    try Self.signCharter(&programme, minute: 1)
    #expect(programme.state(ofAgreement: "charter") == .signed)
    // Replayed on a playbook whose target moved: the signatures were on other terms.
    let moved = try Programme(playbook: Self.playbook(conversionTarget: "35"), history: programme.history)
    #expect(moved.state(ofAgreement: "charter") == .open)
    let signatures = moved.signatures(of: "charter")
    #expect(signatures.count == 2 && signatures.allSatisfy { $0.isStale })
  }

  @Test func aStoredReadingReadsBack() throws {
    var programme = try Self.started()
    try programme.apply(Sample.event(Self.reading("conversion", "12.5", "2026-09-20", baseline: true), by: "carol"))
    let event = try #require(programme.history.last)
    let data = try JSONEncoder().encode(event)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["type"] as? String == "metricRecorded")
    #expect(object["metric"] as? String == "conversion")
    #expect(object["value"] as? String == "12.5")
    #expect(object["date"] as? String == "2026-09-20")
    #expect(object["reading"] as? String == "baseline")
    #expect(try JSONDecoder().decode(Event.self, from: data) == event)
    let replayed = try Programme(playbook: Self.playbook(), history: programme.history)
    #expect(replayed.metricStatus(of: "conversion")?.baseline?.value.text == "12.5")
  }
}
