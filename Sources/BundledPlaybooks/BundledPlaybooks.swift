/// The playbooks shipped in `playbooks/`, compiled into the binary by the EmbedPlaybooks
/// build plugin so that an installed `accord` needs nothing beside it.
public enum BundledPlaybooks {
  /// The playbook `accord start` uses when no `--playbook` is given.
  public static let defaultName = "alignment.yaml"

  /// The text of the bundled playbook with this file name, exactly as in `playbooks/`.
  public static func text(named name: String) -> String? {
    files.first { $0.name == name }?.text
  }
}
