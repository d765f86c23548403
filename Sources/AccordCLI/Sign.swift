import AccordKit
import Foundation
import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord sign`: signs an agreement for one signatory role.
  struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sign",
      abstract: "Sign an agreement for one of its signatory roles.",
      discussion: """
        An agreement can be signed once its stage has opened and the milestones it needs \
        are done, by a person holding one of its signatory roles, once per role. When you \
        hold several signatory roles, --role picks the one you sign for. A gate opens when \
        every agreement it names is signed for every role.

        The signature records the SHA-256 of the agreement's terms (its id, title, terms and \
        signatories) as you were shown them, and sign prints it. On a terminal, sign first \
        shows the terms and asks you to confirm, and signs exactly those: terms changed in the \
        meantime (an upgrade) are refused (terms-changed), with nothing written. With --yes, or \
        when not on a terminal (a script), it signs without asking: the terms in force, or with \
        --terms the ones you read (the hash next, status or show print), any others refused.

        A role's delegate (accord delegate) signs for the role while the delegation holds; \
        the signature records both the delegate and the holder. With --on-behalf-of PERSON \
        --evidence FILE, the consultant or czar records a signature PERSON made elsewhere \
        (on paper): PERSON must hold the role or be its delegate, and the signature keeps \
        who entered it, for whom, and the file's name and SHA-256.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The agreement's id.", valueName: "agreement"),
      completion: .custom(Completions.agreements))
    var agreement: String
    @Option(
      help: ArgumentHelp("The signatory role you sign for.", valueName: "role"),
      completion: .custom(Completions.roles))
    var role: String?
    @Option(help: ArgumentHelp("A note kept with the signature.", valueName: "text"))
    var note: String?
    @Option(
      help: ArgumentHelp(
        "The SHA-256 of the terms you read (next, status or show print it; its first 12 characters will do).",
        discussion: "Refused, with nothing written, when the terms in force are others.", valueName: "hash"))
    var terms: String?
    @Flag(help: "Sign without showing the terms and asking first (on a terminal).")
    var yes = false
    @OptionGroup var onBehalf: OnBehalfOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws { try Self.checkTermsOption(terms) }

    func run() throws {
      let person = actor.person
      let acting = try onBehalf.acting()
      let desk = try Desk(workspace, person: person, command: "sign")
      // The terms the signer read: those named with --terms, else those shown here before
      // asking; nil when neither (a script, or --yes), for the terms in force when it is written.
      var read = terms?.lowercased()
      if !yes, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
        read = try confirm(desk.programme(client.id), read: read, acting: acting)
      }
      var signed = ""
      var hash = ""
      let now = Date()
      let (before, after) = try desk.apply(to: client.id, by: person, note: note, acting: acting, at: now) {
        programme in
        let inForce = programme.termsHash(ofAgreement: agreement) ?? ""
        let shown = Self.termsShown(read: read, inForce: inForce)
        // The role is the signer's: the person it is recorded for, when it is.
        let change = try programme.signature(
          on: agreement, as: role, by: acting.onBehalfOf ?? person, at: now, terms: shown)
        if case let .signed(_, role, terms) = change { (signed, hash) = (role, terms ?? "") }
        return change
      }
      let state = after.state(ofAgreement: agreement) == .signed
        ? "it is now signed by every signatory" : "still open"
      let event = after.history[after.history.count - 1]
      let headline = event.onBehalfOf.map { "Recorded \($0)'s signature on '\(agreement)' as \(signed)" }
        ?? "Signed '\(agreement)' as \(signed)"
      try ChangeJSON.show(
        ["\(headline)\(Self.comma(TextOutput.actingFor(event, naming: false))) on terms sha256 \(hash); \(state)."]
          + TextOutput().transitions(from: before, to: after),
        before: before, after: after, json: output.json, workspace: workspace)
    }

    /// Refuses a --terms that is not a terms hash, as the command line is checked (`sign`,
    /// `acknowledge`).
    static func checkTermsOption(_ terms: String?) throws {
      if let terms, !isTermsHash(terms) {
        throw ValidationError("--terms must be a SHA-256 in hex (64 characters), or its first 12 or more")
      }
    }

    /// The terms hash a person read, to record: `read` (from --terms or the question),
    /// lengthened to the terms in force when it begins theirs, else as given for the engine to
    /// refuse; the terms in force when nothing was read (a script, or --yes).
    static func termsShown(read: String?, inForce: String) -> String {
      read.map { inForce.hasPrefix($0) ? inForce : $0 } ?? inForce
    }

    /// Whether `text` is a terms hash as --terms takes it: 12 to 64 hex digits.
    static func isTermsHash(_ text: String) -> Bool {
      (12...64).contains(text.utf8.count) && text.utf8.allSatisfy { $0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit }
    }

    /// `text` followed by a comma, or nothing when it is empty: the clause before "on terms".
    private static func comma(_ text: String) -> String { text.isEmpty ? "" : text + "," }

    /// Shows the agreement's terms and its hash on stderr, with its signatories, and asks to
    /// go on (`TermsQuestion`); anything but y or yes stops the command with nothing written
    /// (exit 1). Answers the hash of the terms shown, which the signature then carries.
    private func confirm(_ programme: Programme, read: String?, acting: Desk.Acting) throws -> String? {
      // Recording someone else's signature is not signing: the question says whose it is.
      let question = acting.onBehalfOf.map { other in
        "Record that \(other) signed these terms"
          + (acting.evidence.map { ", as \($0.name) (sha256 \(TextOutput.short($0.sha256))) shows" } ?? "")
          + "? [y/N] "
      } ?? "Sign these terms? [y/N] "
      return try TermsQuestion.ask(
        programme, agreement: agreement, read: read, question: question, signatories: true,
        declined: acting.onBehalfOf == nil ? "Not signed; nothing changed." : "Not recorded; nothing changed.")
    }
  }

  /// `accord revoke`: withdraws a signature.
  struct Revoke: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "revoke",
      abstract: "Withdraw a signature from an agreement, with a reason.",
      discussion: """
        The person who signed, or whoever holds the role now, may revoke. Any gate that \
        needed the signature closes again; the work already done stays done, and the \
        history keeps both the signature and its revocation.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The agreement's id.", valueName: "agreement"),
      completion: .custom(Completions.agreements))
    var agreement: String
    @Option(
      help: ArgumentHelp("The signatory role whose signature to withdraw.", valueName: "role"),
      completion: .custom(Completions.roles))
    var role: String?
    @Option(help: ArgumentHelp("Why the signature is withdrawn (required).", valueName: "text"))
    var reason: String
    @OptionGroup var onBehalf: OnBehalfOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      try requireReason(reason)
    }

    func run() throws {
      let person = actor.person
      let acting = try onBehalf.acting()
      var revoked = ""
      let now = Date()
      let (before, after) = try Desk(workspace, person: person, command: "revoke")
        .apply(to: client.id, by: person, note: reason, acting: acting, at: now) { programme in
          let change = try programme.revocation(of: agreement, as: role, by: acting.onBehalfOf ?? person, at: now)
          if case let .revoked(_, role) = change { revoked = role }
          return change
        }
      try ChangeJSON.show(
        ["Revoked the \(revoked) signature on '\(agreement)'\(TextOutput.actingFor(after.history.last!))."]
          + TextOutput().transitions(from: before, to: after),
        before: before, after: after, json: output.json, workspace: workspace)
    }
  }
}
