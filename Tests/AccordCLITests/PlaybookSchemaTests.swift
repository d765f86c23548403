import Foundation
import Testing

@testable import PlaybookSpec

/// `accord schema` and playbooks/playbook.schema.json: the checked-in copy is what the
/// command prints, its mappings allow exactly the keys the decoder does, and a real JSON
/// Schema validator (Python's `jsonschema`, reading the YAML with PyYAML) takes every
/// shipped playbook and valid fixture and rejects the invalid fixtures whose fault a
/// schema can see.
@Suite("accord schema: the playbook's JSON Schema", .serialized)
struct PlaybookSchemaTests {
  static let root = AccordBinary.packageRoot
  static let file = root.appendingPathComponent("playbooks/playbook.schema.json")
  static let fixtures = root.appendingPathComponent("Tests/Fixtures")

  /// The invalid fixtures with a fault of the shape a schema sees: an unknown or missing key,
  /// a malformed id, interval or quorum, a list or mapping that must not be empty, a value
  /// of the wrong type, a repeated reference, the consultant's role missing.
  static let rejected: Set<String> = [
    "acknowledgement-references",  // a team listed twice
    "bad-acknowledgement",
    "bad-id",
    "bad-metric-fields",
    "bad-times",
    "comments-only",  // no mapping at all
    "empty",
    "empty-lists",
    "missing-consultant-role",
    "missing-key",
    "no-signatories",
    "root-not-mapping",
    "several-problems",  // the consultant's role is missing, among faults only the validator sees
    "survey-shape",
    "unknown-evidence",
    "unknown-key-milestone",
    "unknown-key-signatories",
    "wrong-type",
  ]

  /// Invalid fixtures whose shape is sound: their fault is in what the playbook means
  /// (references that name nothing or the wrong kind, cycles, gates that never open, a
  /// duplicate id, an id reserved, a min above a max), which only `accord validate` sees.
  /// The schema must accept them: it is not stricter than the decoder.
  static let beyondASchema: Set<String> = [
    "acknowledgement-without-teams",
    "agreement-needs-later-stage",
    "bad-metric-opportunity",
    "bad-metrics",
    "bad-until",
    "duplicate-id",
    "duplicate-yaml-key",  // PyYAML keeps the last of the two keys
    "evidence-without-survey",
    "milestone-gate-never-opens",
    "needs-cycle",
    "needs-later-stage",
    "stage-gate-never-opens",
    "survey-ids",
    "unknown-agreement",
    "unknown-milestone",
    "unknown-role",
    "wrong-kind",
  ]

  /// Invalid fixtures that are not one YAML document a schema could be applied to.
  static let notADocument: Set<String> = [
    "alias-bomb", "deep-nesting", "not-utf8", "syntax-error", "two-documents",
  ]

  @Test func theCheckedInFileIsWhatAccordSchemaPrints() throws {
    let accord = try AccordBinary()
    let run = try accord("schema")
    #expect(run.status == 0, "\(run.stderr)")
    let checkedIn = try String(contentsOf: Self.file, encoding: .utf8)
    #expect(
      run.stdout == checkedIn,
      "playbooks/playbook.schema.json is stale: run accord schema --out playbooks/playbook.schema.json --force")
    #expect(run.stdout == PlaybookSchema.text)
  }

  @Test func outWritesTheFileAndReplacesItOnlyWithForce() throws {
    let accord = try AccordBinary()
    let out = accord.folder.appendingPathComponent("playbook.schema.json")
    let first = try accord("schema", "--out", out.path)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.isEmpty)
    #expect(try String(contentsOf: out, encoding: .utf8) == PlaybookSchema.text)

    try Data("stale".utf8).write(to: out)
    let again = try accord("schema", "--out", out.path)
    #expect(again.status == 73, "\(again.stderr)")
    #expect(try String(contentsOf: out, encoding: .utf8) == "stale")
    let forced = try accord("schema", "--out", out.path, "--force")
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(try String(contentsOf: out, encoding: .utf8) == PlaybookSchema.text)

    let stray = try accord("schema", "--force")
    #expect(stray.status == 64)
  }

  /// The same bytes every time: sorted keys, two-space indent, a final newline.
  @Test func theTextIsStablePrettyJSON() throws {
    let text = PlaybookSchema.text
    #expect(text == PlaybookSchema.text)
    #expect(text.hasPrefix("{\n  \"$defs\": {\n"))
    #expect(text.hasSuffix("\n}\n"))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
  }

  /// Every mapping of the schema allows exactly the keys the decoder reads, and requires
  /// the ones it requires: both come from `PlaybookKeys`, and this holds them to it.
  @Test func everyMappingAllowsExactlyTheDecodersKeys() throws {
    let schema = try #require(
      try JSONSerialization.jsonObject(with: Data(PlaybookSchema.text.utf8)) as? [String: Any])
    let definitions = try #require(schema["$defs"] as? [String: Any])
    let mappings: [(name: String, schema: [String: Any]?, keys: PlaybookKeys.Keys)] = [
      ("playbook", schema, PlaybookKeys.playbook),
      ("stage", definitions["stage"] as? [String: Any], PlaybookKeys.stage),
      ("milestone", definitions["milestone"] as? [String: Any], PlaybookKeys.milestone),
      ("agreement", definitions["agreement"] as? [String: Any], PlaybookKeys.agreement),
      ("metric", definitions["metric"] as? [String: Any], PlaybookKeys.metric),
      ("gate", definitions["gate"] as? [String: Any], PlaybookKeys.gate),
      ("acknowledged-by", definitions["acknowledged-by"] as? [String: Any], PlaybookKeys.acknowledgement),
      ("survey", definitions["survey"] as? [String: Any], PlaybookKeys.survey),
      ("scale", definitions["scale"] as? [String: Any], PlaybookKeys.scale),
      ("dimension", definitions["dimension"] as? [String: Any], PlaybookKeys.dimension),
    ]
    for mapping in mappings {
      let definition = try #require(mapping.schema, "no $defs/\(mapping.name)")
      let properties = try #require(definition["properties"] as? [String: Any])
      #expect(Set(properties.keys) == Set(mapping.keys.all), "\(mapping.name)")
      #expect((definition["required"] as? [String] ?? []) == mapping.keys.required, "\(mapping.name)")
      #expect(definition["additionalProperties"] as? Bool == false, "\(mapping.name)")
      // A key without a schema of its own would take any value.
      for (key, value) in properties {
        #expect(value is [String: Any], "\(mapping.name).\(key) has no schema")
      }
    }
  }

  @Test func theRegularExpressionsFollowTheModel() throws {
    #expect(PlaybookSchema.wholeNumbers(upTo: 100) == "[1-9][0-9]{0,1}|100")
    #expect(PlaybookSchema.wholeNumbers(upTo: 50) == "[1-9]|[1-4][0-9]|50")
    #expect(PlaybookSchema.wholeNumbers(upTo: 3650) == "[1-9][0-9]{0,2}|[1-2][0-9]{3}|3[0-5][0-9]{2}|36[0-4][0-9]|3650")
    #expect(PlaybookSchema.wholeNumbers(upTo: 9) == "[1-8]|9")
    let interval = try Regex(PlaybookSchema.intervalPattern)
    let quorum = try Regex(PlaybookSchema.quorumPattern)
    for count in [1, 9, 10, 99, 100, 999, 1000, 2999, 3000, 3649, 3650, 3651, 3700, 4000, 9999] {
      let matches = "\(count)d".wholeMatch(of: interval) != nil
      #expect(matches == (count <= Interval.maximumCount), "\(count)d")
    }
    for text in ["0d", "01d", "10", "10m", "2 weeks", "-3w", "10D"] {
      #expect(text.firstMatch(of: interval) == nil, "\(text)")
    }
    for share in 0...101 {
      let matches = "\(share)%".firstMatch(of: quorum) != nil
      #expect(matches == (Quorum(parsing: "\(share)%") != nil), "\(share)%")
    }
  }

  @Test func theBundledPlaybooksNameTheSchemaOnTheirFirstLine() throws {
    let folder = Self.root.appendingPathComponent("playbooks")
    let playbooks = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
    #expect(!playbooks.isEmpty)
    for name in playbooks {
      let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      #expect(text.hasPrefix("# yaml-language-server: $schema=./playbook.schema.json\n"), "\(name)")
    }
  }

  /// Every invalid fixture is placed: a new one must be judged for the schema too.
  @Test func everyInvalidFixtureIsPlaced() throws {
    let names = try Self.yamlFiles(in: Self.fixtures.appendingPathComponent("invalid")).map { $0.deletingPathExtension().lastPathComponent }
    #expect(Set(names) == Self.rejected.union(Self.beyondASchema).union(Self.notADocument))
    #expect(Self.rejected.isDisjoint(with: Self.beyondASchema))
  }

  @Test func shippedPlaybooksAndValidFixturesPassAJSONSchemaValidator() throws {
    let files = try Self.yamlFiles(in: Self.root.appendingPathComponent("playbooks"))
      + Self.yamlFiles(in: Self.fixtures.appendingPathComponent("valid"))
    #expect(files.count > 5)
    let results = try Self.validate(files)
    for file in files {
      let errors = results[file.lastPathComponent + "@" + file.deletingLastPathComponent().lastPathComponent]
      #expect(errors == [], "\(file.lastPathComponent): \(errors ?? ["not checked"])")
    }
  }

  @Test func theValidatorRejectsTheInvalidFixturesASchemaCanSee() throws {
    let files = try Self.yamlFiles(in: Self.fixtures.appendingPathComponent("invalid"))
      .filter { !Self.notADocument.contains($0.deletingPathExtension().lastPathComponent) }
    let results = try Self.validate(files)
    for file in files {
      let name = file.deletingPathExtension().lastPathComponent
      let errors = try #require(results[file.lastPathComponent + "@invalid"], "\(name) not checked")
      if Self.rejected.contains(name) {
        #expect(!errors.isEmpty, "\(name) passes the schema")
      } else {
        #expect(errors == [], "\(name): the schema is stricter than the decoder: \(errors)")
      }
    }
  }

  /// The `.yaml` files of a folder, sorted.
  static func yamlFiles(in folder: URL) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".yaml") }.sorted()
      .map { folder.appendingPathComponent($0) }
  }

  /// Reads each file as YAML (PyYAML's safe loader), turns it into the JSON it stands for
  /// (a date becomes its text, as the decoder reads it), and validates it against the
  /// checked-in schema with `jsonschema`'s draft 2020-12 validator, after checking the
  /// schema itself. Writes each file's errors, by "name@folder", as JSON to a file of its
  /// own, so that a warning Python prints cannot get in the way.
  static let script = """
    import json, sys, yaml
    from jsonschema import Draft202012Validator
    with open(sys.argv[1]) as handle:
        schema = json.load(handle)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    results = {}
    for path in sys.argv[3:]:
        with open(path, encoding="utf-8") as handle:
            data = json.loads(json.dumps(yaml.safe_load(handle), default=str))
        errors = ["/".join(map(str, error.absolute_path)) + ": " + error.message
                  for error in validator.iter_errors(data)]
        parts = path.split("/")
        results[parts[-1] + "@" + parts[-2]] = errors
    with open(sys.argv[2], "w") as handle:
        json.dump(results, handle)
    """

  static func validate(_ files: [URL]) throws -> [String: [String]] {
    let check = try OpenAPIDocumentTests.run("/usr/bin/env", ["python3", "-c", "import jsonschema, yaml"])
    if check.status != 0 {
      let missing = "python3 with jsonschema and PyYAML is missing (scripts/test-deps installs them): \(check.output)"
      if ProcessInfo.processInfo.environment["CI"] != "true" { try Test.cancel("\(missing)") }
      Issue.record("\(missing)")
      return [:]
    }
    let results = try AccordBinary.temporaryFolder().appendingPathComponent("results.json")
    let run = try OpenAPIDocumentTests.run(
      "/usr/bin/env", ["python3", "-c", script, Self.file.path, results.path] + files.map(\.path))
    try #require(run.status == 0, "\(run.output)")
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: results))
    return try #require(object as? [String: [String]], "\(run.output)")
  }
}
