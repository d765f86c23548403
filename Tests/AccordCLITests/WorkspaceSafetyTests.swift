import Foundation
import Testing

/// Every path built from user input stays inside the workspace, nothing in the workspace
/// can lead a command to a file elsewhere, and what Accord writes is for its owner only.
@Suite("Reliability: the workspace's boundaries")
struct WorkspaceSafetyTests {
  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
  }

  @Test(arguments: [
    "..", "../outside", "/etc/passwd", "a/b", ".acme", "acme.json", "acme\nx", String(repeating: "x", count: 65),
  ])
  func clientIDsThatCouldLeaveTheWorkspaceAreRefused(id: String) throws {
    for arguments in [["start", id], ["assign", id, "czar", "carol"], ["check", id], ["next", id]] {
      let run = try accord.run(arguments)
      #expect(run.status == 64, "\(arguments): \(run.stderr)")
      #expect(run.stderr.contains("not a valid client id"), "\(run.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: accord.workspace.path), "nothing was created")
  }

  @Test func aSymlinkedClientFileIsRefusedAndWhatItPointsAtIsUntouched() throws {
    #expect(try accord("start", "acme").status == 0)
    let file = accord.workspace.appendingPathComponent("acme.json")
    let outside = accord.folder.appendingPathComponent("elsewhere.json")
    try FileManager.default.moveItem(at: file, to: outside)
    try FileManager.default.createSymbolicLink(at: file, withDestinationURL: outside)
    let before = try Data(contentsOf: outside)
    for arguments in [["next", "acme"], ["assign", "acme", "czar", "carol"], ["clients"], ["check"]] {
      let run = try accord.run(arguments)
      #expect(run.status == 65, "\(arguments): \(run.stderr)")
      #expect((run.stderr + run.stdout).contains("\(file.path) is a symbolic link"), "\(arguments): \(run.stderr)")
    }
    #expect(try accord("start", "acme").status == 1, "a link counts as an existing client")
    #expect(try Data(contentsOf: outside) == before)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: file.path) == outside.path)
  }

  @Test func aSymlinkedLockFileNeverTruncatesWhatItPointsAt() throws {
    #expect(try accord("start", "acme").status == 0)
    let lock = accord.workspace.appendingPathComponent(".acme.lock")
    let precious = accord.folder.appendingPathComponent("precious.txt")
    try Data("precious\n".utf8).write(to: precious)
    try FileManager.default.removeItem(at: lock)
    try FileManager.default.createSymbolicLink(at: lock, withDestinationURL: precious)
    let before = try accord.stateFile("acme")
    let run = try accord("assign", "acme", "czar", "carol")
    #expect(run.status == 65, "\(run.stderr)")
    #expect(run.stderr.contains("\(lock.path) is a symbolic link"), "\(run.stderr)")
    #expect(try String(contentsOf: precious, encoding: .utf8) == "precious\n")
    #expect(try accord.stateFile("acme") == before)
    let check = try accord("check", "acme")
    #expect(check.status == 65 && check.stdout.contains(lock.path), "\(check.stdout)")
  }

  /// Whatever the umask, client files, lock files and this machine's memory of them are
  /// for their owner only: they name clients and their commitments.
  @Test func filesAreForTheirOwnerOnlyWhateverTheUmask() throws {
    var permissive = accord
    permissive.executable = URL(fileURLWithPath: "/bin/sh")
    for arguments in [["start", "acme"], ["assign", "acme", "czar", "carol"]] {
      let run = try permissive.run(["-c", "umask 000; exec \"$0\" \"$@\"", accord.executable.path] + arguments)
      #expect(run.status == 0, "\(run.stderr)")
    }
    func mode(_ url: URL) throws -> Int {
      try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }
    #expect(try mode(accord.workspace) == 0o700)
    #expect(try mode(accord.workspace.appendingPathComponent("acme.json")) == 0o600)
    #expect(try mode(accord.workspace.appendingPathComponent(".acme.lock")) == 0o600)
    let seen = accord.stateHome.appendingPathComponent("accord/seen")
    #expect(try mode(seen) == 0o700)
    #expect(try mode(seen.deletingLastPathComponent()) == 0o700)
    let marks = try FileManager.default.contentsOfDirectory(at: seen, includingPropertiesForKeys: nil)
    #expect(marks.count == 1)
    for mark in marks { #expect(try mode(mark) == 0o600) }
  }
}
