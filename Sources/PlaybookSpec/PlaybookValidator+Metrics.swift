// The rules for `metrics:` and agreements' `targets:` (see docs/playbook.md).

extension PlaybookValidator {
  mutating func checkMetrics() {
    var metrics: [String: Metric] = [:]
    var inputs: [Metric.OpportunityInput: String] = [:]
    for metric in playbook.metrics {
      if let input = metric.opportunity {
        let location = sourceMap.opportunity[metric.location] ?? metric.location
        if metric.format != .percent {
          report(
            "metric \(metric.id.quoted) gives the opportunity's \(input.rawValue.quoted), a share: it must be a percentage (format: percent)",
            at: location)
        }
        // used-share and unused-share both give the unused share.
        let key: Metric.OpportunityInput = input == .usedShare ? .unusedShare : input
        if let other = inputs[key] {
          report("metric \(other.quoted) gives the opportunity's \(key.rawValue.quoted) already", at: location)
        } else {
          inputs[key] = metric.id
        }
      }
      let location = idLocation(metric.location)
      if let first = metrics[metric.id] {
        let place = "line \(first.location.line), column \(first.location.column)"
        report("duplicate metric \(metric.id.quoted): already defined at \(place)", at: location)
        continue
      }
      // Metrics share the namespace of stages, milestones and agreements: a date, an action
      // and a command line name each by its id alone.
      if let element = elements[metric.id] {
        let place = "line \(element.location.line), column \(element.location.column)"
        report("metric id \(metric.id.quoted) is already the id of the \(element.kind) at \(place)", at: location)
      }
      metrics[metric.id] = metric
      if let owner = metric.owner { checkRole(owner) }
      checkBounds(of: metric)
    }

    var targeted: [String: String] = [:]
    for stage in playbook.stages {
      for agreement in stage.agreements {
        var seen: Set<String> = []
        for target in agreement.targets {
          guard let metric = metrics[target.metric.id] else {
            var message = "unknown metric \(target.metric.id.quoted)"
            if let suggestion = closestMatch(to: target.metric.id, among: playbook.metrics.map(\.id)) {
              message += " (did you mean \(suggestion.quoted)?)"
            } else if playbook.metrics.isEmpty {
              message += ": the playbook defines no metrics"
            }
            report(message, at: target.metric.location)
            continue
          }
          guard seen.insert(metric.id).inserted else {
            report("metric \(metric.id.quoted) is already given a target here", at: target.metric.location)
            continue
          }
          // One agreed target per metric: a reading is on track or not against one number.
          if let other = targeted[metric.id] {
            report(
              "metric \(metric.id.quoted) already has a target in agreement \(other.quoted); "
                + "a metric is committed to by one agreement", at: target.metric.location)
            continue
          }
          targeted[metric.id] = agreement.id
          if let problem = metric.problem(with: target.value) {
            report("target for \(metric.id.quoted): \(problem)", at: target.metric.location)
          }
        }
      }
    }
  }

  private mutating func checkBounds(of metric: Metric) {
    let location = sourceMap.bounds[metric.location] ?? metric.location
    if let minimum = metric.minimum, let maximum = metric.maximum, !(minimum < maximum) {
      report("metric \(metric.id.quoted) has min \(minimum) and max \(maximum): min must be below max", at: location)
    }
    if metric.format == .percent {
      for bound in [metric.minimum, metric.maximum].compactMap({ $0 }) where bound.value < 0 || bound.value > 100 {
        report("metric \(metric.id.quoted) is a percentage: its min and max must be 0 to 100, got \(bound)", at: location)
      }
    }
    if metric.format == .integer {
      for bound in [metric.minimum, metric.maximum].compactMap({ $0 }) where !bound.isWhole {
        report("metric \(metric.id.quoted) counts whole \(metric.unit): its min and max must be whole, got \(bound)", at: location)
      }
    }
  }
}
