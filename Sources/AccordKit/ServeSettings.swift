import AgreementCertificates
import WorkspaceStore

/// What `accord serve` was asked to do, as plain values: AccordCLI reads it from the
/// command line, AccordServer runs it (`WebServer.serve`), and the `accord` executable joins
/// the two, so that no command module links the web server.
package struct ServeSettings: Sendable {
  /// The server's daily reminders (`--smtp`, `--from`, `--remind-at`).
  package struct DailyReminders: Sendable {
    package var relay: SMTPRelay
    package var from: MailAddress
    package var hour: Int
    package var minute: Int

    package init(relay: SMTPRelay, from: MailAddress, hour: Int, minute: Int) {
      self.relay = relay
      self.from = from
      self.hour = hour
      self.minute = minute
    }
  }

  package var workspace: Workspace
  /// `--database` (or `$ACCORD_DATABASE`): the PostgreSQL connection string the server keeps
  /// its clients in instead of `workspace`'s folder; nil for the folder. Parsed and opened
  /// by the server, so that no command links the database's driver for it.
  package var database: String?
  package var host: String
  package var port: Int
  package var behindProxy: Bool
  /// Seconds a client may take to send a request.
  package var requestTimeout: Int
  package var connectionsPerAddress: Int
  /// Nil without `--smtp`: the server mails nothing.
  package var reminders: DailyReminders?
  /// The firm's key, from the file `accord certificate` reads (`FirmSeal.serverKey`), for
  /// the certificates the API issues; nil when this user has none. Never logged or served:
  /// only its public half leaves the server.
  package var firmKey: FirmKey?
  /// Where people reach the server (`--url`, else `$ACCORD_URL`), without a trailing slash,
  /// for the sign-in links it mails; nil: the address it listens on.
  package var url: String?

  package init(
    workspace: Workspace, host: String, port: Int, behindProxy: Bool, requestTimeout: Int, connectionsPerAddress: Int,
    reminders: DailyReminders?, database: String? = nil, firmKey: FirmKey? = nil, url: String? = nil
  ) {
    self.firmKey = firmKey
    self.url = url
    self.database = database
    self.workspace = workspace
    self.host = host
    self.port = port
    self.behindProxy = behindProxy
    self.requestTimeout = requestTimeout
    self.connectionsPerAddress = connectionsPerAddress
    self.reminders = reminders
  }
}
