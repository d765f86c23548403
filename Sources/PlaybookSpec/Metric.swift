import Foundation

/// A number both teams agree to live by, such as the share of marketing content that sales
/// uses. Readings of it are recorded for a client; an agreement may commit to a target.
public struct Metric: Sendable, Hashable {
  /// Which way is better for the metric.
  public enum Better: String, Sendable, Hashable, CaseIterable {
    case higher, lower
  }

  /// The opportunity calculator's input a reading of the metric gives (`opportunity:`), so
  /// that `accord opportunity` can show the calculation at the baseline and the latest reading.
  public enum OpportunityInput: String, Sendable, Hashable, CaseIterable {
    /// The share of marketing content sales does not use.
    case unusedShare = "unused-share"
    /// The share of marketing content sales uses: the unused share is 100 less it.
    case usedShare = "used-share"
    /// The share of sales time spent looking for or reworking content.
    case searchShare = "search-share"
  }

  /// What a reading may look like, beyond `min` and `max`.
  public enum Format: String, Sendable, Hashable, CaseIterable {
    /// Any number (the default).
    case number
    /// A whole number: a count of leads, of days.
    case integer
    /// A percentage: 0 to 100.
    case percent
  }

  public var id: String
  public var title: String
  public var description: String?
  /// What a reading counts, as people read it after the number: `%`, `days`, `leads`.
  public var unit: String
  public var better: Better
  public var format: Format
  /// The lowest and highest a reading may be, when the playbook says.
  public var minimum: Quantity?
  public var maximum: Quantity?
  /// How often a reading is due, counted from the latest one (or, before the first, from
  /// the start of the programme).
  public var every: Interval?
  /// The role that records it besides the czar and the consultant.
  public var owner: Reference?
  /// The opportunity calculator's input its readings give, if any (a percentage only).
  public var opportunity: OpportunityInput?
  public var location: SourceLocation

  public init(
    id: String, title: String, description: String? = nil, unit: String, better: Better,
    format: Format = .number, minimum: Quantity? = nil, maximum: Quantity? = nil, every: Interval? = nil,
    owner: Reference? = nil, opportunity: OpportunityInput? = nil, location: SourceLocation
  ) {
    self.id = id
    self.title = title
    self.description = description
    self.unit = unit
    self.better = better
    self.format = format
    self.minimum = minimum
    self.maximum = maximum
    self.every = every
    self.owner = owner
    self.opportunity = opportunity
    self.location = location
  }

  /// The lowest a reading may be: `min`, or 0 for a percentage.
  public var lowest: Quantity? {
    minimum ?? (format == .percent ? Quantity(parsing: "0") : nil)
  }

  /// The highest a reading may be: `max`, or 100 for a percentage.
  public var highest: Quantity? {
    maximum ?? (format == .percent ? Quantity(parsing: "100") : nil)
  }

  /// Why `value` cannot be a reading of this metric, or nil when it can.
  public func problem(with value: Quantity) -> String? {
    if format == .integer, !value.isWhole {
      return "\(id.quoted) counts whole \(unit), so \(value) cannot be a reading of it"
    }
    if let lowest, value < lowest {
      return "\(value) is below \(lowest), the lowest a reading of \(id.quoted) may be"
    }
    if let highest, value > highest {
      return "\(value) is above \(highest), the highest a reading of \(id.quoted) may be"
    }
    return nil
  }

  /// `value` with the metric's unit, as people read it: `42 %` is written `42%`.
  public func format(_ value: Quantity) -> String {
    unit == "%" ? "\(value)%" : "\(value) \(unit)"
  }

  /// Whether `a` is better than `b` for this metric.
  public func isBetter(_ a: Quantity, than b: Quantity) -> Bool {
    better == .higher ? a > b : a < b
  }
}

/// What an agreement commits to for one metric: a value that readings should reach.
public struct Target: Sendable, Hashable {
  /// The metric, where the agreement names it.
  public var metric: Reference
  public var value: Quantity

  public init(metric: Reference, value: Quantity) {
    self.metric = metric
    self.value = value
  }
}

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

  /// The value as written for a whole or decimal `Double` (a calculation's result), to at
  /// most `places` decimal places.
  public init(_ value: Double, places: Int = 2) {
    let scale = (0..<places).reduce(1.0) { value, _ in value * 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(format: "%.\(places)f", rounded)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    if text == "-0" { text = "0" }
    self = Quantity(parsing: text) ?? Quantity(parsing: "0")!
  }

  /// What a playbook or a command line may write, for messages.
  public static let syntax = "a number such as '42', '-3' or '0.25'"

  public var isWhole: Bool { !text.contains(".") }

  public var description: String { text }

  public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.value < rhs.value }

  public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.text == rhs.text }

  public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

extension Playbook {
  /// The agreement's targets as people read them with its terms, one line each:
  /// `Time to sale (time-to-sale): 45 days, lower is better`.
  public func targetLines(of agreement: Agreement) -> [String] {
    agreement.targets.map { target in
      guard let metric = metrics.first(where: { $0.id == target.metric.id }) else {
        return "\(target.metric.id): \(target.value)"
      }
      return "\(metric.title) (\(metric.id)): \(metric.format(target.value)), \(metric.better.rawValue) is better"
    }
  }
}
