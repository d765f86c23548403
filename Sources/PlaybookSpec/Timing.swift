/// A length of time a playbook gives work: `10d` (calendar days), `3w` (weeks) or `5bd`
/// (business days, Monday to Friday). Counted in whole calendar days, in the workspace's
/// time zone (see `CalendarDate` in ProgrammeEngine).
public struct Interval: Sendable, Hashable, CustomStringConvertible {
  public enum Unit: String, Sendable, CaseIterable {
    case days = "d"
    case weeks = "w"
    case businessDays = "bd"
  }

  /// How many units; 1 to `maximumCount`.
  public var count: Int
  public var unit: Unit
  public var location: SourceLocation

  /// The longest interval a playbook may give, in any unit: ten years of days.
  public static let maximumCount = 3650

  public init(count: Int, unit: Unit, location: SourceLocation) {
    self.count = count
    self.unit = unit
    self.location = location
  }

  /// Reads `10d`, `3w` or `5bd`; nil for anything else (a count of 0, a sign, a space, a
  /// count above `maximumCount`, another unit).
  public init?(parsing text: String, at location: SourceLocation) {
    let bytes = Array(text.utf8)
    let digits = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    guard !digits.isEmpty, digits.count <= 4, digits.first != UInt8(ascii: "0"),
      let unit = Unit(rawValue: String(decoding: bytes.dropFirst(digits.count), as: UTF8.self)),
      let count = Int(String(decoding: digits, as: UTF8.self)), count <= Self.maximumCount
    else { return nil }
    self.init(count: count, unit: unit, location: location)
  }

  /// As a playbook writes it: `10d`.
  public var description: String { "\(count)\(unit.rawValue)" }

  /// What a playbook may write, for messages.
  public static let syntax = "a number of days, weeks or business days such as '10d', '3w' or '5bd'"

  /// Intervals compare by length, wherever they are written.
  public static func == (lhs: Interval, rhs: Interval) -> Bool {
    lhs.count == rhs.count && lhs.unit == rhs.unit
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    hasher.combine(unit)
  }
}

/// How a milestone recurs: every `every`, for a number of `times` or until another
/// milestone is done. Each occurrence is due and completed on its own.
public struct Recurrence: Sendable, Hashable {
  public enum End: Sendable, Hashable {
    /// This many occurrences, 1 to `maximumTimes`.
    case times(Int)
    /// Until this milestone (of the same stage) is done.
    case until(Reference)
  }

  public var every: Interval
  public var end: End
  public var location: SourceLocation

  /// The most occurrences a playbook may ask for.
  public static let maximumTimes = 1000

  public init(every: Interval, end: End, location: SourceLocation) {
    self.every = every
    self.end = end
    self.location = location
  }

  /// The number of occurrences, when it is fixed.
  public var times: Int? {
    if case let .times(count) = end { count } else { nil }
  }

  /// The milestone that ends it, when one does.
  public var until: String? {
    if case let .until(reference) = end { reference.id } else { nil }
  }

  /// Recurrences compare by what they ask, wherever they are written.
  public static func == (lhs: Recurrence, rhs: Recurrence) -> Bool {
    lhs.every == rhs.every && lhs.times == rhs.times && lhs.until == rhs.until
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(every)
    hasher.combine(times)
    hasher.combine(until)
  }
}

extension Playbook {
  /// Whether any stage, milestone or agreement gives a time (`due`, `target`, `every`):
  /// a playbook without one has no dates to work out.
  public var isTimed: Bool {
    stages.contains { stage in
      stage.target != nil || stage.milestones.contains { $0.due != nil || $0.recurrence != nil }
        || stage.agreements.contains { $0.due != nil }
    } || metrics.contains { $0.every != nil }
  }
}
