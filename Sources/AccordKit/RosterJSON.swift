import Foundation
import PlaybookSpec
import ProgrammeEngine

/// `people list --json`, and the API's `GET /api/v1/clients/{client}/people`: the roster,
/// each agreement's progress, and each person's part. One type for both, so the API answers
/// the bytes the CLI prints. Who may see it (the consultant and the czar) is the caller's to
/// check: it names who has not acknowledged.
package struct RosterJSON: Encodable {
  package struct Agreement: Encodable {
    package var id: String
    package var teams: [TeamProgress]
  }
  package struct Acknowledgement: Encodable {
    package var agreement: String
    package var at: String
    package var terms: String
    package var enteredBy: String?
  }
  package struct Person: Encodable {
    package var name: String
    package var email: String
    package var team: String
    package var level: String
    package var since: String
    package var acknowledged: [Acknowledgement]
    /// The agreements that ask them and that they have yet to acknowledge (on the terms in force).
    package var pending: [String]
  }

  package var client: String
  package var agreements: [Agreement]
  package var people: [Person]

  package init(_ programme: Programme) {
    client = programme.client
    let asking = programme.playbook.stages.flatMap(\.agreements).filter { $0.acknowledgedBy != nil }
    agreements = asking.map { Agreement(id: $0.id, teams: programme.acknowledgementProgress(of: $0.id)) }
    people = programme.people.map { member in
      var acknowledged: [Acknowledgement] = []
      var pending: [String] = []
      for agreement in asking
      where agreement.acknowledgedBy?.teams.contains(where: { $0.id == member.team }) == true {
        if let given = programme.acknowledgement(of: agreement.id, by: member.name) {
          acknowledged.append(
            Acknowledgement(
              agreement: agreement.id, at: Timestamp.format(given.at), terms: given.terms, enteredBy: given.enteredBy))
        } else {
          pending.append(agreement.id)
        }
      }
      return Person(
        name: member.name, email: member.email, team: member.team, level: member.level,
        since: Timestamp.format(member.at), acknowledged: acknowledged, pending: pending)
    }
  }
}
