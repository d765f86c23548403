/// A number as a playbook or a reading writes it, kept as canonical decimal text so that a
/// value never changes by a round trip through binary floating point: the text is what is
/// hashed (a target is part of an agreement's terms) and stored (a reading's value).
///
/// Written as an optional `-`, digits, and an optional `.` with digits: `42`, `-3.5`,
/// `0.25`. No exponent, no `+`, at most 15 significant digits (so that the `Double` used to
/// compare and calculate is exact enough). Canonical: no leading zeros before the point but
/// one, no trailing zeros after it, no point without digits after it, no `-0`.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The canonical text: `12.5` for `012.50`.
  public let text: String
  public let value: Double

  /// Reads a decimal number; nil for anything else.
  public init?(parsing raw: String) {
    var bytes = Array(raw.utf8)
    var negative = false
    if bytes.first == UInt8(ascii: "-") {
      negative = true
      bytes.removeFirst()
    }
    let point = bytes.firstIndex(of: UInt8(ascii: "."))
    var whole = Array(bytes[..<(point ?? bytes.count)])
    var fraction = point.map { Array(bytes[($0 + 1)...]) } ?? []
    func isDigits(_ part: [UInt8]) -> Bool { part.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    guard !whole.isEmpty, isDigits(whole), isDigits(fraction), point == nil || !fraction.isEmpty else {
      return nil
    }
    while whole.count > 1, whole.first == 0x30 { whole.removeFirst() }
    while fraction.last == 0x30 { fraction.removeLast() }
    let significant = (whole == [0x30] ? 0 : whole.count) + fraction.count
    guard significant <= 15 else { return nil }
    var text = String(decoding: whole, as: UTF8.self)
    if !fraction.isEmpty { text += "." + String(decoding: fraction, as: UTF8.self) }
    if negative, text != "0" { text = "-" + text }
    guard let value = Double(text) else { return nil }
    self.text = text
    self.value = value
  }

  /// What a playbook or a command line may write, for messages.
  public static let syntax = "a number such as '42', '-3' or '0.25'"

  public var isWhole: Bool { !text.contains(".") }

  public var description: String { text }

  public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.value < rhs.value }

  public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.text == rhs.text }

  public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
