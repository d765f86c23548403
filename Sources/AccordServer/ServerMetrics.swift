import Metrics
import Prometheus

/// What `accord serve` counts for the people who run it, beside the requests and their
/// latency by route (Hummingbird's `MetricsMiddleware`), all served at `GET /metrics` in
/// Prometheus's text format. Counted through swift-metrics, so that nothing here knows the
/// exporter; in a process that set up no metrics system (the tests that run a server in
/// process) they count nowhere.
enum ServerMetrics {
  /// Changes the server wrote.
  static let appends = Metrics.Counter(label: "accord_appends_total")
  /// Changes refused because another writer got to the client first (the CLI's lock held
  /// too long, or the file changed under the write): nothing was written.
  static let lostRaces = Metrics.Counter(label: "accord_appends_refused_total")
  /// Clients read again from their file because it was not the one kept in memory (a change
  /// made at the terminal, or the first read).
  static let reloads = Metrics.Counter(label: "accord_cache_reloads_total")

  /// Reminder mails, by what became of them (`sent`, `failed`).
  static func reminderMails(_ outcome: String) -> Metrics.Counter {
    Metrics.Counter(label: "accord_reminder_mails_total", dimensions: [("outcome", outcome)])
  }

  /// Sets up swift-metrics to count into `registry`, once for the process (`accord serve`).
  static func bootstrap() -> PrometheusCollectorRegistry {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    // Made now, so that each is exported from the start (at 0), not from its first count.
    _ = (appends, lostRaces, reloads, reminderMails("sent"), reminderMails("failed"))
    return registry
  }
}
