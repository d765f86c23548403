import Foundation
import Testing

/// `accord check` through the binary: a sound workspace, damage, and a workspace shared
/// between two machines (two state folders) where one copy goes back in time or forks.
@Suite("Reliability: accord check")
struct CheckCommandTests {
  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
  }

  @Test func explainsItself() throws {
    let run = try accord("check", "--help")
    #expect(run.status == 0)
    #expect(run.stdout.contains("USAGE: accord check [<client>] [--accept] [--json] [--workspace <dir>] [--database <url>]"), "\(run.stdout)")
    #expect(run.stdout.contains("older copy"))
    #expect(try accord("check", "--accept").status == 64, "--accept needs a client")
  }

  @Test func aSoundWorkspacePassesAndSaysSo() throws {
    #expect(try accord("check").stdout.contains("No clients"))
    for client in ["acme", "beta"] { #expect(try accord("start", client).status == 0) }
    let run = try accord("check")
    #expect(run.status == 0, "\(run.stdout)")
    #expect(run.stdout.contains("2 clients checked: all sound."))
    let json = try #require(try accord("check", "acme", "--json").json() as? [[String: Any]])
    #expect(json.count == 1)
    #expect(json[0]["client"] as? String == "acme")
    #expect(json[0]["sound"] as? Bool == true)
    #expect(json[0]["revision"] as? Int == 1)
    #expect(json[0]["problems"] as? [String] == [])
    #expect(try accord("check", "ghost").status == 66)
  }

  @Test func everyDamagedClientIsReportedAndNothingIsWritten() throws {
    for client in ["acme", "beta", "gamma"] { #expect(try accord("start", client).status == 0) }
    let beta = accord.workspace.appendingPathComponent("beta.json")
    let gamma = accord.workspace.appendingPathComponent("gamma.json")
    try Data("{\"format\": 1".utf8).write(to: beta)
    try Data("{\"format\": 9}".utf8).write(to: gamma)
    let before = try FileManager.default.contentsOfDirectory(atPath: accord.workspace.path).sorted()
    let run = try accord("check")
    #expect(run.status == 65)
    #expect(run.stdout.contains("\(beta.path) cannot be read: not valid JSON"), "\(run.stdout)")
    #expect(run.stdout.contains("\(gamma.path) was written by a newer version"), "\(run.stdout)")
    #expect(run.stdout.contains("3 clients checked: 2 with problems."))
    let json = try #require(try accord("check", "--json").json() as? [[String: Any]])
    #expect(json.map { $0["sound"] as? Bool } == [true, false, false])
    #expect(try FileManager.default.contentsOfDirectory(atPath: accord.workspace.path).sorted() == before)
    #expect(try Data(contentsOf: beta) == Data("{\"format\": 1".utf8))
  }

  /// Two machines share a workspace (a synced folder): each remembers what it has seen.
  @Test func anOlderCopyAndAForkAreCaughtOnTheMachineThatSawMore() throws {
    var laptop = accord
    laptop.stateHome = accord.folder.appendingPathComponent("laptop-state")
    var desktop = accord
    desktop.stateHome = accord.folder.appendingPathComponent("desktop-state")
    #expect(try laptop("start", "acme").status == 0)
    #expect(try laptop("assign", "acme", "czar", "carol").status == 0)
    let revision2 = try accord.stateFile("acme")
    #expect(try desktop("check", "acme").status == 0, "the desktop sees revision 2 first")
    #expect(try laptop("assign", "acme", "czar", "dave").status == 0)
    let revision3 = try accord.stateFile("acme")

    // The sync brings back revision 2: the laptop saw 3, the desktop only 2.
    let file = accord.workspace.appendingPathComponent("acme.json")
    try revision2.write(to: file)
    let older = try laptop("check", "acme")
    #expect(older.status == 65)
    #expect(older.stdout.contains("\(file.path) is an older copy of this client: it is revision 2"), "\(older.stdout)")
    #expect(try desktop("check", "acme").status == 0)

    // The desktop carries on from revision 2: a revision 3 of its own. Now both copies are
    // revision 3, and the laptop can tell they differ.
    #expect(try desktop("assign", "acme", "czar", "erin").status == 0)
    let fork = try laptop("check", "acme")
    #expect(fork.status == 65)
    #expect(fork.stdout.contains("does not carry on from what this machine saw at revision 3"), "\(fork.stdout)")
    // Commands still work on it (check is where it is reported), and the report stays.
    #expect(try laptop("next", "acme").status == 0)
    #expect(try laptop("check", "acme").status == 65)

    // Restoring the laptop's revision 3 is sound on the laptop; to the desktop, which saw
    // its own revision 3, it is a different one.
    try revision3.write(to: file)
    #expect(try laptop("check", "acme").status == 0)
    #expect(try desktop("check", "acme").status == 65)
    // Taken on purpose, it is accepted, and the report ends.
    let accept = try desktop("check", "acme", "--accept")
    #expect(accept.status == 0, "\(accept.stderr)")
    #expect(accept.stdout.contains("revision 3"))
    #expect(try desktop("check", "acme").status == 0)
    #expect(try accord.stateFile("acme") == revision3, "check never writes the client file")
  }
}
