import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// A new client's record, made one way for `accord start` on a folder or a database and for
/// the server starting one for a laptop (`accord start --remote`): the playbook parsed and
/// validated, its text kept in the record with its SHA-256, so that later edits to the YAML
/// never change a running client, and the person starting it in the consultant role.
package enum ClientStart {
  package static func record(
    _ id: ClientID, name: String?, playbook: Playbook, source: String, origin: String, by person: String,
    at time: Date, note: String?, via: Via? = nil, eventID: String = EventID.make()
  ) throws -> (record: ClientRecord, programme: Programme) {
    let start = Event(
      .started(client: id.rawValue, name: name ?? id.rawValue, playbook: SHA256.hex(source.utf8)),
      by: person, at: time, note: note, via: via, id: eventID)
    let programme = try Programme(playbook: playbook, start: start)
    return (try ClientRecord(starting: programme, source: source, origin: origin), programme)
  }
}
