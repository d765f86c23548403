import AccordKit
import Foundation
import NIOCore

/// Why `accord serve` could not listen, in words a person can act on, instead of the
/// socket call's name (`bind(descriptor:ptr:bytes:)`) and an errno.
enum ServeFailure {
  static func describe(_ error: any Error, host: String, port: Int) -> UsageError {
    let address = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
    switch (error as? IOError)?.errnoCode {
    case EADDRINUSE?:
      return UsageError(
        "cannot serve on \(address): the port is in use by another program (another accord serve?)",
        hint: "Stop that program, or pick another port with --port N (--port 0 picks a free one and says which).")
    case EACCES?:
      return UsageError(
        "cannot serve on \(address): this user may not listen on port \(port)",
        hint: "Ports below 1024 need privileges: pick a port from 1024 up with --port N.")
    case EADDRNOTAVAIL?:
      return UsageError(
        "cannot serve on \(address): \(host) is not an address of this machine",
        hint: "Listen on 127.0.0.1 (the default) or on one of this machine's addresses with --host.")
    default:
      return UsageError("cannot serve on \(address): \(error)")
    }
  }
}
