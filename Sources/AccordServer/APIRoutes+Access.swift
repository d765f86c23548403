import AccordKit
import Foundation
import Hummingbird
import ProgrammeEngine
import WorkspaceStore

/// `accord access list CLIENT` and `accord access revoke PERSON CLIENT` from a laptop
/// (`--remote`): the access book is the server's. The client's consultant or czar, or a
/// person with firm access, sees who may sign in to the client and takes access to it away,
/// as on a folder; a client's keeper sees the rows of their client only, not the firm's.
extension APIRoutes {
  func addAccess(to group: RouterGroup<WebContext>) {
    let server = server
    let desk = server.desk
    // GET /api/v1/clients/CLIENT/access: as `accord access list CLIENT --json` prints it.
    route(group, "clients/:client/access", .get) { _, context, viewer in
      let (record, programme) = try await desk.load(try context.parameters.require("client"), for: viewer)
      if !viewer.isFirm { try AccessRefusal.requireKeeper(viewer.person, of: programme) }
      let book = try await server.keeper.book()
      return try APIMessage.ok(AccessListing(book, client: record.client, now: Date(), firmRows: viewer.isFirm))
    }
    // POST /api/v1/clients/CLIENT/access/revoke: {person}; as `accord access revoke PERSON
    // CLIENT --json` prints it.
    route(group, "clients/:client/access/revoke", .post) { request, context, viewer in
      let (record, programme) = try await desk.load(try context.parameters.require("client"), for: viewer)
      let fields = try await APIMessage.Fields.read(request, context: context)
      let person = try fields.text("person")
      if !viewer.isFirm { try AccessRefusal.requireKeeper(viewer.person, of: programme) }
      let client = record.client
      let now = Date()
      let done = try await server.keeper.update { book in
        let done = book.revoke(person, from: client, now: now)
        if done.isEmpty { throw AccessRefusal.noAccess(person: person, client: client) }
        return done
      }
      server.logger.info("accord access: \(viewer.person) took \(person)'s access to \(client) away from a laptop")
      return try APIMessage.ok(RevocationJSON(person: person, client: client, done))
    }
  }
}
