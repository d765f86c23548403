import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

// Pages over real HTTP for the tests that run `accord serve` as a process: a sign-in with a
// link, and a GET with its session cookie or an API token, redirects not followed.

/// Refuses redirects, so that a sign-in's 303 and its Set-Cookie are seen as sent.
final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
  func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }
}

/// Signs in at `base` with the link `secret`; the session cookie's value.
func signIn(base: URL, secret: String) async throws -> String {
  var request = URLRequest(url: base.appendingPathComponent("sign-in"))
  request.httpMethod = "POST"
  request.httpShouldHandleCookies = false
  request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
  request.httpBody = Data("secret=\(secret)".utf8)
  let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
  defer { session.finishTasksAndInvalidate() }
  let (_, response) = try await session.data(for: request)
  let header = try #require((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie"))
  let pair = try #require(header.split(separator: ";").first?.split(separator: "=", maxSplits: 1))
  return String(pair.last ?? "")
}

/// GETs `path` (with its query) at `base`, with the session `cookie` or the API `token`.
func get(_ base: URL, _ path: String, cookie: String? = nil, token: String? = nil) async throws
  -> ServedWorkspace.Answer
{
  var request = URLRequest(url: URL(string: path, relativeTo: base)!)
  request.httpShouldHandleCookies = false
  request.timeoutInterval = 60
  if let cookie { request.setValue("accord_session=\(cookie)", forHTTPHeaderField: "Cookie") }
  if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
  let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
  defer { session.finishTasksAndInvalidate() }
  let (data, response) = try await session.data(for: request)
  return .init(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
}
