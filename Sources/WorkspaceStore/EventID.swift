import Foundation
import Synchronization

/// Makes the ids of new events (`Event.id`): UUIDv7 (RFC 9562, section 5.7), written in the
/// lowercase canonical form `8-4-4-4-12`. The engine has no clock and no randomness, so an
/// id is made here, where an event is built, and handed to the engine with it.
///
/// The first 48 bits are the Unix time in milliseconds, so ids sort in the order they were
/// made; the other 74 (beside the version and variant) are random. Within one process a
/// later id never sorts before an earlier one, even within a millisecond or with the clock
/// set back: the previous id plus one is taken then (RFC 9562, 6.2, method 2).
public enum EventID {
  /// A new UUIDv7 for an event made now.
  public static func make() -> String {
    make(milliseconds: UInt64(max(0, Date().timeIntervalSince1970 * 1000)))
  }

  /// A new UUIDv7 for the given Unix time in milliseconds, after every id made before it.
  static func make(milliseconds: UInt64) -> String {
    var random = SystemRandomNumberGenerator()
    let bits = last.withLock { last -> Bits in
      var next = Bits(milliseconds: milliseconds & 0xFFFF_FFFF_FFFF, random: random.next(), more: random.next())
      if let previous = last, next.milliseconds <= previous.milliseconds {
        next = previous.successor
      }
      last = next
      return next
    }
    return bits.text
  }

  /// `text` as an id: a UUID (any version, any case) in its lowercase canonical form, or nil
  /// when it is not a UUID of the form `8-4-4-4-12`. An API request's `Idempotency-Key` is
  /// read through this.
  public static func canonical(_ text: String) -> String? {
    guard text.utf8.count == 36, let uuid = UUID(uuidString: text) else { return nil }
    return uuid.uuidString.lowercased()
  }

  /// The id of these bits, for tests: version 7 and the variant set, as `make` writes it.
  static func text(milliseconds: UInt64, randomA: UInt16, randomB: UInt64) -> String {
    Bits(milliseconds: milliseconds, random: randomA, more: randomB).text
  }

  /// Whether `text` is an id as Accord writes it: a UUID in its lowercase canonical form.
  public static func isCanonical(_ text: String) -> Bool {
    canonical(text) == text
  }

  /// The id made last in this process, so that the next sorts after it.
  private static let last = Mutex<Bits?>(nil)

  /// An id's 48 bits of time and 74 random bits (12 of `rand_a`, 62 of `rand_b`).
  private struct Bits: Sendable {
    var milliseconds: UInt64
    var randomA: UInt16
    var randomB: UInt64

    init(milliseconds: UInt64, random: UInt16, more: UInt64) {
      self.milliseconds = milliseconds
      randomA = random & 0x0FFF
      randomB = more & 0x3FFF_FFFF_FFFF_FFFF
    }

    /// The id one after this one: its random bits plus one, carried into the time.
    var successor: Bits {
      var next = self
      if next.randomB < 0x3FFF_FFFF_FFFF_FFFF {
        next.randomB += 1
      } else {
        next.randomB = 0
        if next.randomA < 0x0FFF {
          next.randomA += 1
        } else {
          next.randomA = 0
          next.milliseconds = (next.milliseconds + 1) & 0xFFFF_FFFF_FFFF
        }
      }
      return next
    }

    /// `xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx`, lowercase: version 7, variant `10`.
    var text: String {
      let high = milliseconds << 16 | 0x7000 | UInt64(randomA)
      let low = 0x8000_0000_0000_0000 | randomB
      let hex = Self.hex(high, 16) + Self.hex(low, 16)
      let characters = Array(hex)
      return String(characters[0..<8]) + "-" + String(characters[8..<12]) + "-" + String(characters[12..<16])
        + "-" + String(characters[16..<20]) + "-" + String(characters[20..<32])
    }

    private static func hex(_ value: UInt64, _ digits: Int) -> String {
      let text = String(value, radix: 16)
      return String(repeating: "0", count: digits - text.count) + text
    }
  }
}
