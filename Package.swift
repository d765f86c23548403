// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way: accord -> AccordCLI and AccordServer -> AccordKit -> WorkspaceStore
// -> ProgrammeEngine -> PlaybookSpec. AccordKit is what every front end shares (applying a change
// as a person, the JSON and text renderings, reports, the agenda, reminders and mail);
// AccordCLI (the commands) and AccordServer (the web application) are thin adapters over it and
// know nothing of each other, so no command links Hummingbird. Docs: docs/architecture.md.
// Above the engine, pure and with no I/O: CollaborationBenchmark (a client's survey answers
// in, indexes out) and OpportunityCalculator (the cost of misalignment, from the inputs the
// engine records). SurveyCSV reads and writes survey answers, and reads rosters, as CSV for the CLI.
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
    // stop once a change has begun (see AccordKit/Interruption.swift).
    .target(name: "Interruption"),
    // What the CLI and the server share. No ArgumentParser, no Hummingbird: mail leaves over
    // SMTP through NIO and NIOSSL here, as both `accord remind` and the server send it.
    .target(
      name: "AccordKit",
      dependencies: [
        "PlaybookSpec", "ProgrammeEngine", "WorkspaceStore", "Interruption", "CollaborationBenchmark",
        "OpportunityCalculator", "SurveyCSV", "AgreementCertificates",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "NIOTLS", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]
    ),
    // accord serve's web application over AccordKit; knows no command type.
    .target(
      name: "AccordServer",
      dependencies: [
        "AccordKit", "PlaybookSpec", "ProgrammeEngine", "WorkspaceStore", "PostgresStore", "CollaborationBenchmark",
        "OpportunityCalculator", "AgreementCertificates",
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
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ]
    ),
    // The command line as a firm server's client: remotes, sign-in, the replica and sync.
    .target(
      name: "AccordRemote",
      dependencies: ["AccordKit", "PlaybookSpec", "ProgrammeEngine", "WorkspaceStore"]
    ),
    // The commands over AccordKit; `serve` hands its options to the server the executable gives it.
    .target(
      name: "AccordCLI",
      dependencies: [
        "AccordKit", "AccordRemote", "PlaybookSpec", "ProgrammeEngine", "WorkspaceStore", "BundledPlaybooks", "PostgresStore",
        "CollaborationBenchmark", "OpportunityCalculator", "SurveyCSV", "AgreementCertificates",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "CSV", package: "CSV.swift"),
      ],
      plugins: ["EmbedBuildInfo"]
    ),
    .executableTarget(name: "accord", dependencies: ["AccordCLI", "AccordServer"]),
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
    // The throwaway PostgreSQL cluster the database's tests start (never skipped in CI).
    .target(
      name: "PostgresTestSupport",
      dependencies: [
        "PostgresStore", "WorkspaceStore", .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Tests/PostgresTestSupport"
    ),
    .testTarget(
      name: "StoreConformanceTests",
      dependencies: [
        "WorkspaceStore", "PostgresStore", "PostgresTestSupport", "ProgrammeEngine", "PlaybookSpec", "BundledPlaybooks",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(
      name: "AccordRemoteTests",
      dependencies: [
        "AccordRemote", "AccordKit", "BundledPlaybooks", "PlaybookSpec", "ProgrammeEngine", "WorkspaceStore",
        "SeededRandom",
      ]
    ),
    .testTarget(
      name: "AccordCLITests",
      dependencies: [
        "AccordCLI", "AccordKit", "AccordServer", "accord", "BundledPlaybooks", "PlaybookSpec", "ProgrammeEngine",
        "WorkspaceStore", "AgreementCertificates", "CollaborationBenchmark", "OpportunityCalculator", "SeededRandom",
        "PostgresStore", "PostgresTestSupport", "AccordRemote",
        .product(name: "CSV", package: "CSV.swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]
    ),
  ]
)
