import SeededRandom
import Foundation
import Glibc
import Testing

/// Hostile playbooks through the binary: refused with exit 65 and located diagnostics, in
/// bounded memory. Memory is measured, not time: no test here has a time limit; the times
/// are printed for docs/benchmarks.md.
@Suite("Reliability: hostile playbooks through the binary")
struct HostilePlaybookBinaryTests {
  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
  }

  /// The most private memory (heap and anonymous mappings) a command may use here: an
  /// `accord` that tried to expand an alias bomb would fail to allocate and crash instead
  /// of refusing the file with exit 65.
  static let memoryCapKiB = 100 * 1024

  /// Runs `accord validate path` under the memory cap; returns how it ended, stderr, its
  /// peak resident memory in MiB (sampled) and the wall time in milliseconds.
  func validate(_ path: String) throws -> (ending: Child.Ending, stderr: String, mebibytes: Double, milliseconds: Double) {
    let started = monotonicNow()
    let capped = "ulimit -d \(Self.memoryCapKiB); exec \"$0\" \"$@\""
    let child = try Child(
      "/bin/sh", ["-c", capped, accord.executable.path, "validate", path],
      environment: accord.environment(as: "alice"), folder: accord.folder)
    let peak = child.peakResidentKiB()
    let ending = child.wait().ending
    let elapsed = Double(monotonicNow() - started) / 1_000_000
    return (ending, child.stderr, Double(peak) / 1024, elapsed)
  }

  /// For docs/benchmarks.md: "21 ms, peak resident memory 23.4 MiB".
  static func figures(_ run: (ending: Child.Ending, stderr: String, mebibytes: Double, milliseconds: Double)) -> String {
    String(format: "%.0f ms, peak resident memory %.1f MiB", run.milliseconds, run.mebibytes)
  }

  func write(_ name: String, _ data: Data) throws -> String {
    let url = accord.folder.appendingPathComponent(name)
    try data.write(to: url)
    return url.path
  }

  /// A billion laughs: nine levels of ten aliases each, 10^9 elements once expanded.
  @Test func aBillionLaughsIsRefusedInLittleMemory() throws {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
      text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    let path = try write("laughs.yaml", Data(text.utf8))
    let run = try validate(path)
    #expect(run.ending == .exited(65))
    let message = "the playbook's anchors and aliases expand to more elements than it is worth reading"
    #expect(run.stderr == "\(path):1:1: error: \(message)\n")
    #expect(run.mebibytes < 100, "peak memory \(run.mebibytes) MiB")
    print("hostile playbooks: billion laughs refused in \(Self.figures(run)) (private memory capped at 100 MiB)")
  }

  /// Aliases shaped like a playbook, so that decoding would really walk them: 1000 stages,
  /// each of the same 1000 milestones, each needing the same 1000 ids, 10^9 references in
  /// a 12 KB file. Without the expansion check, the memory cap would stop it.
  @Test func aBombTheDecoderWouldWalkIsRefusedInLittleMemory() throws {
    func list(_ item: String) -> String { "[" + Array(repeating: item, count: 1000).joined(separator: ", ") + "]" }
    let text = """
      ids: &ids \(list("a"))
      milestone: &m {id: m, title: M, owner: consultant, needs: *ids}
      milestones: &ms \(list("*m"))
      stage: &s {id: s, title: S, milestones: *ms}
      playbook: p
      version: 1
      title: P
      roles: {consultant: C}
      stages: \(list("*s"))

      """
    let path = try write("walked-bomb.yaml", Data(text.utf8))
    let run = try validate(path)
    #expect(run.ending == .exited(65))
    #expect(run.stderr.contains("anchors and aliases expand to more elements"), "\(run.stderr.prefix(300))")
    print("hostile playbooks: walkable alias bomb refused in \(Self.figures(run))")
  }

  /// Over the limit: refused before it is read (a file) or once the limit is read (a stream).
  @Test func filesOverTheSizeLimitAreRefusedWithoutReadingThemWhole() throws {
    // A sparse file: its size is what matters, and the test process need not hold it.
    let big = try write("big.yaml", Data())
    #expect(truncate(big, 64 * 1024 * 1024) == 0)
    let file = try validate(big)
    #expect(file.ending == .exited(65))
    let limit = "the limit of 16777216 bytes (16 MiB)"
    #expect(file.stderr == "\(big):1:1: error: the playbook is 67108864 bytes, more than \(limit)\n")
    #expect(file.mebibytes < 48, "peak memory \(file.mebibytes) MiB: was the file read?")
    let endless = try validate("/dev/zero")
    #expect(endless.ending == .exited(65))
    #expect(endless.stderr == "/dev/zero:1:1: error: the playbook is longer than \(limit)\n")
    #expect(endless.mebibytes < 100, "peak memory \(endless.mebibytes) MiB")
    print("hostile playbooks: a 64 MiB file refused in \(Self.figures(file)), /dev/zero in \(Self.figures(endless))")
  }

  @Test(arguments: [
    ("deep.yaml", Data((String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)).utf8),
     "nested too deep"),
    ("duplicate.yaml", Data("playbook: p\nversion: 1\nplaybook: q\n".utf8),
     "duplicate key 'playbook' (first at line 1, column 1)"),
    ("latin1.yaml", Data([0x70, 0x3A, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]), "not valid UTF-8"),
    ("empty.yaml", Data(), "the playbook is empty"),
    ("list.json", Data("[{\"playbook\": \"p\"}]".utf8), "expected a playbook"),
  ])
  func namedHostileInputsAreRefusedWithALocatedDiagnostic(name: String, content: Data, words: String) throws {
    let path = try write(name, content)
    let run = try validate(path)
    #expect(run.ending == .exited(65))
    let lines = run.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(run.stderr)")
    let located = run.stderr.hasPrefix("\(path):") && run.stderr.contains(": error: ")
    #expect(located && run.stderr.contains(words), "\(run.stderr)")
  }

  @Test func aPlaybookWrittenAsJSONIsValid() throws {
    let json = """
      {"playbook": "p", "version": 1, "title": "P", "roles": {"consultant": "Consultant"},
       "stages": [{"id": "s", "title": "S", "milestones": [{"id": "m", "title": "M", "owner": "consultant"}]}]}
      """
    let path = try write("playbook.json", Data(json.utf8))
    let run = try accord("validate", path)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try accord("start", "acme", "--playbook", path).status == 0)
  }

  /// Damaged copies of the standard playbook, all given to one `validate`: each is either
  /// valid or refused with diagnostics that name it and a position in it.
  @Test func damagedPlaybooksAreAllRefusedWithLocatedDiagnostics() throws {
    let seed = SeededRandom.seed(for: "hostile playbooks through the binary")
    var random = SeededRandom(seed: seed)
    let standard = [UInt8](try Data(contentsOf: AccordBinary.packageRoot.appendingPathComponent("playbooks/alignment.yaml")))
    var paths: [String] = []
    for index in 0..<Soak.count(300, soak: 3_000) {
      var bytes = standard
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let at = Int.random(in: 0..<bytes.count, using: &random)
        if Bool.random(using: &random) {
          bytes[at] ^= UInt8.random(in: 1...255, using: &random)
        } else {
          bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &random)))
        }
      }
      paths.append(try write("damaged-\(index).yaml", Data(bytes)))
    }
    let run = try accord.run(["validate"] + paths)
    #expect(run.status == 65, "seed \(seed)")
    let valid = Set(
      run.stdout.split(separator: "\n").compactMap { line in
        line.range(of: ": valid: ").map { String(line[..<$0.lowerBound]) }
      })
    var refused: Set<String> = []
    for line in run.stderr.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 3)
      let located = parts.count == 4 && Int(parts[1]).map { $0 >= 1 } == true && Int(parts[2]).map { $0 >= 1 } == true
        && parts[3].hasPrefix(" error: ")
      #expect(located, "seed \(seed): \(line)")
      refused.insert(String(parts[0]))
    }
    #expect(valid.union(refused) == Set(paths), "seed \(seed): every file is accounted for")
    #expect(valid.isDisjoint(with: refused))
    print(
      "hostile playbooks through the binary: \(paths.count) damaged copies, \(valid.count) still valid, "
        + "\(refused.count) refused; seed \(seed)")
  }
}
