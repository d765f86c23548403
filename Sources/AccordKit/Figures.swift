import Foundation

/// How numbers are written for people: money in whole units with thousands separators and
/// the currency's symbol, shares as percentages, indexes to one decimal. Written by hand
/// rather than with `NumberFormatter` so the output is the same on every machine and
/// locale, which the documentation's examples and the tests rely on.
package enum Figures {
  /// Symbols for the codes consultants use most; any other code is written before the
  /// amount as it is (`CHF 60,000`), and anything else given is taken for a symbol.
  static let symbols = [
    "GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥", "INR": "₹", "AUD": "A$", "CAD": "CA$",
    "NZD": "NZ$",
  ]

  /// `£170,000`, `CHF 170,000`, or `170,000` without a currency.
  static func money(_ amount: Double, currency: String?) -> String {
    let sign = amount < 0 ? "-" : ""
    let digits = grouped(abs(amount).rounded())
    guard let currency else { return sign + digits }
    if let symbol = symbols[currency.uppercased()] { return sign + symbol + digits }
    let isCode = currency.unicodeScalars.allSatisfy { CharacterSet.letters.contains($0) }
    return sign + currency + (isCode ? " " : "") + digits
  }

  /// `1,400,000` for a whole number.
  static func grouped(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 1e18 else { return "\(value)" }
    let text = String(Int64(value))
    var result = ""
    for (position, character) in text.reversed().enumerated() {
      if position > 0, position % 3 == 0 { result.append(",") }
      result.append(character)
    }
    return String(result.reversed())
  }

  /// Up to two decimals, trailing zeros dropped: `2.83`, `10`, `12.5`.
  package static func number(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded() { return grouped(rounded) }
    var text = String(format: "%.2f", rounded)
    while text.hasSuffix("0") { text.removeLast() }
    return text
  }

  static func percent(_ value: Double) -> String { number(value) + "%" }

  /// An index to one decimal: `58.3`; `-` where it is not shown.
  package static func index(_ value: Double?) -> String {
    value.map { String(format: "%.1f", $0) } ?? "-"
  }

  /// A change in index points with its sign: `+6.2`, `-0.4`, `0.0`.
  package static func change(_ value: Double) -> String {
    let text = String(format: "%.1f", value)
    return value >= 0.05 ? "+" + text : (text == "-0.0" ? "0.0" : text)
  }

  /// For JSON: one decimal, so output is stable and no float noise shows.
  static func tenth(_ value: Double?) -> Double? {
    value.map { ($0 * 10).rounded() / 10 }
  }

  /// For JSON: two decimals.
  static func hundredth(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
