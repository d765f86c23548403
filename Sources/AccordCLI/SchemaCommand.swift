import ArgumentParser
import Foundation
import PlaybookSpec

extension Accord {
  /// `accord schema`: the JSON Schema of a playbook, for editors.
  struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "schema",
      abstract: "Print the JSON Schema of a playbook, for an editor to check it as you type.",
      discussion: """
        The schema (JSON Schema draft 2020-12) is built from the same key lists and syntax \
        the playbook reader uses; playbooks/playbook.schema.json is a copy. An editor with \
        a YAML language server (such as VS Code's YAML extension) checks a playbook whose \
        first line names the schema, by a path relative to the playbook or a URL:

          # yaml-language-server: $schema=./playbook.schema.json

        It flags unknown and missing keys, malformed ids, intervals and quorums as you \
        type. What a schema cannot see, such as references that name nothing or `needs` \
        that form a cycle, only `accord validate` reports.
        """)

    @Option(
      help: ArgumentHelp("Write the schema to this file instead of printing it.", valueName: "file"),
      completion: .file(extensions: ["json"]))
    var out: String?
    @Flag(help: "Replace --out FILE if it exists.")
    var force = false

    func validate() throws {
      try OutputFile.checkForce(force, out: out)
    }

    func run() throws {
      let text = PlaybookSchema.text
      guard let out else {
        // Written as bytes, not through `emit`: the file must be exactly the schema.
        FileHandle.standardOutput.write(Data(text.utf8))
        return
      }
      try OutputFile(path: out, force: force).write(text)
    }
  }
}
