// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way: AccordCLI -> WorkspaceStore -> ProgrammeEngine -> PlaybookSpec.
// Above the engine, pure and with no I/O: CollaborationBenchmark (a client's survey answers
// in, indexes out) and OpportunityCalculator (the cost of misalignment, from the inputs the
// engine records). SurveyCSV reads and writes survey answers as CSV for the CLI.
let package = Package(
  name: "Accord",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "accord", targets: ["accord"]),
    .library(name: "PlaybookSpec", targets: ["PlaybookSpec"]),
    .library(name: "ProgrammeEngine", targets: ["ProgrammeEngine"]),
    .library(name: "WorkspaceStore", targets: ["WorkspaceStore"]),
    .library(name: "PostgresStore", targets: ["PostgresStore"]),
    .library(name: "CollaborationBenchmark", targets: ["CollaborationBenchmark"]),
    .library(name: "OpportunityCalculator", targets: ["OpportunityCalculator"]),
  ],
  dependencies: [
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    // accord serve: the web application. Hummingbird's optional swift-configuration support
    // is left out (its trait), as it is a dependency we would build and never use.
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
    .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    // Mail leaves over TLS (STARTTLS or smtps://), the relay's certificate verified.
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    // Already in the graph through Hummingbird: its HTTP parts are what the server's own
    // channel handlers (a request's time limit) see.
    .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    // Already in the graph through Hummingbird, whose application is a service of it: the
    // server's daily reminders run as a service beside it and stop with it.
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    // GET /metrics: swift-metrics (already in the graph through Hummingbird, whose
    // MetricsMiddleware times each route) exported in Prometheus's text format.
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    // PostgresStore: clients kept in PostgreSQL, for a firm that runs more than one server.
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
  ],
  targets: [
    .target(name: "PlaybookSpec", dependencies: ["Yams"]),
    // The engine depends on no other module of ours than PlaybookSpec. It hashes (terms,
    // the history's chain) with swift-crypto: one well-kept crypto library for every hash
    // and signature, rather than a hand-written SHA-256 beside it.
    .target(
      name: "ProgrammeEngine",
      dependencies: ["PlaybookSpec", .product(name: "Crypto", package: "swift-crypto")]
    ),
    .target(name: "OpportunityCalculator", dependencies: ["ProgrammeEngine"]),
    .target(name: "CollaborationBenchmark", dependencies: ["PlaybookSpec", "ProgrammeEngine"]),
    .target(
      name: "SurveyCSV",
      dependencies: ["PlaybookSpec", "ProgrammeEngine", .product(name: "CSV", package: "CSV.swift")]
    ),
    .target(name: "WorkspaceStore", dependencies: ["ProgrammeEngine", "PlaybookSpec"]),
    // The ClientStore in a PostgreSQL database (postgres-nio's pool), beside the folder one.
    .target(
      name: "PostgresStore",
      dependencies: [
        "WorkspaceStore", "ProgrammeEngine", "PlaybookSpec",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // Certificates of signed agreements, sealed with the firm's Ed25519 key (swift-crypto):
    // the model, its canonical JSON, the Markdown and HTML renderings, and verification,
    // against the seal and against a client's history. No I/O: the store keeps the key file.
    .target(
      name: "AgreementCertificates",
      dependencies: ["PlaybookSpec", "ProgrammeEngine", .product(name: "Crypto", package: "swift-crypto")]
    ),
    // The playbooks in playbooks/ compiled into the binary, so an installed `accord`
    // needs no files beside it and playbooks/*.yaml stay the one source of truth.
    .target(name: "BundledPlaybooks", plugins: ["EmbedPlaybooks"]),
    .executableTarget(name: "PlaybookEmbedder"),
    .plugin(name: "EmbedPlaybooks", capability: .buildTool(), dependencies: ["PlaybookEmbedder"]),
    // The commit accord is built from, for `accord --version`.
    .plugin(name: "EmbedBuildInfo", capability: .buildTool()),
    // Ctrl-C and SIGTERM: a C handler installed as the program loads, that only records the
    // stop once a change has begun (see AccordCLI/Interruption.swift).
    .target(name: "Interruption"),
    .target(
      name: "AccordCLI",
      dependencies: [
        "PlaybookSpec", "ProgrammeEngine", "WorkspaceStore", "BundledPlaybooks", "Interruption",
        "CollaborationBenchmark", "OpportunityCalculator", "SurveyCSV", "AgreementCertificates",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "CSV", package: "CSV.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "NIOTLS", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ],
      plugins: ["EmbedBuildInfo"]
    ),
    .executableTarget(name: "accord", dependencies: ["AccordCLI"]),
    // Seeded randomness for the tests and the benchmark's inputs; not linked into accord.
    .target(name: "SeededRandom"),
    // Seeded inputs for scripts/bench; not a product, never shipped.
    .executableTarget(
      name: "accord-benchgen",
      dependencies: [
        "PlaybookSpec", "ProgrammeEngine", "WorkspaceStore", "BundledPlaybooks", "SeededRandom",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "PlaybookSpecTests", dependencies: ["PlaybookSpec", "SeededRandom"]),
    .testTarget(
      name: "CollaborationBenchmarkTests",
      dependencies: ["CollaborationBenchmark", "PlaybookSpec", "ProgrammeEngine"]
    ),
    .testTarget(name: "OpportunityCalculatorTests", dependencies: ["OpportunityCalculator", "ProgrammeEngine"]),
    .testTarget(name: "SurveyCSVTests", dependencies: ["SurveyCSV", "PlaybookSpec", "ProgrammeEngine"]),
    .testTarget(name: "ProgrammeEngineTests", dependencies: ["ProgrammeEngine", "PlaybookSpec"]),
    .testTarget(
      name: "AgreementCertificatesTests",
      dependencies: ["AgreementCertificates", "ProgrammeEngine", "PlaybookSpec"]
    ),
    .testTarget(
      name: "WorkspaceStoreTests",
      dependencies: ["WorkspaceStore", "ProgrammeEngine", "PlaybookSpec", "SeededRandom"]
    ),
    // ClientStore's promises, held against every store alike (a throwaway PostgreSQL
    // cluster for the database's), and the database store's own.
    .testTarget(
      name: "StoreConformanceTests",
      dependencies: [
        "WorkspaceStore", "PostgresStore", "ProgrammeEngine", "PlaybookSpec", "BundledPlaybooks",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(
      name: "AccordCLITests",
      dependencies: [
        "AccordCLI", "accord", "BundledPlaybooks", "PlaybookSpec", "ProgrammeEngine", "WorkspaceStore",
        "AgreementCertificates", "CollaborationBenchmark", "OpportunityCalculator", "SeededRandom",
        .product(name: "CSV", package: "CSV.swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]
    ),
  ]
)
