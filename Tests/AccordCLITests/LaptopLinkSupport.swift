import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

// `accord login`'s mailed link as a person meets it: read from the mail, opened in a
// browser (a GET), and approved with the page's own form (a POST), as a browser sends it.

/// A sign-in mail: its link and its code.
struct MailedSignIn {
  var link: URL
  var code: String
  /// The message as it came, soft line breaks undone.
  var body: String
}

/// The first sign-in mail `sink` took after its first `already` messages, within `wait` seconds.
func mailedSignIn(_ sink: SMTPSink, after already: Int, wait: Double = 20) async throws -> MailedSignIn? {
  let deadline = Date().addingTimeInterval(wait)
  // Looked for once more after the deadline: a suite that keeps every thread busy can wake
  // this loop long after the mail came, and past the deadline.
  var last = false
  while !last {
    last = Date() >= deadline
    if let message = sink.messages.dropFirst(already).first(where: { $0.data.contains("sign-in code") }) {
      let body = message.data.replacingOccurrences(of: "=\r\n", with: "")
      let link = try #require(body.firstMatch(of: /(https?:\/\/\S+\/sign-in\/laptop\/[A-Za-z0-9_-]{43})/))
      let after = try #require(body.range(of: "asks for it:"), "\(body)")
      let code = try #require(body[after.upperBound...].firstMatch(of: /\b([A-HJ-KMNP-Z2-9]{5}-[A-HJ-KMNP-Z2-9]{5})\b/))
      return MailedSignIn(link: try #require(URL(string: String(link.1))), code: String(code.1), body: body)
    }
    if !last { try await Task.sleep(for: .milliseconds(50)) }
  }
  return nil
}

/// What a browser sees of the link: the page, and the form on it (its action and hidden fields).
struct LinkPage {
  var answer: ServedWorkspace.Answer
  var action: String?
  var fields: [String: String]
}

/// GETs the link as a browser (or a mail scanner) does.
func openLink(_ link: URL) async throws -> LinkPage {
  let answer = try await get(link, link.absoluteString)
  let action = answer.body.firstMatch(of: /<form method="post" action="([^"]+)">/).map { String($0.1) }
  var fields: [String: String] = [:]
  for match in answer.body.matches(of: /<input type="hidden" name="([a-z]+)" value="([^"]*)">/) {
    fields[String(match.1)] = String(match.2)
  }
  return LinkPage(answer: answer, action: action, fields: fields)
}

/// POSTs `fields`, form-encoded, to `path` at `base`, as a browser sends a form.
func postForm(_ base: URL, _ path: String, _ fields: [String: String]) async throws -> ServedWorkspace.Answer {
  var request = URLRequest(url: URL(string: path, relativeTo: base)!)
  request.httpMethod = "POST"
  request.httpShouldHandleCookies = false
  request.timeoutInterval = 60
  request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
  var allowed = CharacterSet.alphanumerics
  allowed.insert(charactersIn: "-_.~")
  let body = fields.sorted { $0.key < $1.key }.map {
    "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
  }
  request.httpBody = Data(body.joined(separator: "&").utf8)
  let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
  defer { session.finishTasksAndInvalidate() }
  let (data, response) = try await session.data(for: request)
  return .init(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
}

/// Opens the link and presses its button: the page's form, sent back as it is.
func approveInBrowser(_ link: URL) async throws -> ServedWorkspace.Answer {
  let page = try await openLink(link)
  #expect(page.answer.status == 200, "\(page.answer.body)")
  let action = try #require(page.action, "no form on \(page.answer.body)")
  return try await postForm(link, action, page.fields)
}
