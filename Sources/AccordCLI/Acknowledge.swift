import AccordKit
import ArgumentParser
import Foundation
import ProgrammeEngine

extension Accord {
  /// `accord acknowledge`: a person on the roster agrees to an agreement's terms.
  struct Acknowledge: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "acknowledge",
      abstract: "Acknowledge an agreement's terms as a person on the client's roster.",
      discussion: """
        An agreement may ask the staff of some teams to acknowledge it (acknowledged-by: \
        in the playbook), once signing has opened: each person on the roster (accord \
        people) reads its terms and agrees to live by them. A gate that names the \
        agreement holds only when every team it asks has reached its quorum. The \
        acknowledgement records the SHA-256 of the terms, as a signature does: terms \
        changed by an upgrade must be acknowledged again.

        It is a person's own act: nobody acknowledges for someone else as a delegate. On a \
        terminal it shows the terms and asks first (--yes does not ask). With \
        --on-behalf-of PERSON --evidence FILE, the consultant or czar records an \
        acknowledgement PERSON gave on a paper sheet, with the sheet's name and SHA-256.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The agreement's id.", valueName: "agreement"),
      completion: .custom(Completions.agreements))
    var agreement: String
    @Option(
      help: ArgumentHelp(
        "The SHA-256 of the terms you read (its first 12 characters will do).",
        discussion: "Refused, with nothing written, when the terms in force are others.", valueName: "hash"))
    var terms: String?
    @Flag(help: "Acknowledge without showing the terms and asking first (on a terminal).")
    var yes = false
    @Option(help: ArgumentHelp("A note kept with the acknowledgement.", valueName: "text"))
    var note: String?
    @OptionGroup var onBehalf: OnBehalfOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws { try Sign.checkTermsOption(terms) }

    func run() throws {
      let person = actor.person
      let acting = try onBehalf.acting()
      let desk = try Desk(workspace, person: person, command: "acknowledge")
      var read = terms?.lowercased()
      if !yes, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
        read = try TermsQuestion.ask(
          desk.programme(client.id), agreement: agreement, read: read,
          question: acting.onBehalfOf.map { "Record that \($0) acknowledged these terms? [y/N] " }
            ?? "Acknowledge these terms? [y/N] ")
      }
      let (before, after) = try desk.apply(to: client.id, by: person, note: note, acting: acting) { programme in
        let inForce = programme.termsHash(ofAgreement: agreement) ?? ""
        return .acknowledged(agreement: agreement, terms: Sign.termsShown(read: read, inForce: inForce))
      }
      let who = acting.onBehalfOf.map { "Recorded \($0)'s acknowledgement of" } ?? "Acknowledged"
      let progress = after.acknowledgementProgress(of: agreement)
      try ChangeJSON.show(
        ["\(who) '\(agreement)' on terms sha256 \(after.termsHash(ofAgreement: agreement) ?? ""); "
          + TeamProgress.summary(progress) + "."] + TextOutput().transitions(from: before, to: after),
        before: before, after: after, json: output.json, workspace: workspace)
    }
  }

  /// `accord affirm`: a role's new holder takes a predecessor's signature as their own.
  struct Affirm: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "affirm",
      abstract: "Affirm, as a role's new holder, an agreement a predecessor signed for the role.",
      discussion: """
        When a role that signed an agreement passes to someone else (accord assign), the \
        signature stands and a gate it opened stays open, but the agreement shows \
        "signed by a predecessor" and the new holder is asked to affirm it (accord next). \
        A playbook may require it before a later gate (gate: {affirmed: [AGREEMENT]}). \
        Only the holder may affirm, not a delegate. On a terminal it shows the terms and \
        asks first (--yes does not ask). To disagree, revoke the signature instead \
        (accord revoke), with a reason.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The agreement's id.", valueName: "agreement"),
      completion: .custom(Completions.agreements))
    var agreement: String
    @Option(
      help: ArgumentHelp("The signatory role you hold (needed when you hold several).", valueName: "role"),
      completion: .custom(Completions.roles))
    var role: String?
    @Flag(help: "Affirm without showing the terms and asking first (on a terminal).")
    var yes = false
    @Option(help: ArgumentHelp("A note kept with the affirmation.", valueName: "text"))
    var note: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let person = actor.person
      let desk = try Desk(workspace, person: person, command: "affirm")
      var read: String?
      if !yes, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
        read = try TermsQuestion.ask(
          desk.programme(client.id), agreement: agreement, read: nil, question: "Affirm these terms as your own? [y/N] ")
      }
      var affirmed = ""
      let (before, after) = try desk.apply(to: client.id, by: person, note: note) { programme in
        let change = try programme.affirmation(of: agreement, as: role, by: person, terms: read)
        if case let .affirmed(_, role, _) = change { affirmed = role }
        return change
      }
      let signer = after.standings(of: agreement).first { $0.signature.role == affirmed }?.signature
      try ChangeJSON.show(
        ["Affirmed '\(agreement)' as \(affirmed)"
          + (signer.map { ", signed by \(Shown.name($0.person)) on \(Timestamp.format($0.at).prefix(10))" } ?? "") + "."]
          + TextOutput().transitions(from: before, to: after),
        before: before, after: after, json: output.json, workspace: workspace)
    }
  }
}

/// The terms shown on a terminal before a person commits to them, and the question.
enum TermsQuestion {
  /// Shows the agreement's terms and hash on stderr (and its signatories, when `signatories`)
  /// and asks `question`; anything but y or yes prints `declined` and stops with nothing
  /// written (exit 1). Answers the hash shown. Terms named with --terms (`read`) that are not
  /// those in force are refused before anything is asked; an unknown agreement is left to
  /// the engine, which names the nearest one. The conversation goes to stderr, so that
  /// stdout carries only the result (JSON with --json) even on a terminal.
  static func ask(
    _ programme: Programme, agreement: String, read: String?, question: String, signatories: Bool = false,
    declined: String = "Nothing changed."
  ) throws -> String? {
    guard let found = programme.playbook.stages.lazy.flatMap(\.agreements).first(where: { $0.id == agreement })
    else { return read }
    if let read, !found.termsHash.hasPrefix(read) { try programme.checkTerms(read, of: agreement) }
    var lines = ["\(found.id): \(found.title)", ""]
    let terms = (found.terms ?? "(no terms text)").trimmingCharacters(in: .newlines)
    lines += terms.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
    let targets = programme.playbook.targetLines(of: found)
    if !targets.isEmpty { lines += ["", "targets:"] + targets.map { "  " + $0 } }
    if signatories { lines += ["", "signatories: " + found.signatories.map(\.id).joined(separator: ", ")] }
    lines.append("terms sha256 \(found.termsHash)")
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n" + question).utf8))
    let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
    guard answer == "y" || answer == "yes" else {
      printError(declined)
      throw CommandExit(status: .refused)
    }
    return found.termsHash
  }
}
