import ArgumentParser
import Testing

@testable import AccordCLI

/// `next` and `status` read without ArgumentParser (`QuickNext`) must be exactly the command
/// ArgumentParser reads from the same line, and must leave every other line to ArgumentParser.
@Suite("Commands: next's and status's own reading of their command lines")
struct QuickNextTests {
  static let plain: [[String]] = [
    ["next", "acme"],
    ["next", "acme", "--json"],
    ["next", "--json", "acme"],
    ["next", "acme", "--long", "--role", "czar"],
    ["next", "acme", "--person", "dana", "--as-of", "2026-12-07"],
    ["next", "--workspace", "/tmp/a b", "acme", "--json", "--long"],
    ["next", "ACME_2-x", "--as-of", "2024-02-29", "--workspace", "w"],
  ]

  static let others: [[String]] = [
    ["next"], ["next", "--help"], ["next", "-h"], ["next", "acme", "beta"], ["next", "acme", "--jsn"],
    ["next", "acme", "--json", "--json"], ["next", "acme", "--role", "czar", "--person", "dana"],
    ["next", "acme", "--as-of", "2026-02-30"], ["next", "acme", "--as-of"], ["next", "-acme"],
    ["next", "acme", "--role", "--json"], ["next", "acme", "--workspace=w"], ["next", "acme", "--"],
    ["next", "a/b"], ["next", "acme", "--role", "czar", "--role", "sponsor"], ["clients", "acme"],
    ["nxt", "acme"], [],
  ]

  @Test(arguments: plain)
  func readsWhatArgumentParserReads(_ arguments: [String]) throws {
    let quick = try #require(QuickNext.next(arguments))
    let full = try #require(try Accord.parseAsRoot(arguments) as? Accord.Next)
    #expect(quick.client.id == full.client.id)
    #expect(quick.role == full.role)
    #expect(quick.person == full.person)
    #expect(quick.long == full.long)
    #expect(quick.asOf.asOf == full.asOf.asOf)
    #expect(quick.output.json == full.output.json)
    #expect(quick.workspace.workspace == full.workspace.workspace)
  }

  static let plainStatus: [[String]] = [
    ["status", "acme"], ["status", "acme", "--json"], ["status", "--as-of", "2026-12-07", "acme"],
    ["status", "acme", "--workspace", "w", "--json", "--as-of", "2027-01-01"],
  ]

  @Test(arguments: plainStatus)
  func readsStatusAsArgumentParserDoes(_ arguments: [String]) throws {
    let quick = try #require(QuickNext.status(arguments))
    let full = try #require(try Accord.parseAsRoot(arguments) as? Accord.Status)
    #expect(quick.client.id == full.client.id)
    #expect(quick.asOf.asOf == full.asOf.asOf)
    #expect(quick.output.json == full.output.json)
    #expect(quick.workspace.workspace == full.workspace.workspace)
  }

  @Test(arguments: others + [
    ["status"], ["status", "--help"], ["status", "acme", "--long"], ["status", "acme", "--role", "czar"],
    ["status", "acme", "--json", "--json"], ["status", "acme", "--as-of", "x"], ["status", "a", "b"],
    ["next", "acme", "--as-of", "2026-12-07", "--as-of", "2026-12-08"],
  ])
  func leavesEverythingElseToArgumentParser(_ arguments: [String]) {
    #expect(QuickNext.parse(arguments) == nil)
  }
}
