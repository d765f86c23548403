import Foundation
import PlaybookSpec
import ProgrammeEngine

extension ClientRecord {
  /// A new client's record: the programme just started, and the playbook text it runs on.
  public init(starting programme: Programme, source: String, origin: String) throws(StoreError) {
    let playbook = programme.playbook
    self.init(
      client: try ClientID(programme.client), name: programme.name,
      playbook: StoredPlaybook(
        id: playbook.id, version: playbook.version, title: playbook.title, origin: origin,
        source: source),
      assignments: programme.assignments, events: programme.history)
  }

  /// Takes the programme's history, and the assignments snapshot derived from it.
  public mutating func adopt(_ programme: Programme) {
    events = programme.history
    assignments = programme.assignments
  }

  /// The programme the record holds: the stored playbook read again and the whole
  /// history replayed through the engine's rules. Returns a description of the first
  /// thing that is not as Accord wrote it.
  ///
  /// The playbook comes from `compiled`, the cache of playbooks already parsed, when it
  /// holds a sound entry for this text's SHA-256 (checked against the text when the file
  /// was read); otherwise its YAML is parsed as on the day the client started.
  func replay(compiled: CompiledPlaybooks? = nil) -> Result<Programme, RecordProblem> {
    let stored = self.playbook
    let playbook: Playbook
    let read = storedPlaybooks.playbook(stored.sha256) {
      let file = "playbook.source"
      if let compiled { return compiled.playbook(source: stored.source, sha256: stored.sha256, file: file) }
      return Result { () throws(PlaybookError) in try Playbook.parse(stored.source, file: file) }
    }
    switch read {
    case let .success(parsed):
      playbook = parsed
    case let .failure(error):
      let first = error.diagnostics.first?.description ?? "no diagnostic"
      return .failure(RecordProblem("the stored playbook does not parse: \(first)"))
    }
    let programme: Programme
    do {
      programme = try Programme(playbook: playbook, history: events)
    } catch {
      return .failure(RecordProblem(error.description))
    }
    guard programme.client == client else {
      return .failure(RecordProblem("events[0] starts client '\(programme.client)', not '\(client)'"))
    }
    guard programme.assignments == assignments else {
      return .failure(
        RecordProblem(
          "assignments \(Self.describe(assignments)) do not match the history, which gives "
            + Self.describe(programme.assignments)))
    }
    return .success(programme)
  }

  private static func describe(_ assignments: [String: String]) -> String {
    "{" + assignments.sorted { $0.key < $1.key }.map { "\($0): \($1)" }.joined(separator: ", ") + "}"
  }
}

/// Why a record that decoded cleanly still cannot be a client's history.
struct RecordProblem: Error {
  var text: String
  init(_ text: String) { self.text = text }
}

extension Workspace {
  /// A client's record and the programme it holds, checked against the playbook's rules.
  public func programme(_ id: ClientID) throws(StoreError) -> (record: ClientRecord, programme: Programme) {
    let record = try read(id)
    switch record.replay(compiled: compiled) {
    case let .success(programme):
      seen?.note(record, in: directory)
      return (record, programme)
    case let .failure(problem): throw .corrupt(path: fileURL(for: id).path, problem: problem.text)
    }
  }

  /// Changes a client's programme under its lock: `body` may apply events; if it throws,
  /// or changes nothing, the file is not written.
  public func change<T>(_ id: ClientID, _ body: (inout Programme) throws -> T) throws -> T {
    let path = fileURL(for: id).path
    return try update(id) { record in
      var programme: Programme
      switch record.replay(compiled: compiled) {
      case let .success(loaded): programme = loaded
      case let .failure(problem): throw StoreError.corrupt(path: path, problem: problem.text)
      }
      let result = try body(&programme)
      record.adopt(programme)
      return result
    }
  }
}
