/// A certificate as a file: JSON (the sealed value itself), Markdown or HTML. The Markdown
/// and HTML forms are a readable text rendered from the certificate, with the sealed JSON
/// embedded at the end; `accord verify` renders the text again from the embedded JSON and
/// compares, so an edit to what a person reads is caught as surely as one to the JSON.
public enum CertificateFormat: String, Sendable, CaseIterable {
  case md, json, html
}
