import Foundation

/// A throwaway certificate authority and a server certificate it signed for `127.0.0.1` and
/// `localhost`, made with `openssl` in a fresh folder, for the TLS mail sink.
struct TestCertificates {
  let folder: URL
  /// The CA's certificate (PEM), to give accord as --smtp-ca-file.
  var caFile: String { folder.appendingPathComponent("ca.pem").path }
  var server: SMTPSink.Certificate {
    SMTPSink.Certificate(
      certificate: folder.appendingPathComponent("server.pem").path, key: folder.appendingPathComponent("server.key").path)
  }

  init() throws {
    folder = try AccordBinary.temporaryFolder()
    let extensions = folder.appendingPathComponent("server.ext")
    try Data(
      "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8
    ).write(to: extensions)
    for arguments in [
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
       "-out", "ca.pem", "-days", "2", "-subj", "/CN=Accord test CA"],
      ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key",
       "-out", "server.csr", "-subj", "/CN=localhost"],
      ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
       "server.pem", "-days", "2", "-extfile", "server.ext"],
    ] {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["openssl"] + arguments
      process.currentDirectoryURL = folder
      process.standardOutput = FileHandle.nullDevice
      let errors = Pipe.unshared()
      process.standardError = errors
      try process.run()
      let said = errors.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else {
        throw OpenSSLFailed(arguments: arguments, output: String(decoding: said, as: UTF8.self))
      }
    }
  }

  struct OpenSSLFailed: Error {
    var arguments: [String]
    var output: String
  }
}
