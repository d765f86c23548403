extension PlaybookValidator {
  /// The survey's own rules, and the milestones that need it. Dimension and statement ids
  /// are namespaces of their own: they name columns and report rows, not programme steps.
  mutating func checkSurvey() {
    for stage in playbook.stages {
      for milestone in stage.milestones where milestone.evidence == .survey && playbook.survey == nil {
        report(
          "milestone \(milestone.id.quoted) needs survey evidence, but the playbook defines no survey",
          at: sourceMap.evidence[milestone.location] ?? milestone.location)
      }
    }
    guard let survey = playbook.survey else { return }

    var dimensions: [String: SourceLocation] = [:]
    var statements: [String: (dimension: String, location: SourceLocation)] = [:]
    for dimension in survey.dimensions {
      let location = sourceMap.ids[dimension.location] ?? dimension.location
      if let first = dimensions[dimension.id] {
        report("duplicate dimension \(dimension.id.quoted): already defined at \(place(first))", at: location)
      } else {
        dimensions[dimension.id] = location
      }
      for statement in dimension.statements {
        // The response file's own columns come first in every row; a statement of the
        // same name could not be told apart from them.
        if Survey.reservedColumns.contains(statement.id) {
          report(
            "statement id \(statement.id.quoted) is reserved for the response file's own column",
            at: statement.location)
        } else if let first = statements[statement.id] {
          report(
            "duplicate statement \(statement.id.quoted): already in dimension "
              + "\(first.dimension.quoted) at \(place(first.location))",
            at: statement.location)
        } else {
          statements[statement.id] = (dimension.id, statement.location)
        }
      }
    }
  }

  private func place(_ location: SourceLocation) -> String {
    "line \(location.line), column \(location.column)"
  }
}
