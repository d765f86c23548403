import ArgumentParser
import OpportunityCalculator
import ProgrammeEngine

/// The opportunity calculator's inputs as flags; any left out come from what the client
/// has stored, then from the defaults.
struct OpportunityOptions: ParsableArguments {
  @Option(help: ArgumentHelp("How many people work in marketing.", valueName: "n"))
  var marketingStaff: Figure?
  @Option(help: ArgumentHelp("Average annual employment cost of one of them.", valueName: "money"))
  var costPerHead: Figure?
  @Option(help: ArgumentHelp("Percent of marketing time spent creating and curating content.", valueName: "percent"))
  var contentShare: Figure?
  @Option(help: ArgumentHelp("Percent of that content sales never uses (default 75).", valueName: "percent"))
  var unusedShare: Figure?
  @Option(
    help: ArgumentHelp(
      "Yearly cost of the unused collateral: IT, printing, distribution, storage (default 0).",
      valueName: "money"))
  var ancillary: Figure?
  @Option(help: ArgumentHelp("How many people sell; adds the sales rows.", valueName: "n"))
  var salesStaff: Figure?
  @Option(help: ArgumentHelp("Average annual employment cost of a salesperson.", valueName: "money"))
  var salesCostPerHead: Figure?
  @Option(
    help: ArgumentHelp(
      "Percent of selling time spent looking for or reworking content (default 20).", valueName: "percent"))
  var searchShare: Figure?
  @Option(
    help: ArgumentHelp("Percent of that time better collaboration wins back (default 50).", valueName: "percent"))
  var recoveredShare: Figure?
  @Option(
    help: ArgumentHelp("How many times a sales productivity gain lifts profit (default 4).", valueName: "x"))
  var profitMultiplier: Figure?
  @Option(help: ArgumentHelp("Show money in this currency: GBP, EUR, USD... or a symbol.", valueName: "code"))
  var currency: String?

  /// Whether any input was given on the command line.
  var givesAny: Bool {
    let figures = [
      marketingStaff, costPerHead, contentShare, unusedShare, ancillary, salesStaff, salesCostPerHead,
      searchShare, recoveredShare, profitMultiplier,
    ]
    return figures.contains { $0 != nil } || currency != nil
  }

  /// The flags given, over `stored`, over the defaults; a usage error naming what is
  /// missing or wrong.
  func merged(over stored: OpportunityInputs?) throws -> OpportunityInputs {
    let required: [(String, Double?)] = [
      ("--marketing-staff", marketingStaff?.value ?? stored?.marketingStaff),
      ("--cost-per-head", costPerHead?.value ?? stored?.costPerHead),
      ("--content-share", contentShare?.value ?? stored?.contentShare),
    ]
    let missing = required.filter { $0.1 == nil }.map(\.0)
    guard missing.isEmpty, let staff = required[0].1, let cost = required[1].1, let content = required[2].1
    else {
      throw ValidationError("the calculation needs " + missing.joined(separator: ", "))
    }
    var inputs = stored ?? OpportunityInputs(marketingStaff: staff, costPerHead: cost, contentShare: content)
    inputs.marketingStaff = staff
    inputs.costPerHead = cost
    inputs.contentShare = content
    if let unusedShare { inputs.unusedShare = unusedShare.value }
    if let ancillary { inputs.ancillary = ancillary.value }
    if let salesStaff { inputs.salesStaff = salesStaff.value }
    if let salesCostPerHead { inputs.salesCostPerHead = salesCostPerHead.value }
    if let searchShare { inputs.searchShare = searchShare.value }
    if let recoveredShare { inputs.recoveredShare = recoveredShare.value }
    if let profitMultiplier { inputs.profitMultiplier = profitMultiplier.value }
    if let currency {
      // A code is kept in capitals, so `gbp` and `GBP` are one currency in the history.
      let isCode = currency.count == 3 && currency.allSatisfy { $0.isASCII && $0.isLetter }
      inputs.currency = isCode ? currency.uppercased() : currency
    }
    let problems = inputs.problems
    guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
    return inputs
  }
}

/// A number as people type it: `60000`, `60,000`, `60_000`, `12.5`, `50%`.
struct Figure: ExpressibleByArgument, Equatable {
  var value: Double

  init?(argument: String) {
    var text = argument.filter { $0 != "," && $0 != "_" && $0 != " " }
    if text.hasSuffix("%") { text.removeLast() }
    guard let value = Double(text), value.isFinite else { return nil }
    self.value = value
  }
}
