import AccordKit
import AccordRemote
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension Accord.Login {
  /// How often the laptop asks whether its link was approved.
  static let pollInterval: Duration = .seconds(2)

  /// Asks the server to mail `person` a link and a code, then waits for whichever comes
  /// first: the link approved in a browser (asked every `pollInterval`), or, on a terminal,
  /// the code typed. The server says when the request has run out; the wait never outlasts
  /// its lifetime by more than a minute, whatever the server says, measured on this
  /// laptop's clock (which may differ from the server's).
  func signIn(_ person: String, at target: Remote) async throws -> HTTPRemote.SignIn {
    let asked = try await HTTPRemote.requestCode(at: target.url, for: person)
    let terminal = isatty(STDIN_FILENO) == 1
    guard let text = asked.request, let request = LoginRequest(text) else {
      // A server from before mailed links sends a code alone.
      return try await Self.typedCodeAlone(person, at: target, terminal: terminal)
    }
    // With --json, nothing but the final JSON: no prompt, so the link alone.
    let typing = terminal && !output.json
    if !output.json {
      let until = Timestamp.format(request.expiresAt)
      printError(
        typing
          ? "A sign-in link was mailed to \(person): open it, or type the code it shows."
          : "A sign-in link was mailed to \(person): open it to sign in.")
      printError("Its page shows the check \(request.check). Waiting until \(until) (Ctrl-C stops).")
    }
    let (base, deadline) = (target.url, Date().addingTimeInterval(AccessBook.codeLifetime + 60))
    /// The sign-in, and whether the link brought it (rather than a code typed).
    typealias Outcome = (signIn: HTTPRemote.SignIn, byLink: Bool)
    let outcome = try await withThrowingTaskGroup(of: Outcome?.self, returning: Outcome?.self) { group in
      group.addTask { (try await Self.waitForLink(text, person: person, at: base, until: deadline), true) }
      if typing { group.addTask { await Self.typedCode(person, at: base).map { ($0, false) } } }
      while let outcome = try await group.next() {
        if let outcome {
          group.cancelAll()
          return outcome
        }
      }
      return nil
    }
    guard let outcome else { throw UsageError("no sign-in came for \(person); nothing was kept") }
    // The prompt is left waiting when the link comes first.
    if typing, outcome.byLink { FileHandle.standardError.write(Data("\n".utf8)) }
    return outcome.signIn
  }

  /// Polls until the request's link is approved; a moment without the network is waited
  /// out, a 401 (the request spent or run out) ends the wait.
  private static func waitForLink(
    _ request: String, person: String, at base: URL, until deadline: Date
  ) async throws -> HTTPRemote.SignIn {
    while true {
      do {
        if let answer = try await HTTPRemote.poll(request: request, for: person, at: base) { return answer }
      } catch {
        if !isMomentary(error) || Date() > deadline { throw error }
      }
      if Date() > deadline {
        throw UsageError("the sign-in link mailed to \(person) was not opened in time; nothing was kept")
      }
      try await Task.sleep(for: pollInterval)
    }
  }

  /// Whether `error` is the network away for a moment (no answer), not the server's no.
  private static func isMomentary(_ error: any Error) -> Bool {
    if case .unreachable? = error as? RemoteFailure { return true }
    return false
  }

  /// The codes typed at the terminal, each exchanged as it comes; a wrong one is said and
  /// another awaited. Nil at the end of input (Ctrl-D) or when the link came first.
  private static func typedCode(_ person: String, at base: URL) async -> HTTPRemote.SignIn? {
    FileHandle.standardError.write(Data("Code: ".utf8))
    for await line in typedLines() {
      let code = line.trimmingCharacters(in: .whitespacesAndNewlines)
      if !code.isEmpty {
        do {
          return try await HTTPRemote.exchange(code: code, for: person, at: base)
        } catch {
          FileHandle.standardError.write(Data((said(error) + "\n").utf8))
        }
      }
      FileHandle.standardError.write(Data("Code (or open the link): ".utf8))
    }
    return nil
  }

  /// The server's sentence for a refused code, or why it could not be asked.
  private static func said(_ error: any Error) -> String {
    switch error as? RemoteFailure {
    case let .answered(_, _, message, _)?: message
    case let .unreachable(reason)?: reason
    case nil: "\(error)"
    }
  }

  /// Standard input's lines, read on a thread of their own: a read blocks until a line
  /// comes, and must not hold up the wait for the link.
  private static func typedLines() -> AsyncStream<String> {
    AsyncStream { continuation in
      let reader = Thread {
        while let line = readLine() { continuation.yield(line) }
        continuation.finish()
      }
      reader.start()
    }
  }

  /// Signing in by a code alone, at a server from before mailed links: typed at the prompt.
  private static func typedCodeAlone(
    _ person: String, at target: Remote, terminal: Bool
  ) async throws -> HTTPRemote.SignIn {
    guard terminal else {
      throw UsageError(
        "a one-time code was mailed to \(person), but there is no terminal to type it at",
        hint: "  give it with: accord login \(target.name) --person \(person) --code CODE")
    }
    FileHandle.standardError.write(Data("A one-time code was mailed to \(person). Code: ".utf8))
    let typed = readLine()?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    guard !typed.isEmpty else { throw UsageError("no code typed; nothing was kept") }
    return try await HTTPRemote.exchange(code: typed, for: person, at: target.url)
  }
}
