import AccordKit
import ArgumentParser
import Foundation
import ProgrammeEngine

extension Accord {
  /// `accord log`: a client's history.
  struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract: "Show a client's history, oldest first.",
      discussion: """
        Every change is an event: its type, who made it, when (UTC) and any note. \
        --format csv writes one row per event for auditors and spreadsheets (RFC 4180: a \
        header row, fields quoted when they hold a comma, a quote or a line break, CRLF \
        line ends), with each event's terms hash and its own hash in the history's chain; \
        a field that begins with =, +, -, @, a tab or a carriage return is written after a \
        single quote, so that a spreadsheet shows it as text rather than run it as a formula. \
        --json is short for --format json. A client whose file was damaged or edited \
        outside Accord (its history's hash chain broken, or its history or playbook text \
        not as Accord wrote them), which every other command but check refuses, is still \
        shown as the file holds it: then the history is followed by a warning on stderr \
        naming the first bad event, and log exits 65.
        """)

    /// What `log` writes.
    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json, csv
    }

    @OptionGroup var client: ClientArgument
    @Option(help: ArgumentHelp("How to print the history (default: text; json with --json).", valueName: "format"))
    var format: Format?
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      if output.json, let format, format != .json {
        throw ValidationError("--json asks for JSON but --format asks for \(format.rawValue): give one of them")
      }
    }

    func run() throws {
      let (history, damage) = try Desk(workspace, command: "log").history(client.id)
      switch format ?? (output.json ? .json : .text) {
      case .json: try JSONOutput.print(history)
      case .text: emit(TextOutput().log(history))
      case .csv: FileHandle.standardOutput.write(Data(try AuditCSV.text(of: history).utf8))
      }
      // Shown, since an auditor needs to see what the file holds; but said to be damaged,
      // on stderr (stdout stays the history, in the format asked for), with the status.
      if let damage {
        Report(damage)?.print(json: output.json)
        throw CommandExit(status: .dataError)
      }
    }
  }
}
