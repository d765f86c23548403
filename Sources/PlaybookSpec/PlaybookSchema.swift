/// A JSON Schema (draft 2020-12) of a playbook, for editors: with it, an editor such as VS
/// Code's YAML extension flags an unknown key, a missing one, a malformed id or interval, as
/// it is typed, and offers the keys a mapping allows.
///
/// It is built from the model the decoder reads with: the keys of every mapping come from
/// `PlaybookKeys`, the decoder's own lists, and the syntax of ids, intervals, quorums and
/// choices from `Identifier`, `Interval`, `Quorum` and the enums, so that the schema and
/// the decoder cannot drift apart. `accord schema` prints `text`; the copy checked in as
/// `playbooks/playbook.schema.json` is tested to be the same bytes.
///
/// A schema sees one value at a time, so it catches what the decoder catches (the shape of
/// the file) but not what the validator does across the playbook: whether a reference
/// names something defined, whether `needs` form a cycle, whether a gate can ever open.
/// `accord validate` remains the judge; the schema is a first, faster opinion.
///
/// What the schema sees is YAML read as JSON: an unquoted `2024` or `true` is a number or a
/// boolean there, while the decoder reads every scalar as its text, so ids, texts and
/// references accept numbers and booleans too rather than flag a playbook the decoder takes.
public enum PlaybookSchema {
  /// The schema as JSON: keys sorted, two spaces of indent, a final newline; the same bytes
  /// on every run and every platform.
  public static var text: String {
    var text = ""
    document.write(to: &text, indent: "")
    return text + "\n"
  }

  /// A JSON value, just enough of one to write a schema with stable bytes.
  public indirect enum Value: Sendable, Equatable, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
  {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case array([Value])
    case object([String: Value])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
      self = .object(Dictionary(elements) { first, _ in first })
    }

    /// A list of strings, such as the keys of a `required`.
    static func strings(_ strings: [String]) -> Value { .array(strings.map(Value.string)) }

    /// Writes the value as pretty JSON. Keys are sorted by their UTF-8 bytes, so that the
    /// order never depends on a locale or on how a dictionary happens to hash.
    func write(to text: inout String, indent: String) {
      let inner = indent + "  "
      switch self {
      case .string(let string):
        Self.writeString(string, to: &text)
      case .integer(let integer):
        text += String(integer)
      case .boolean(let boolean):
        text += boolean ? "true" : "false"
      case .array(let items):
        guard !items.isEmpty else {
          text += "[]"
          return
        }
        text += "[\n"
        for (index, item) in items.enumerated() {
          text += inner
          item.write(to: &text, indent: inner)
          text += index == items.count - 1 ? "\n" : ",\n"
        }
        text += indent + "]"
      case .object(let members):
        guard !members.isEmpty else {
          text += "{}"
          return
        }
        text += "{\n"
        let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, key) in keys.enumerated() {
          text += inner
          Self.writeString(key, to: &text)
          text += ": "
          members[key]?.write(to: &text, indent: inner)
          text += index == keys.count - 1 ? "\n" : ",\n"
        }
        text += indent + "}"
      }
    }

    private static func writeString(_ string: String, to text: inout String) {
      text += "\""
      for scalar in string.unicodeScalars {
        switch scalar {
        case "\"": text += "\\\""
        case "\\": text += "\\\\"
        case "\n": text += "\\n"
        case "\r": text += "\\r"
        case "\t": text += "\\t"
        case _ where scalar.value < 0x20:
          let hex = String(scalar.value, radix: 16)
          text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: text.unicodeScalars.append(scalar)
        }
      }
      text += "\""
    }
  }

  /// Where the shared definitions are, for `$ref`.
  static func reference(_ name: String) -> Value { ["$ref": .string("#/$defs/\(name)")] }

  /// A mapping that allows exactly `keys` (unknown keys are what a typo makes) with the
  /// schema of each key's value from `values`, the decoder's key list deciding which keys.
  static func mapping(
    _ keys: PlaybookKeys.Keys, description: String, values: [String: Value], besides: [String: Value] = [:]
  ) -> Value {
    var properties: [String: Value] = [:]
    for key in keys.all {
      properties[key] = values[key] ?? true
    }
    var schema: [String: Value] = [
      "type": "object",
      "description": .string(description),
      "properties": .object(properties),
      "additionalProperties": false,
    ]
    if !keys.required.isEmpty { schema["required"] = .strings(keys.required) }
    schema.merge(besides) { _, new in new }
    return .object(schema)
  }

  /// A list of `item`, with at least `minimum` of them.
  static func list(of item: String, minimum: Int = 0) -> Value {
    var schema: [String: Value] = ["type": "array", "items": reference(item)]
    if minimum > 0 { schema["minItems"] = .integer(minimum) }
    return .object(schema)
  }

  /// One of the raw values of a fixed set of words, such as `higher` or `lower`.
  static func choice<Choice: RawRepresentable & CaseIterable>(_: Choice.Type, description: String) -> Value
  where Choice.RawValue == String {
    ["type": "string", "description": .string(description), "enum": .strings(Choice.allCases.map(\.rawValue))]
  }

  /// A regular expression for the whole numbers 1 to `maximum` as written in decimal, without
  /// leading zeros: `[1-9]|[1-9][0-9]|100` for 100. An interval's count has a ceiling that a
  /// schema can only check as text, since `10d` is a string.
  static func wholeNumbers(upTo maximum: Int) -> String {
    let digits = Array(String(maximum)).compactMap(\.wholeNumberValue)
    var alternatives: [String] = []
    // Every number with fewer digits.
    if digits.count > 1 {
      alternatives.append(digits.count == 2 ? "[1-9]" : "[1-9][0-9]{0,\(digits.count - 2)}")
    }
    // As many digits: the same first `index` digits as the maximum, a smaller one at
    // `index`, anything after.
    for index in digits.indices {
      let lowest = index == 0 ? 1 : 0
      let highest = digits[index] - 1
      guard highest >= lowest else { continue }
      let prefix = digits[..<index].map(String.init).joined()
      let range = highest == lowest ? "\(lowest)" : "[\(lowest)-\(highest)]"
      let rest = digits.count - index - 1
      let tail = rest == 0 ? "" : rest == 1 ? "[0-9]" : "[0-9]{\(rest)}"
      alternatives.append(prefix + range + tail)
    }
    alternatives.append(String(maximum))
    return alternatives.joined(separator: "|")
  }

  /// The letters, digits, `-` and `_` of `Identifier`, not starting with `-`.
  static var identifierPattern: String {
    "^[A-Za-z0-9_][A-Za-z0-9_-]{0,\(Identifier.maximumLength - 1)}$"
  }

  static var intervalPattern: String {
    let units = Interval.Unit.allCases.map(\.rawValue).joined(separator: "|")
    return "^(\(wholeNumbers(upTo: Interval.maximumCount)))(\(units))$"
  }

  static var quorumPattern: String {
    "^(\(Quorum.all)|(\(wholeNumbers(upTo: Quorum.shares.upperBound)))%)$"
  }

  /// The whole schema.
  static var document: Value {
    let definitions: [String: Value] = [
      "id": [
        "description": "An id: letters, digits, '-' and '_', at most \(Identifier.maximumLength) characters, not starting with '-'.",
        "type": ["string", "integer", "boolean"],
        "pattern": .string(identifierPattern),
        "minimum": 0,
      ],
      "text": [
        "description": "Text a person reads; it must say something.",
        "type": ["string", "number", "boolean"],
        "pattern": "\\S",
      ],
      "reference": [
        "description": "The id of something the playbook defines: `accord validate` checks that it does.",
        "type": ["string", "number", "boolean"],
      ],
      "references": [
        "description": "Ids, each once.",
        "type": "array",
        "items": reference("reference"),
        "uniqueItems": true,
      ],
      "interval": [
        "description": .string("A length of time: \(Interval.syntax), at most \(Interval.maximumCount)."),
        "type": "string",
        "pattern": .string(intervalPattern),
      ],
      "quantity": [
        "description": .string("\(Quantity.syntax), unquoted."),
        "type": "number",
      ],
      "roles": [
        "description": "Role ids mapped to their titles, in the order people see them; the consultant's is required.",
        "type": "object",
        "propertyNames": reference("id"),
        "additionalProperties": reference("text"),
        "required": .strings([consultantRole]),
      ],
      "titled-ids": [
        "description": "Ids mapped to their texts, in the order people see them; at least one.",
        "type": "object",
        "minProperties": 1,
        "propertyNames": reference("id"),
        "additionalProperties": reference("text"),
      ],
      "stage": mapping(
        PlaybookKeys.stage, description: "A step of the programme, open once every earlier one is complete.",
        values: [
          "id": reference("id"), "title": reference("text"), "description": reference("text"),
          "milestones": list(of: "milestone", minimum: 1), "agreements": list(of: "agreement"),
          "gate": reference("gate"), "target": reference("interval"),
        ]),
      "milestone": mapping(
        PlaybookKeys.milestone, description: "Work a role does; it may recur, every interval for a number of times or until another milestone.",
        values: [
          "id": reference("id"), "title": reference("text"), "description": reference("text"),
          "owner": reference("reference"), "needs": reference("references"), "gate": reference("gate"),
          "evidence": choice(Evidence.self, description: "What completing it needs."),
          "due": reference("interval"), "every": reference("interval"),
          "times": [
            "description": "How many times it recurs.", "type": "integer",
            "minimum": 1, "maximum": .integer(Recurrence.maximumTimes),
          ],
          "until": reference("reference"),
        ],
        besides: [
          // `times` and `until` only with `every`, and `every` with exactly one of them.
          "dependentRequired": ["times": ["every"], "until": ["every"]],
          "dependentSchemas": ["every": ["oneOf": [["required": ["times"]], ["required": ["until"]]]]],
        ]),
      "agreement": mapping(
        PlaybookKeys.agreement, description: "Terms the signatory roles sign, each once.",
        values: [
          "id": reference("id"), "title": reference("text"), "terms": reference("text"),
          "signatories": [
            "description": "The roles that must sign, each once; at least one.", "type": "array",
            "items": reference("reference"), "uniqueItems": true, "minItems": 1,
          ],
          "needs": reference("references"), "due": reference("interval"), "targets": reference("targets"),
          "acknowledged-by": reference("acknowledged-by"),
        ]),
      "targets": [
        "description": "Metric ids mapped to the values the agreement commits to.",
        "type": "object",
        "additionalProperties": reference("quantity"),
      ],
      "acknowledged-by": mapping(
        PlaybookKeys.acknowledgement, description: "The teams whose people must each acknowledge the terms.",
        values: [
          "teams": [
            "description": "Teams of the roster, each once; at least one.", "type": "array",
            "items": reference("reference"), "uniqueItems": true, "minItems": 1,
          ],
          "quorum": [
            "description": .string("How much of each team must acknowledge: \(Quorum.syntax); all by default."),
            "type": "string", "pattern": .string(quorumPattern),
          ],
        ]),
      "gate": mapping(
        PlaybookKeys.gate, description: "What keeps a stage or milestone closed; it must name at least one thing.",
        values: Dictionary(uniqueKeysWithValues: PlaybookKeys.gate.all.map { ($0, reference("references")) }),
        besides: [
          "anyOf": .array(
            PlaybookKeys.gate.all.map { key in
              ["required": .strings([key]), "properties": [key: ["minItems": 1]]]
            })
        ]),
      "metric": mapping(
        PlaybookKeys.metric, description: "A number both teams agree to live by.",
        values: [
          "id": reference("id"), "title": reference("text"), "description": reference("text"),
          "unit": reference("text"),
          "better": choice(Metric.Better.self, description: "Which way is better."),
          "format": choice(Metric.Format.self, description: "What a reading may look like; number by default."),
          "min": reference("quantity"), "max": reference("quantity"), "every": reference("interval"),
          "owner": reference("reference"),
          "opportunity": choice(Metric.OpportunityInput.self, description: "The opportunity calculator's input a reading gives."),
        ]),
      "survey": mapping(
        PlaybookKeys.survey, description: "The collaboration survey.",
        values: [
          "teams": reference("titled-ids"), "levels": reference("titled-ids"),
          "dimensions": list(of: "dimension", minimum: 1), "scale": reference("scale"),
          "anonymity": [
            "description": "The fewest answers a group's results are shown for.", "type": "integer", "minimum": 1,
          ],
        ]),
      "scale": mapping(
        PlaybookKeys.scale, description: "The answers' range: whole numbers, max 1 to 100 above min.",
        values: ["min": ["type": "integer"], "max": ["type": "integer"]]),
      "dimension": mapping(
        PlaybookKeys.dimension, description: "A dimension of the survey and its statements.",
        values: [
          "id": reference("id"), "title": reference("text"), "description": reference("text"),
          "statements": reference("titled-ids"),
        ]),
    ]
    return mapping(
      PlaybookKeys.playbook,
      description: "An Accord playbook (see docs/playbook.md). Written by `accord schema`; `accord validate` checks what a schema cannot, such as references and cycles.",
      values: [
        "playbook": reference("id"),
        "version": ["description": "Raised whenever the playbook changes.", "type": "integer", "minimum": 1],
        "title": reference("text"), "description": reference("text"), "roles": reference("roles"),
        "stages": list(of: "stage", minimum: 1), "survey": reference("survey"), "metrics": list(of: "metric"),
        "teams": reference("titled-ids"), "levels": reference("titled-ids"),
      ],
      besides: [
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Accord playbook",
        "$defs": .object(definitions),
      ])
  }
}
