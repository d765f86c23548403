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
