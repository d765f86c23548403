import Foundation
import PlaybookSpec
import Testing

/// The compiled form must give back exactly what parsing gave, locations included, and
/// refuse anything that is not one whole compiled playbook.
@Suite struct CompiledPlaybookTests {
  static let shipped: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.playbooks.path)) ?? [])
    .filter { $0.hasSuffix(".yaml") }.sorted()

  static func roundTrip(_ playbook: Playbook) throws -> Playbook? {
    let bytes = try #require(playbook.compiled())
    return Playbook(compiled: bytes)
  }

  @Test(arguments: shipped)
  func shippedPlaybooksRoundTrip(_ name: String) throws {
    let text = try String(contentsOf: Fixtures.playbooks.appending(path: name), encoding: .utf8)
    let parsed = try Playbook.parse(text, file: "playbook.source")
    #expect(try Self.roundTrip(parsed) == parsed)
  }

  @Test func thereAreShippedPlaybooks() {
    #expect(!Self.shipped.isEmpty)
  }

  @Test(arguments: Fixtures.yamlFiles(in: "valid"))
  func validFixturesRoundTrip(_ name: String) throws {
    let parsed = try Playbook.parse(try Fixtures.data(name), file: name)
    #expect(try Self.roundTrip(parsed) == parsed)
  }

  @Test(arguments: [(20, 50), (200, 100)])
  func generatedLargePlaybooksRoundTrip(stages: Int, milestones: Int) throws {
    let text = LargePlaybookTests.generated(stages: stages, milestones: milestones)
    let parsed = try Playbook.parse(text, file: "generated.yaml")
    #expect(try Self.roundTrip(parsed) == parsed)
  }

  @Test func everyOptionalPartSurvives() throws {
    // rich.yaml uses every key; check a few that a careless layout would drop.
    let parsed = try Playbook.parse(try Fixtures.data("valid/rich.yaml"), file: "rich.yaml")
    let back = try #require(try Self.roundTrip(parsed))
    #expect(back.description == parsed.description)
    #expect(back.stages.map(\.gate) == parsed.stages.map(\.gate))
    #expect(back.stages.flatMap(\.milestones).map(\.evidence) == parsed.stages.flatMap(\.milestones).map(\.evidence))
    #expect(back.survey == parsed.survey)
  }

  @Test func everyTruncationIsRefused() throws {
    let parsed = try Playbook.parse(try Fixtures.data("valid/rich.yaml"), file: "rich.yaml")
    let bytes = try #require(parsed.compiled())
    for length in 0..<bytes.count {
      #expect(Playbook(compiled: Array(bytes.prefix(length))) == nil, "\(length) of \(bytes.count) bytes")
    }
    #expect(Playbook(compiled: bytes + [0]) == nil)
  }

  @Test func anotherFormatIsRefused() throws {
    let parsed = try Playbook.parse(try Fixtures.data("valid/minimal.yaml"), file: "minimal.yaml")
    var bytes = try #require(parsed.compiled())
    // The format is the first varint: 1 is written as zigzag 2.
    #expect(bytes[0] == UInt8(Playbook.compiledFormat * 2))
    bytes[0] = UInt8(Playbook.compiledFormat * 2 + 2)
    #expect(Playbook(compiled: bytes) == nil)
  }

  @Test func arbitraryBytesNeverCrash() {
    var state: UInt64 = 2026
    for length in [0, 1, 2, 7, 64, 500] {
      for _ in 0..<50 {
        let bytes = (0..<length).map { _ -> UInt8 in
          state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
          return UInt8(truncatingIfNeeded: state >> 33)
        }
        _ = Playbook(compiled: bytes)
      }
    }
  }
}
