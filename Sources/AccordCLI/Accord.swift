import ArgumentParser

/// The `accord` command: runs clients through their alignment programme.
public struct Accord: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "accord",
    abstract: "Run a client's sales and marketing alignment programme.",
    discussion: """
      A playbook describes the programme: stages, milestones, agreements, and the gates \
      that keep technology roll-out closed until every party has signed. Each client's \
      record lives as one JSON file in a workspace folder.

      Start a client, assign roles, then ask `accord next CLIENT` what must happen next \
      and who must do it. The benchmark step is measured with `accord survey`, \
      `accord benchmark` and `accord opportunity`. `accord certificate` seals a signed \
      agreement's record with the firm's key (`accord key create`) for the client to keep; \
      `accord verify` checks one. `accord serve` puts the workspace on the web, where \
      everyone given access (`accord invite`, `accord token create`) acts as themselves. \
      `accord agenda` shows what is overdue and due soon across every client, and \
      `accord remind` writes (or mails) each person's reminders.

      Environment:
        ACCORD_WORKSPACE     the workspace folder (default: the nearest accord-workspace
                             folder here or above, else ~/.local/share/accord/workspace)
        ACCORD_USER          who you are, for --by (default: your login name)
        ACCORD_LOCK_TIMEOUT  seconds to wait for a client another command holds (default: 10)
        ACCORD_URL           where people reach accord serve, for invitation links
                             (default: http://127.0.0.1:8080)
        ACCORD_SMTP          the mail relay for invite, remind and serve (--smtp)
        ACCORD_SMTP_PASSWORD the relay's password (or --smtp-password-file)
        ACCORD_DATABASE      the PostgreSQL database of a firm's Accord (--database), for
                             every command unless --workspace names a folder
        ACCORD_DATABASE_PASSWORD  its password, when the address carries none
        ACCORD_REMOTE        the remote a command goes to (accord remote; empty: none)
        ACCORD_REMOTE_TIMEOUT  seconds to wait for a remote's answer (default: 10)
        NO_COLOR             never colour the output
        XDG_CONFIG_HOME      where the firm's key is kept, in accord/firm-key, and the
                             remotes and their sign-ins (default: ~/.config)

      Exit codes: 0 done, 1 refused by the programme's rules, 64 usage, 65 invalid \
      playbook, survey answers, state data, certificate or key file, and a certificate \
      that does not verify, 66 no such file, client, survey round or firm key, 73 an \
      output file or the firm key exists, 74 a file could not be written, 75 the database \
      did not answer or another change to the client got in first each time, or the client \
      is locked by another process or its file changed while the command ran (or a \
      reminder could not be mailed: it is queued and retried), 130 \
      stopped by Ctrl-C or SIGTERM before anything was changed.
      """,
    version: accordVersion,
    subcommands: [
      Start.self, Assign.self, Delegate.self, Next.self, Status.self, Show.self, Complete.self, Sign.self,
      Revoke.self, Reopen.self, Archive.self, Restore.self, Log.self, Clients.self, Validate.self,
      Check.self, Upgrade.self, SurveyCommand.self, BenchmarkCommand.self, OpportunityCommand.self,
      CertificateCommand.self, Verify.self, KeyCommand.self, Serve.self, Invite.self, AccessCommand.self,
      TokenCommand.self, Schedule.self, Skip.self, AgendaCommand.self, Zone.self, Remind.self, Address.self,
      DatabaseCommand.self, MigrateCommand.self, Export.self, MetricCommand.self, PeopleCommand.self,
      Acknowledge.self, Affirm.self, GraphCommand.self, ReportCommand.self, SchemaCommand.self, RemoteCommand.self,
      Login.self, Logout.self, SyncCommand.self,
    ]
  )

  public init() {}
}

/// The version `accord --version` prints, with the commit it was built from.
public let accordVersion = "\(releaseVersion) (\(buildCommit))"

/// Accord's release number.
public let releaseVersion = "0.1.0"
