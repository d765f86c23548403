// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: AccordCLI -> WorkspaceStore -> ProgrammeEngine -> PlaybookSpec.
let package = Package(
  name: "Accord",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "accord", targets: ["accord"]),
    .library(name: "PlaybookSpec", targets: ["PlaybookSpec"]),
    .library(name: "ProgrammeEngine", targets: ["ProgrammeEngine"]),
    .library(name: "WorkspaceStore", targets: ["WorkspaceStore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
  ],
  targets: [
    .target(name: "PlaybookSpec", dependencies: ["Yams"]),
    .target(name: "ProgrammeEngine", dependencies: ["PlaybookSpec"]),
    .target(name: "WorkspaceStore", dependencies: ["ProgrammeEngine", "PlaybookSpec"]),
    // The playbooks in playbooks/ compiled into the binary, so an installed `accord`
    // needs no files beside it and playbooks/*.yaml stay the one source of truth.
    .target(name: "BundledPlaybooks", plugins: ["EmbedPlaybooks"]),
    .executableTarget(name: "PlaybookEmbedder"),
    .plugin(name: "EmbedPlaybooks", capability: .buildTool(), dependencies: ["PlaybookEmbedder"]),
    .target(
      name: "AccordCLI",
      dependencies: [
        "PlaybookSpec", "ProgrammeEngine", "WorkspaceStore", "BundledPlaybooks",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "accord", dependencies: ["AccordCLI"]),
    // Seeded inputs for scripts/bench; not a product, never shipped.
    .executableTarget(
      name: "accord-benchgen",
      dependencies: [
        "PlaybookSpec", "ProgrammeEngine", "WorkspaceStore", "BundledPlaybooks",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "PlaybookSpecTests", dependencies: ["PlaybookSpec"]),
    .testTarget(name: "ProgrammeEngineTests", dependencies: ["ProgrammeEngine", "PlaybookSpec"]),
    .testTarget(name: "WorkspaceStoreTests", dependencies: ["WorkspaceStore", "ProgrammeEngine", "PlaybookSpec"]),
    .testTarget(
      name: "AccordCLITests",
      dependencies: ["AccordCLI", "accord", "BundledPlaybooks", "PlaybookSpec"]
    ),
  ]
)
