import AccordKit
import Foundation
import Hummingbird
import ProgrammeEngine
import WorkspaceStore

/// `accord address` from a laptop (`--remote`): where the server mails a person's reminders,
/// invitations and sign-in links. An address decides who receives a person's links, so only
/// a person with firm access lists or changes them, as only they give access beyond one
/// client. The addresses are never logged.
extension APIRoutes {
  func addAddresses(to group: RouterGroup<WebContext>) {
    let server = server
    let desk = server.desk
    // GET /api/v1/addresses: [{person, address}], sorted by person.
    route(group, "addresses", .get) { _, _, viewer in
      try Self.requireFirm(viewer, for: "see where people's mail goes")
      let addresses = try await desk.store.settings().addresses ?? [:]
      return try APIMessage.ok(addresses.keys.sorted().map { AddressJSON(person: $0, address: addresses[$0]) })
    }
    // POST /api/v1/address: {person, address} records it; {person, address: null} forgets it.
    route(group, "address", .post) { request, context, viewer in
      try Self.requireFirm(viewer, for: "change where people's mail goes")
      let fields = try await APIMessage.Fields.read(request, context: context)
      let person = try fields.person("person")
      let address = try fields.optionalText("address")
      if let address, let problem = MailAddress.problem(address) {
        throw WebFailure(
          status: .badRequest, code: "invalid-address", message: "'\(address)' \(problem)",
          details: ["field": .text("address")])
      }
      let before = try await desk.store.updateSettings { settings in
        var addresses = settings.addresses ?? [:]
        let before = address.map { addresses.updateValue($0, forKey: person) } ?? addresses.removeValue(forKey: person)
        settings.addresses = addresses.isEmpty ? nil : addresses
        return before
      }
      server.logger.info(
        "accord address: \(viewer.person) \(address == nil ? "forgot" : "recorded") \(person)'s address from a laptop")
      return try APIMessage.ok(AddressChangeJSON(person: person, address: address, before: before))
    }
  }

  /// Refuses a viewer without firm access, for `operation`.
  static func requireFirm(_ viewer: Viewer, for operation: String) throws {
    guard viewer.isFirm else { throw AccessRefusal.needsFirmAccess(person: viewer.person, operation: operation) }
  }
}
