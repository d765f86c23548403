import AccordKit
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
      let desk = try Desk(workspace, command: "address")
      if let person {
        let before = try desk.updateSettings { settings in
          var addresses = settings.addresses ?? [:]
          let before = remove ? addresses.removeValue(forKey: person) : addresses.updateValue(email!, forKey: person)
          settings.addresses = addresses.isEmpty ? nil : addresses
          return before
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
      let addresses = try desk.settings().addresses ?? [:]
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

/// `address --json`: one person's address, nil once removed.
struct AddressJSON: Encodable {
  var person: String
  var address: String?
}
