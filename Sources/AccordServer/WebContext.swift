import Foundation
import Hummingbird
import NIOCore
import WorkspaceStore

/// The context of one request to `accord serve`: Hummingbird's own, the peer's address, and
/// who is asking, once `AccessGate` has looked at the request's credentials.
struct WebContext: RequestContext, RemoteAddressRequestContext {
  var coreContext: CoreRequestContextStorage
  let remoteAddress: SocketAddress?
  /// The signed-in person, or nil for a request without valid credentials.
  var viewer: Viewer?

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress
  }

  /// Requests are small forms and JSON bodies; anything larger is refused (413) unread.
  var maxUploadSize: Int { WebLimits.bodyBytes }
}

enum WebLimits {
  /// The largest request body the server reads.
  static let bodyBytes = 64 * 1024
}

/// Who a request acts as, and how they proved it.
struct Viewer: Sendable {
  var person: String
  /// The clients this request may see: the person's grants, narrowed by a token's client.
  var scope: AccessScope
  var credential: Credential
  /// Who printed the sign-in link this browser session began from, when it was printed for
  /// `person` by someone else (`accord invite --print`); every change it makes records them.
  var printedBy: String?

  enum Credential: Sendable {
    /// A browser session; `secret` is the cookie's value, from which the CSRF token derives.
    case session(secret: String)
    /// An API token, by its public id.
    case token(id: String)
  }

  /// Whether this request may see `client`.
  func sees(_ client: String) -> Bool { scope.includes(client) }

  /// Whether the person has firm access (the portfolio).
  var isFirm: Bool { scope == .firm }
}
