import AccordKit
import ArgumentParser
import Foundation
import ProgrammeEngine

/// `--on-behalf-of PERSON --evidence FILE`: the consultant or czar records something another
/// person did elsewhere (a charter signed on paper). `--by` still names the person at the
/// keyboard; the event records both, with the evidence file's name and SHA-256.
struct OnBehalfOptions: ParsableArguments {
  @Option(
    name: .customLong("on-behalf-of"),
    help: ArgumentHelp(
      "Who did it, elsewhere: you record it for them (consultant or czar only).",
      discussion: "Needs --evidence. --by stays the person at the keyboard; both are recorded.",
      valueName: "person"))
  var onBehalfOf: String?
  @Option(
    help: ArgumentHelp(
      "The file that shows it (a scan, a PDF): its name and SHA-256 are recorded.",
      valueName: "file"),
    completion: .file())
  var evidence: String?

  /// Evidence backs a claim about someone else; on its own it would claim nothing.
  func validate() throws {
    if evidence != nil && onBehalfOf == nil {
      throw ValidationError("--evidence goes with --on-behalf-of PERSON: it shows what that person did")
    }
  }

  /// Who the event is for and the evidence file's name and SHA-256, the file read (within
  /// `InputFile.evidence`'s limit) before anything is changed. Without `--evidence` the
  /// engine refuses the event (`evidence-required`).
  func acting() throws -> Desk.Acting {
    guard let onBehalfOf else { return Desk.Acting() }
    guard let evidence else { return Desk.Acting(onBehalfOf: onBehalfOf) }
    let bytes = try InputFile.evidence.read(evidence)
    let name = URL(fileURLWithPath: evidence).lastPathComponent
    return Desk.Acting(onBehalfOf: onBehalfOf, evidence: EvidenceFile(name: name, sha256: SHA256.hex(bytes)))
  }
}
