import AccordKit
import ArgumentParser
import Foundation
import PlaybookSpec

extension Accord {
  /// `accord validate`: checks playbooks.
  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "validate",
      abstract: "Check playbooks and report every problem at once.",
      discussion: """
        Each problem is printed on its own line as FILE:LINE:COLUMN: error: MESSAGE. A valid \
        file prints a one-line summary. Exits 65 when any file is invalid, 66 when a file \
        cannot be read. `accord start` validates its playbook the same way.
        """)

    @Argument(
      help: ArgumentHelp("The playbook files to check.", valueName: "file"),
      completion: .file(extensions: ["yaml", "yml"]))
    var files: [String]

    func validate() throws {
      if files.isEmpty { throw ValidationError("name at least one playbook file") }
    }

    func run() throws {
      // Every file is checked; an invalid one decides the status over one that is missing.
      var status: ExitStatus?
      for path in files {
        do {
          let playbook = try Playbook.parse(try InputFile.playbook.read(path), file: path)
          emit(["\(path): valid: \(playbook.summary)"])
        } catch {
          guard let report = Report(error) else { throw error }
          report.print(json: false)
          if status == nil || report.status == .dataError { status = report.status }
        }
      }
      if let status { throw CommandExit(status: status) }
    }
  }
}
