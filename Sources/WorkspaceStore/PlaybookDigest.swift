import Crypto

/// The lowercase hex SHA-256 of a stored playbook's text, through swift-crypto (BoringSSL's
/// assembly, SHA extensions where the processor has them). Every read checks the text
/// against the fingerprint in the file, and a large playbook is hundreds of kilobytes: the
/// hand-written SHA-256 spent a seventh of a `status` on it.
func playbookDigest(_ text: String) -> String {
  var text = text
  let digest = text.withUTF8 { Crypto.SHA256.hash(data: UnsafeRawBufferPointer($0)) }
  let hex = Array("0123456789abcdef".utf8)
  var out: [UInt8] = []
  out.reserveCapacity(64)
  for byte in digest {
    out.append(hex[Int(byte >> 4)])
    out.append(hex[Int(byte & 0xF)])
  }
  return String(decoding: out, as: UTF8.self)
}
