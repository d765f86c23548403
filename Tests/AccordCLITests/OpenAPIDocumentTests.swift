import Foundation
import Testing

@testable import AccordCLI
@testable import AccordServer

/// docs/openapi.json: a valid OpenAPI 3.1 document, the very bytes the server answers with,
/// and true to the server (Schemathesis drives the built server from it).
@Suite("Web API: the OpenAPI document", .serialized)
struct OpenAPIDocumentTests {
  static let file = AccordBinary.packageRoot.appendingPathComponent("docs/openapi.json")

  @Test func theServedCopyIsTheCheckedInFile() throws {
    let checkedIn = try String(contentsOf: Self.file, encoding: .utf8)
    #expect(
      OpenAPIDocument.text == checkedIn,
      "docs/openapi.json changed: run scripts/embed-openapi to serve the new text")
  }

  @Test func theDocumentIsValidOpenAPI() throws {
    let run = try Self.run("/usr/bin/env", ["python3", "-m", "openapi_spec_validator", Self.file.path])
    #expect(run.status == 0, "python3 -m openapi_spec_validator (pip install openapi-spec-validator): \(run.output)")
  }

  /// Schemathesis generates requests from the document (its examples, the edges of every
  /// schema, and random data, valid and not) and sends them to the built server with a
  /// firm token: no answer may be a 5xx, and every answer must be one the document
  /// describes, with the status, content type and schema it gives. Never skipped: a
  /// machine without `schemathesis` fails here (scripts/test installs it).
  @Test func schemathesisFindsNothingAgainstTheBuiltServer() throws {
    let space = try APIWorkspace()
    try space.seed()
    try Self.addDates(to: space)
    let token = try space.token(for: "alice").token
    let served = try ServedWorkspace(space)
    let report = space.accord.folder.appendingPathComponent("schemathesis")
    let run = try Self.run(
      "/usr/bin/env", in: space.accord.folder,
      [
        "schemathesis", "run", Self.file.path, "--url", served.base.absoluteString,
        "--header", "Authorization: Bearer \(token)",
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
          + "negative_data_rejection,ignored_auth,unsupported_method",
        "--phases", "examples,coverage,fuzzing", "--max-examples", "40", "--seed", "1",
        // One worker: Hypothesis, under schemathesis 4.32 on Python 3.11, fails with
        // "AST constructor recursion depth mismatch" when two threads describe a strategy at once.
        "--workers", "1", "--generation-database", "none", "--no-color", "--report-dir", report.path,
      ])
    #expect(run.status == 0, "schemathesis found problems (pip install schemathesis if it is missing):\n\(run.output)")
    #expect(served.stop() == .exited(0), "\(served.server.stderr.suffix(2000))")
    #expect(!served.server.stderr.contains(" 500 "), "a 500 in the server's log")
  }

  /// Dates on every kind of answer, so that the document's date keys meet real ones: acme's
  /// stakeholder map overdue since a date set (a `scheduled` event), and initech on a playbook
  /// with a stage target, a recurring milestone with one occurrence skipped (a `skipped`
  /// event) and an agreement due.
  static func addDates(to space: APIWorkspace) throws {
    let late = try space.accord("schedule", "acme", "stakeholder-map", "2020-01-02", "--reason", "promised for new year", "--force")
    #expect(late.status == 0, "\(late.stderr)")
    try WebTimeTests.start(space.accord, "initech", name: "Initech")
    #expect(try space.accord("assign", "initech", "czar", "carol").status == 0)
    let skip = try space.accord("skip", "initech", "check-in", "--reason", "the czar is on holiday", as: "carol")
    #expect(skip.status == 0, "\(skip.stderr)")
  }

  /// Runs a program to its end; returns its status and its stdout and stderr together.
  static func run(_ executable: String, in folder: URL? = nil, _ arguments: [String]) throws -> (
    status: Int32, output: String
  ) {
    let process = Process()
    // Schemathesis keeps its state in the folder it runs in: the test's, not the package.
    if let folder { process.currentDirectoryURL = folder }
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("accord-\(UUID().uuidString).out")
    FileManager.default.createFile(atPath: output.path, contents: nil)
    let handle = try FileHandle(forWritingTo: output)
    defer { try? FileManager.default.removeItem(at: output) }
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try handle.close()
    return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
  }
}
