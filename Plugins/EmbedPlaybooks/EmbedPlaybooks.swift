import Foundation
import PackagePlugin

/// Compiles every `playbooks/*.yaml` into the target as Swift string literals, so the
/// built `accord` carries its playbooks and runs from any folder with nothing beside it,
/// while the YAML files stay the one source of truth.
@main
struct EmbedPlaybooks: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
    let folder = context.package.directoryURL.appending(path: "playbooks")
    let playbooks = try FileManager.default
      .contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "yaml" }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
    let output = context.pluginWorkDirectoryURL.appending(path: "BundledPlaybooks+Generated.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(playbooks.count) playbooks",
        executable: try context.tool(named: "PlaybookEmbedder").url,
        arguments: [output.path] + playbooks.map(\.path),
        inputFiles: playbooks,
        outputFiles: [output])
    ]
  }
}
