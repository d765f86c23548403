import Foundation
import ProgrammeEngine

/// Why a record cannot be served: its chain breaks, or it does not replay.
enum Unverified: Error {
  case broken(HistoryChain.Break)
  case unsound(RecordProblem)
}

extension ClientRecord {
  /// From how many events on a read follows the chain beside the replay: about where the
  /// two take a few milliseconds each, well past the cost of starting a thread.
  static let sideBySideEvents = 5_000

  /// The programme the record holds, its hash chain verified whole first, as every read
  /// of every store verifies it.
  ///
  /// A long history's chain is followed on a second thread while it is replayed on this
  /// one (the two read the record and nothing else), so that verifying every read adds
  /// little to a read's time where a second core is free; a short one does both here,
  /// where a thread would cost more than it saves. A broken chain is reported whatever the
  /// replay found.
  func verified(compiled: CompiledPlaybooks?) -> Result<Programme, Unverified> {
    let broken: HistoryChain.Break?
    // Nil while the replay is still to do: a short history replays only once its chain holds.
    var replayed: Result<Programme, RecordProblem>?
    if events.count >= Self.sideBySideEvents {
      #if BENCH_UNVERIFIED_READS
        // Only in the reference build scripts/bench makes to time what verifying costs.
        (broken, replayed) = (nil, replay(compiled: compiled))
      #else
        (broken, replayed) = SideBySide.run({ chainBreak() }, alongside: { replay(compiled: compiled) })
      #endif
    } else {
      broken = chainBreak()
    }
    if let broken { return .failure(.broken(broken)) }
    return (replayed ?? replay(compiled: compiled)).mapError(Unverified.unsound)
  }

  /// The programme the record holds, verified as `Workspace.programme` verifies a file's:
  /// for a record from any store. Throws `.damaged` for a history edited anywhere or one
  /// that does not replay.
  public func verifiedProgramme(compiled: CompiledPlaybooks? = nil) throws(StoreFailure) -> Programme {
    switch verified(compiled: compiled) {
    case let .success(programme): return programme
    case let .failure(.broken(broken)):
      throw .damaged(
        client: client,
        problem: "its history's chain breaks at event \(broken.position): \(Workspace.describe(broken, in: events))")
    case let .failure(.unsound(problem)): throw .damaged(client: client, problem: problem.text)
    }
  }

  /// The record as `body`'s change to its programme leaves it, with `upgradedTo` in force
  /// when the change is an upgrade: the programme verified first, the change taken into
  /// the record, and an old client's playbook text sealed into its chain on its first
  /// change, exactly as the folder's `Workspace.change` does. What a store's `append`
  /// then keeps. Nothing is kept by this: it is values in, values out.
  public func changed<T>(
    compiled: CompiledPlaybooks? = nil, upgradedTo playbook: StoredPlaybook? = nil,
    _ body: (inout Programme) throws -> T
  ) throws -> (record: ClientRecord, programme: Programme, result: T) {
    try changed(verified: try verifiedProgramme(compiled: compiled), compiled: compiled, upgradedTo: playbook, body)
  }

  /// `changed(compiled:upgradedTo:_:)` from `programme`, this record's programme as the
  /// caller verified it before (a memory that holds it): nothing replayed again, except an
  /// old client's history once, when its text is sealed on its first change.
  public func changed<T>(
    verified programme: Programme, compiled: CompiledPlaybooks? = nil, upgradedTo playbook: StoredPlaybook? = nil,
    _ body: (inout Programme) throws -> T
  ) throws -> (record: ClientRecord, programme: Programme, result: T) {
    var programme = programme
    let before = Workspace.SealPoint(self)
    let result = try body(&programme)
    var record = self
    if let playbook { record.adopt(programme, upgradedTo: playbook) } else { record.adopt(programme) }
    guard !before.sealed, record.events.count > before.count else { return (record, programme, result) }
    record.seal(before.inForce, before: before.count)
    switch record.replay(compiled: compiled) {
    case let .success(sealed): return (record, sealed, result)
    case let .failure(problem): throw StoreFailure.damaged(client: client, problem: problem.text)
    }
  }
}
