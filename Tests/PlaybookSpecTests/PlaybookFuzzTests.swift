import SeededRandom
import Foundation
import PlaybookSpec
import Testing

/// Thousands of damaged playbooks: the parser never crashes or hangs, and every playbook it
/// refuses is refused with diagnostics located inside the file.
@Suite struct PlaybookFuzzTests {
  /// The valid fixtures and the standard programme: the seeds the mutations start from.
  static func corpus() throws -> [(name: String, bytes: [UInt8])] {
    var corpus = try Fixtures.yamlFiles(in: "valid").map { ($0, [UInt8](try Fixtures.data($0))) }
    corpus.append(("alignment.yaml", [UInt8](try Data(contentsOf: Fixtures.playbooks.appending(path: "alignment.yaml")))))
    return corpus
  }

  @Test func mutatedPlaybooksAreReadOrRefusedWithLocatedDiagnostics() throws {
    let seed = SeededRandom.seed(for: "playbook fuzzer")
    var mutator = PlaybookMutator(random: SeededRandom(seed: seed))
    let corpus = try Self.corpus()
    #expect(corpus.count >= 5)
    let count = Soak.count(10_000, soak: 200_000)
    var valid = 0
    var diagnostics = 0
    for index in 0..<count {
      let (name, original) = corpus[index % corpus.count]
      let (bytes, kinds) = mutator.mutate(original)
      let file = "mutant-\(index).yaml"
      let context = "seed \(seed), input \(index) (\(name), \(kinds.map(\.rawValue).joined(separator: " ")))"
      do {
        _ = try Playbook.parse(Data(bytes), file: file)
        valid += 1
      } catch {
        #expect(!error.diagnostics.isEmpty, "\(context)")
        // libyaml puts the end of a file that lacks a final line break on the line after
        // its last: one past the last line still points into the file.
        let lines = yamlLineCount(bytes) + 1
        for diagnostic in error.diagnostics {
          diagnostics += 1
          let location = diagnostic.location
          let located = location.file == file && (1...lines).contains(location.line) && location.column >= 1
          #expect(located, "\(context): \(diagnostic) is not inside the file's \(lines - 1) lines")
          #expect(!diagnostic.message.isEmpty && !diagnostic.message.contains("\n"), "\(context): \(diagnostic)")
        }
      }
    }
    print("playbook fuzzer: \(count) inputs, \(valid) still valid, \(count - valid) refused with \(diagnostics) located diagnostics; seed \(seed)")
  }
}
