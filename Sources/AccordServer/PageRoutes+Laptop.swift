import Foundation
import Hummingbird
import WorkspaceStore

/// The page a mailed `accord login` link opens (`/sign-in/laptop/SECRET`): it asks whether to
/// sign the laptop in, and its button approves the waiting login, whose next poll takes a
/// token (`APIRoutes+Login`). It opens no browser session.
///
/// A GET never approves (mail scanners fetch links); the POST carries the link's secret in
/// its body, which no other site can know, as the sign-in form does. Failed tries count
/// against the address and the link in `SignInLimiter`; the secret is never logged.
extension PageRoutes {
  /// GET /sign-in/laptop/SECRET: whom the link signs in, the check its laptop printed, and
  /// a button.
  func laptopPage(_ request: Request, _ context: WebContext) async throws -> Response {
    let secret = context.parameters.get("secret") ?? ""
    try limit(request, context, link: secret)
    do {
      let (person, check) = try await server.keeper.book().laptopLink(secret: secret, now: Date())
      struct View {
        var person: String
        var check: String?
        var secret: String
      }
      let view = View(person: person, check: check.isEmpty ? nil : check, secret: secret)
      return Self.html(.ok, PageTemplates.page("sign-in-laptop", title: "Sign in your laptop", chrome: nil, view))
    } catch let problem as AccessBook.LinkProblem {
      throw laptopFailure(problem, request, context, link: secret)
    }
  }

  /// POST /sign-in/laptop: approves the login the link was mailed for, once.
  func approveLaptop(_ request: Request, _ context: WebContext) async throws -> Response {
    let secret = try await form(request, context).secret ?? ""
    try limit(request, context, link: secret)
    let now = Date()
    do {
      let person = try await server.keeper.update { book in try book.approveLaptop(linkSecret: secret, now: now) }
      server.logger.info("accord login: \(person) approved a laptop's sign-in in a browser")
    } catch let problem as AccessBook.LinkProblem {
      throw laptopFailure(problem, request, context, link: secret)
    }
    return Self.html(
      .ok,
      PageTemplates.page(
        "message", title: "Laptop signed in", chrome: nil,
        Message(
          heading: "Your laptop is signed in",
          lines: ["Your laptop is signed in; you can close this page. accord login finishes there in a moment."])))
  }

  /// The problem with a laptop link, counted as a failure of the request's address and of the link.
  private func laptopFailure(
    _ problem: AccessBook.LinkProblem, _ request: Request, _ context: WebContext, link: String
  ) -> Answer {
    server.limiter.failed(address: server.address(of: request, context: context), link: link, now: Date())
    return switch problem {
    case .unknown:
      Self.message(
        .notFound, "Unknown link", ["This sign-in link is not one Accord knows. Run accord login again for a new one."])
    case .used:
      Self.message(
        .gone, "Link already used",
        ["This link has signed a laptop in already; each works once. Run accord login again to sign in another."])
    case .expired:
      Self.message(
        .gone, "Link expired",
        ["This sign-in link has run out, or wrong codes were typed for it. Run accord login again for a new one."])
    case .noAccess:
      Self.message(.gone, "Access withdrawn", ["The access this link was for has been withdrawn."])
    }
  }
}
