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
  /// Clients read whole again because the one kept in memory was not current (a folder's
  /// file changed at the terminal, a client not held yet, or an upgrade made elsewhere).
  static let reloads = Metrics.Counter(label: "accord_cache_reloads_total")
  /// On a database: reads answered from memory once the store said the client's length is
  /// the one held.
  static let memoryHits = Metrics.Counter(label: "accord_cache_hits_total")
  /// On a database: clients held in memory brought forward by the events another process
  /// appended, only those read and replayed (by a read, or by the change feed's follower).
  static let catchUps = Metrics.Counter(label: "accord_cache_catchups_total")

  /// Reminder mails, by what became of them (`sent`, `failed`).
  static func reminderMails(_ outcome: String) -> Metrics.Counter {
    Metrics.Counter(label: "accord_reminder_mails_total", dimensions: [("outcome", outcome)])
  }

  /// Sets up swift-metrics to count into `registry`, once for the process (`accord serve`).
  static func bootstrap() -> PrometheusCollectorRegistry {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    // Made now, so that each is exported from the start (at 0), not from its first count.
    _ = (appends, lostRaces, reloads, memoryHits, catchUps, reminderMails("sent"), reminderMails("failed"))
    return registry
  }
}
