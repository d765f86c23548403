import AccordKit
import AccordRemote
import ArgumentParser
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension Accord {
  /// `accord address`: the e-mail addresses reminders are sent to.
  struct Address: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "address",
      abstract: "Record, remove or list the e-mail addresses reminders are sent to.",
      discussion: """
        accord address PERSON EMAIL records PERSON's address, accord address PERSON \
        --remove forgets it, and accord address alone lists them. Addresses are kept in \
        the workspace's settings (.accord-workspace.json) and used by accord remind. An \
        address is plain ASCII with one '@' and no spaces, quotes or brackets.

        With --remote, the addresses are the server's, where its reminders, invitations \
        and sign-in links go: listing or changing them takes firm access, online only.
        """)

    @Argument(help: ArgumentHelp("The person, by the name their roles are held under.", valueName: "person"))
    var person: String?
    @Argument(help: ArgumentHelp("Their e-mail address.", valueName: "email"))
    var email: String?
    @Flag(help: "Forget the person's address.")
    var remove = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      if remove && person == nil { throw ValidationError("--remove needs the PERSON whose address to forget") }
      if remove && email != nil { throw ValidationError("give an EMAIL or --remove, not both") }
      if person != nil && email == nil && !remove {
        throw ValidationError("give PERSON's EMAIL to record, or --remove to forget it")
      }
      if let person { try requirePerson(person) }
      if let email, let problem = MailAddress.problem(email) {
        throw ValidationError(AddressProblem(address: email, problem: problem).description)
      }
    }

    func run() throws {
      let session = RemoteSession.current
      // On a remote the addresses are the server's: asked for there, online only.
      func onServer<T>(_ call: @escaping (any RemoteTransport) async throws -> T) throws -> T {
        try RemoteSession.onServer(session!) {
          "the addresses are kept on \(session!.name)'s server, and it cannot be reached (\($0)): "
            + "run accord address again once it can"
        } _: { try await call($0) }
      }
      let desk = session == nil ? try Desk(workspace, command: "address") : nil
      if let person {
        let before: String?
        if let desk {
          before = try desk.updateSettings { [remove, email] settings in
            var addresses = settings.addresses ?? [:]
            let before = remove ? addresses.removeValue(forKey: person) : addresses.updateValue(email!, forKey: person)
            settings.addresses = addresses.isEmpty ? nil : addresses
            return before
          }
        } else {
          before = try onServer { [remove, email] in try await $0.record(address: remove ? nil : email, of: person) }.before
        }
        if output.json {
          try JSONOutput.print(AddressJSON(person: person, address: remove ? nil : email))
        } else if remove {
          emit([before == nil ? "\(person) had no address." : "Forgot \(person)'s address (\(before!))."])
        } else {
          emit(["\(person)'s reminders go to \(email!)."])
        }
        return
      }
      let addresses = try desk.map { try $0.settings().addresses ?? [:] }
        ?? Dictionary(try onServer { try await $0.addresses() }.map { ($0.person, $0.address ?? "") }) { a, _ in a }
      if output.json {
        try JSONOutput.print(addresses.keys.sorted().map { AddressJSON(person: $0, address: addresses[$0]) })
      } else if addresses.isEmpty {
        emit(["No addresses recorded. Record one with: accord address PERSON EMAIL"])
      } else {
        var table = Table()
        for name in addresses.keys.sorted() { table.append([MailText.oneLine(name), addresses[name]!]) }
        emit(table.render(indent: ""))
      }
    }
  }
}
