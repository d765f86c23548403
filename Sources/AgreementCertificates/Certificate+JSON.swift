extension Certificate {
  /// The certificate as JSON, without the seal: the content the seal is made over.
  public var value: JSONValue {
    func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    return .object([
      "format": .string(Self.format),
      "client": .object(["id": .string(client.id), "name": .string(client.name), "uid": .string(client.uid)]),
      "playbook": .object([
        "id": .string(playbook.id), "version": .integer(playbook.version), "sha256": .string(playbook.sha256),
      ]),
      "agreement": .object(agreementFields),
      "signatures": .array(
        signatures.map {
          var fields: [String: JSONValue] = [
            "role": .string($0.role), "person": .string($0.person), "at": .string($0.at), "note": text($0.note),
            "terms": text($0.terms), "enteredBy": .string($0.enteredBy), "onBehalfOf": text($0.onBehalfOf),
          ]
          // Only when present: a certificate without it has exactly the content it always had.
          if let printer = $0.printedBy { fields["printedBy"] = .string(printer) }
          if let holder = $0.heldBy { fields["heldBy"] = .string(holder) }
          if let affirmed = $0.affirmedAt { fields["affirmedAt"] = .string(affirmed) }
          return .object(fields)
        }),
      "unsigned": .array(unsigned.map(JSONValue.string)),
      "chainHead": .string(chainHead),
      "issuedAt": .string(issuedAt),
      "issuedBy": .string(issuedBy),
      "key": .string(key),
    ])
  }

  /// The agreement's fields; `targets` only when it has some, so that a certificate of an
  /// agreement without targets has exactly the content it always had.
  private var agreementFields: [String: JSONValue] {
    var fields: [String: JSONValue] = [
      "id": .string(agreement.id), "title": .string(agreement.title),
      "terms": agreement.terms.map(JSONValue.string) ?? .null,
      "signatories": .array(agreement.signatories.map(JSONValue.string)),
      "termsHash": .string(agreement.termsHash),
    ]
    if !agreement.targets.isEmpty {
      fields["targets"] = .array(
        agreement.targets.map { .object(["metric": .string($0.metric), "value": .string($0.value)]) })
    }
    return fields
  }

  /// Reads a certificate's content from its JSON; the problem names the first field that
  /// is missing or of the wrong kind.
  public init(_ value: JSONValue) throws(CertificateFormatError) {
    let reader = FieldReader(value: value, path: "")
    guard try reader.string("format") == Self.format else {
      throw CertificateFormatError("'format' is not \(Self.format)")
    }
    let client = try reader.object("client")
    let playbook = try reader.object("playbook")
    let agreement = try reader.object("agreement")
    self.client = Client(id: try client.string("id"), name: try client.string("name"), uid: try client.string("uid"))
    self.playbook = PlaybookReference(
      id: try playbook.string("id"), version: try playbook.integer("version"), sha256: try playbook.string("sha256"))
    self.agreement = AgreementTerms(
      id: try agreement.string("id"), title: try agreement.string("title"),
      terms: try agreement.optionalString("terms"), signatories: try agreement.strings("signatories"),
      termsHash: try agreement.string("termsHash"),
      targets: try agreement.absentOrObjects("targets").map { target throws(CertificateFormatError) in
        AgreementTerms.Target(metric: try target.string("metric"), value: try target.string("value"))
      })
    var signatures: [SignatureEntry] = []
    for entry in try reader.objects("signatures") {
      var signature = SignatureEntry(
        role: try entry.string("role"), person: try entry.string("person"), at: try entry.string("at"),
        note: try entry.optionalString("note"), terms: try entry.optionalString("terms"),
        enteredBy: try entry.string("enteredBy"), onBehalfOf: try entry.optionalString("onBehalfOf"),
        printedBy: try entry.absentOrString("printedBy"))
      signature.heldBy = try entry.absentOrString("heldBy")
      signature.affirmedAt = try entry.absentOrString("affirmedAt")
      signatures.append(signature)
    }
    self.signatures = signatures
    unsigned = try reader.strings("unsigned")
    chainHead = try reader.string("chainHead")
    issuedAt = try reader.string("issuedAt")
    issuedBy = try reader.string("issuedBy")
    key = try reader.string("key")
  }
}

/// Reads typed fields from a JSON object, naming the field (with its path) that is wrong.
private struct FieldReader {
  var value: JSONValue
  var path: String

  private func field(_ key: String) throws(CertificateFormatError) -> JSONValue {
    guard case let .object(fields) = value else { throw CertificateFormatError("'\(path)' is not an object") }
    guard let field = fields[key] else { throw CertificateFormatError("'\(path + key)' is missing") }
    return field
  }

  private func wrong(_ key: String, _ kind: String) -> CertificateFormatError {
    CertificateFormatError("'\(path + key)' is not \(kind)")
  }

  func string(_ key: String) throws(CertificateFormatError) -> String {
    guard case let .string(text) = try field(key) else { throw wrong(key, "text") }
    return text
  }

  func optionalString(_ key: String) throws(CertificateFormatError) -> String? {
    switch try field(key) {
    case let .string(text): return text
    case .null: return nil
    default: throw wrong(key, "text or null")
    }
  }

  /// A key that may be missing (a certificate from before it): its text, else nil.
  func absentOrString(_ key: String) throws(CertificateFormatError) -> String? {
    guard case let .object(fields) = value else { throw CertificateFormatError("'\(path)' is not an object") }
    guard let field = fields[key] else { return nil }
    guard case let .string(text) = field else { throw wrong(key, "text") }
    return text
  }

  func integer(_ key: String) throws(CertificateFormatError) -> Int {
    guard case let .integer(number) = try field(key) else { throw wrong(key, "a whole number") }
    return number
  }

  func strings(_ key: String) throws(CertificateFormatError) -> [String] {
    guard case let .array(items) = try field(key) else { throw wrong(key, "a list of texts") }
    var texts: [String] = []
    for item in items {
      guard case let .string(text) = item else { throw wrong(key, "a list of texts") }
      texts.append(text)
    }
    return texts
  }

  func object(_ key: String) throws(CertificateFormatError) -> FieldReader {
    let value = try field(key)
    guard case .object = value else { throw wrong(key, "an object") }
    return FieldReader(value: value, path: path + key + ".")
  }

  /// A list of objects that may be missing (a certificate from before it): empty then.
  func absentOrObjects(_ key: String) throws(CertificateFormatError) -> [FieldReader] {
    guard case let .object(fields) = value else { throw CertificateFormatError("'\(path)' is not an object") }
    guard fields[key] != nil else { return [] }
    return try objects(key)
  }

  func objects(_ key: String) throws(CertificateFormatError) -> [FieldReader] {
    guard case let .array(items) = try field(key) else { throw wrong(key, "a list") }
    var readers: [FieldReader] = []
    for (position, item) in items.enumerated() {
      guard case .object = item else { throw wrong(key, "a list of objects") }
      readers.append(FieldReader(value: item, path: path + key + "[\(position)]."))
    }
    return readers
  }
}
