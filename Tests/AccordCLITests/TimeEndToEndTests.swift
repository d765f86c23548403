import Foundation
import Testing

/// Due dates, the agenda, schedule, skip and the time zone through the built binary. Every
/// date is judged on the day `--as-of` names, so nothing depends on when the tests run; the
/// events themselves are stamped now, and the playbook's intervals count from today.
@Suite("End to end: time")
struct TimeEndToEndTests {
  static let playbook = """
    playbook: timed
    version: 1
    title: Timed
    roles: {consultant: Consultant, czar: Czar, sales: Sales}
    stages:
      - id: prepare
        title: Prepare
        target: 3w
        milestones:
          - {id: map, title: Map the people, owner: consultant, due: 10d}
          - {id: draft, title: Draft, owner: consultant, needs: [map], due: 5d}
          - {id: plan, title: Plan, owner: sales, due: 2d}
        agreements:
          - {id: charter, title: Charter, terms: We agree., signatories: [sales], needs: [draft], due: 1w}
      - id: sustain
        title: Sustain
        gate: {agreements: [charter]}
        milestones:
          - {id: check-in, title: Check in, owner: czar, every: 30d, times: 2}

    """

  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("timed.yaml")
    try Self.playbook.write(to: path, atomically: true, encoding: .utf8)
    #expect(try accord("start", "acme", "--name", "Acme Ltd", "--playbook", path.path).status == 0)
    #expect(try accord("assign", "acme", "czar", "dana").status == 0)
  }

  /// The UTC day `days` from today.
  static func day(_ days: Int) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
  }

  func actions(_ run: AccordBinary.Run) throws -> [String: [String: Any]] {
    let json = try #require(try run.json() as? [String: Any])
    let actions = try #require(json["actions"] as? [[String: Any]])
    return Dictionary(uniqueKeysWithValues: actions.map { ($0["target"] as! String, $0) })
  }

  @Test("next and status show dates, days left and overdue, judged on --as-of")
  func nextAndStatus() throws {
    var run = try accord("next", "acme", "--json", "--as-of", Self.day(12))
    #expect(run.status == 0)
    var byTarget = try actions(run)
    #expect(byTarget["map"]?["due"] as? String == Self.day(10))
    #expect(byTarget["map"]?["daysLeft"] as? Int == -2)
    #expect(byTarget["map"]?["overdue"] as? Bool == true)
    #expect(byTarget["plan"]?["due"] as? String == Self.day(2))
    #expect(byTarget["sales"]?["due"] == nil)  // assigning a role has no date
    run = try accord("next", "acme", "--json", "--as-of", Self.day(0))
    byTarget = try actions(run)
    #expect(byTarget["map"]?["daysLeft"] as? Int == 10)
    #expect(byTarget["map"]?["overdue"] as? Bool == false)
    run = try accord("next", "acme", "--as-of", Self.day(12))
    #expect(run.stdout.contains("overdue by 2 days (due \(Self.day(10)))"))
    run = try accord("status", "acme", "--json", "--as-of", Self.day(1))
    let status = try #require(try run.json() as? [String: Any])
    #expect(status["asOf"] as? String == Self.day(1))
    let stages = try #require(status["stages"] as? [[String: Any]])
    let target = try #require(stages[0]["target"] as? [String: Any])
    #expect(target["due"] as? String == Self.day(21))
    #expect(target["daysLeft"] as? Int == 20)
    run = try accord("status", "acme", "--as-of", Self.day(1))
    #expect(run.stdout.contains("due \(Self.day(10)) (in 9 days)"))
  }

  @Test("the agenda lists overdue work first, by person, with nobody's last, and filters")
  func agenda() throws {
    var run = try accord("agenda", "--json", "--as-of", Self.day(3))
    #expect(run.status == 0, "\(run.stderr)")
    let json = try #require(try run.json() as? [String: Any])
    #expect(json["asOf"] as? String == Self.day(3))
    #expect(json["until"] as? String == Self.day(10))
    let people = try #require(json["people"] as? [[String: Any]])
    #expect(people.map { $0["person"] as? String } == ["alice", nil])
    let nobody = try #require(people[1]["items"] as? [[String: Any]])
    #expect(nobody.map { $0["target"] as? String } == ["plan"])
    #expect(nobody.first?["overdue"] as? Bool == true)
    #expect(nobody.first?["clientName"] as? String == "Acme Ltd")
    run = try accord("agenda", "--as-of", Self.day(3))
    #expect(run.stdout.contains("nobody (the role is not assigned)"))
    #expect(run.stdout.contains("complete plan as sales"))
    // Planning ahead: on day 0 with a two-day window, only the plan is due.
    run = try accord("agenda", "--json", "--as-of", Self.day(0), "--days", "2")
    let soon = try #require((try run.json() as? [String: Any])?["people"] as? [[String: Any]])
    #expect(soon.count == 1)
    run = try accord("agenda", "--json", "--person", "alice", "--as-of", Self.day(12))
    let alice = try #require((try run.json() as? [String: Any])?["people"] as? [[String: Any]])
    #expect(alice.map { $0["person"] as? String } == ["alice"])
    for bad in [["--days", "-1"], ["--as-of", "2026-02-30"], ["--person", "a", "--role", "czar"]] {
      run = try accord.run(["agenda"] + bad)
      #expect(run.status == 64, "\(bad): \(run.stderr)")
    }
    run = try accord("agenda", "--client", "nosuch")
    #expect(run.status == 66)
  }

  @Test("schedule sets a date, --cascade moves what waits for it, and refusals change nothing")
  func schedule() throws {
    #expect(try accord("schedule", "acme", "charter", Self.day(20), "--reason", "board meets then").status == 0)
    var run = try accord("schedule", "acme", "map", Self.day(14), "--reason", "client away", "--cascade")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Set the date of 'map' to \(Self.day(14)) (was \(Self.day(10)), 4 days later)."))
    #expect(run.stdout.contains("charter"))
    #expect(run.stdout.contains("\(Self.day(20)) -> \(Self.day(24))"))
    run = try accord("next", "acme", "--json", "--as-of", Self.day(0))
    #expect(try actions(run)["map"]?["scheduled"] as? Bool == true)
    let log = try accord("log", "acme", "--json")
    let events = try #require(try log.json() as? [[String: Any]])
    #expect(events.suffix(3).map { $0["type"] as? String } == ["scheduled", "scheduled", "scheduled"])
    #expect(events.last?["item"] as? String == "charter")
    #expect(events.last?["note"] as? String == "client away")
    // --json: the change's event is the item's own, and the moved items are listed with it.
    run = try accord("schedule", "acme", "map", Self.day(16), "--reason", "later still", "--cascade", "--json")
    #expect(run.status == 0, "\(run.stderr)")
    let change = try #require(try run.json() as? [String: Any])
    #expect(Set(change.keys) == ["client", "event", "transitions", "next", "moved"])
    #expect((change["event"] as? [String: Any])?["item"] as? String == "map")
    let moved = try #require(change["moved"] as? [[String: String]])
    #expect(moved == [["item": "charter", "from": Self.day(24), "to": Self.day(26)]])
    let file = try accord.stateFile("acme")
    // 6, not 4: a client started by this Accord records its playbook text in the chain (5)
    // and gives its events ids (6).
    #expect(String(decoding: file, as: UTF8.self).contains("\"format\" : 6"))
    for bad in [
      ["schedule", "acme", "mpa", Self.day(1), "--reason", "x"],  // unknown item
      ["schedule", "acme", "map", "2026-13-01", "--reason", "x"],  // not a date
      ["schedule", "acme", "map", Self.day(1), "--reason", " "],  // no reason
      ["schedule", "acme", "draft", Self.day(1), "--reason", "x", "--cascade"],  // no date to move from
    ] {
      run = try accord.run(bad)
      #expect(run.status == 64, "\(bad): \(run.stderr)")
      #expect(try accord.stateFile("acme") == file, "\(bad) left the file as it was")
    }
    run = try accord("schedule", "acme", "mpa", Self.day(1), "--reason", "x")
    #expect(run.stderr.contains("did you mean 'map'?"))
    run = try accord("schedule", "acme", "map", Self.day(1), "--reason", "x", "--json", as: "sam")
    #expect(run.status == 1)
    let refusal = try #require(try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: Any])
    #expect((refusal["error"] as? [String: Any])?["code"] as? String == "not-permitted")
    run = try accord("complete", "acme", "map", "--json")
    #expect(run.status == 0)
    run = try accord("schedule", "acme", "map", Self.day(1), "--reason", "x")
    #expect(run.status == 1)
    #expect(run.stderr.contains("'map' is done already"))
  }

  @Test("recurring work: each occurrence completed or skipped on its own, sustaining until the last")
  func recurring() throws {
    #expect(try accord("assign", "acme", "sales", "sam").status == 0)
    for milestone in ["map", "draft"] { #expect(try accord("complete", "acme", milestone).status == 0) }
    #expect(try accord("complete", "acme", "plan", as: "sam").status == 0)
    #expect(try accord("sign", "acme", "charter", as: "sam").status == 0)
    var run = try accord("next", "acme", "--json", "--as-of", Self.day(31))
    var check = try #require(try actions(run)["check-in"])
    #expect(check["occurrence"] as? Int == 1)
    #expect(check["occurrences"] as? Int == 2)
    #expect(check["overdue"] as? Bool == true)
    #expect((try run.json() as? [String: Any])?["sustaining"] as? Bool == true)
    run = try accord("clients", "--json", "--as-of", Self.day(31))
    let row = try #require((try run.json() as? [[String: Any]])?.first)
    #expect(row["sustaining"] as? Bool == true)
    #expect(row["overdue"] as? Int == 1)
    #expect(try accord("clients", "--as-of", Self.day(31)).stdout.contains("sustain (sustaining)"))
    #expect(try accord("skip", "acme", "check-in", "--reason", " ", as: "dana").status == 64)
    #expect(try accord("skip", "acme", "map", "--reason", "no", as: "dana").status == 1)
    run = try accord("skip", "acme", "check-in", "--reason", "holidays", as: "dana")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Skipped occurrence 1 of 'check-in'; occurrence 2 of 2 is next."))
    run = try accord("next", "acme", "--json", "--as-of", Self.day(31))
    check = try #require(try actions(run)["check-in"])
    #expect(check["occurrence"] as? Int == 2)
    #expect(check["due"] as? String == Self.day(60))
    // Due in 60 days: completed now only with --early.
    #expect(try accord("complete", "acme", "check-in", as: "dana").status == 1)
    #expect(try accord("complete", "acme", "check-in", "--early", as: "dana").status == 0)
    run = try accord("next", "acme", "--json")
    #expect((try run.json() as? [String: Any])?["complete"] as? Bool == true)
    #expect((try run.json() as? [String: Any])?["sustaining"] == nil)
    run = try accord("status", "acme", "--json")
    let stages = try #require((try run.json() as? [String: Any])?["stages"] as? [[String: Any]])
    let recurrence = try #require((stages[1]["milestones"] as? [[String: Any]])?.first?["recurrence"] as? [String: Any])
    #expect(recurrence["done"] as? Int == 1)
    #expect(recurrence["skipped"] as? Int == 1)
    #expect(recurrence["current"] == nil)
  }

  @Test("the workspace's time zone: shown, set, refused when unknown, and used for dates")
  func zone() throws {
    #expect(try accord("zone").stdout == "UTC\n")
    var run = try accord("zone", "Europe/Lodnon")
    #expect(run.status == 64)
    #expect(run.stderr.contains("did you mean 'Europe/London'?"))
    #expect(run.stderr.contains("Usage: accord zone [<zone>]"), "the zone command's usage, not the root's")
    run = try accord("zone", "Pacific/Kiritimati")  // UTC+14: today there is tomorrow in UTC, or later
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try accord("zone").stdout == "Pacific/Kiritimati\n")
    let settings = try String(
      contentsOf: accord.workspace.appendingPathComponent(".accord-workspace.json"), encoding: .utf8)
    #expect(settings.contains("\"timeZone\" : \"Pacific/Kiritimati\""))
    // The start event is stamped now; in UTC+14 its day is today's or the next.
    run = try accord("next", "acme", "--json", "--as-of", Self.day(0))
    let due = try #require(try actions(run)["map"]?["due"] as? String)
    #expect([Self.day(10), Self.day(11)].contains(due))
  }
}
