import Foundation
import ProgrammeEngine
import WorkspaceStore

/// `agenda --json`.
package struct AgendaJSON: Encodable {
  package struct Group: Encodable {
    /// Null for work waiting on nobody (its role is not assigned).
    package var person: String?
    package var items: [Item]

    private enum Key: String, CodingKey { case person, items }

    package func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(person, forKey: .person)
      try container.encode(items, forKey: .items)
    }
  }

  package struct Item: Encodable {
    package var client: String
    package var clientName: String
    package var action: ActionJSON

    private enum Key: String, CodingKey { case client, clientName }

    package func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(client, forKey: .client)
      try container.encode(clientName, forKey: .clientName)
      try action.encode(to: encoder)
    }
  }

  package var asOf: String
  package var until: String
  var people: [Group]

  package init(_ agenda: Agenda) {
    asOf = agenda.today.description
    until = agenda.horizon.description
    people = agenda.groups.map { group in
      Group(
        person: group.person,
        items: group.items.map {
          Item(
            client: $0.client, clientName: $0.clientName,
            action: ActionJSON(action: $0.action, due: DueJSON($0.due, today: agenda.today)))
        })
    }
  }
}
