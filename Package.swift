// swift-tools-version: 6.0
import PackageDescription

/// Settings every target shares.
let swiftSettings: [SwiftSetting] = [
    // Without it, `import Foundation` in one file silently changes which `contains`/`firstRange`
    // overloads every other file of the module sees; the classifier's hot path depends on the stdlib ones.
    .enableUpcomingFeature("MemberImportVisibility"),
    // Makes every `any` spelled out, so existential boxing on a hot path is visible in review.
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "bounceplan",
    platforms: [.macOS(.v15)],  // Synchronization.Mutex
    products: [
        .executable(name: "bounceplan", targets: ["bounceplan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ"],
            swiftSettings: swiftSettings
        ),
        // What a long command is doing, on standard error: a status line at a terminal, plain lines for logs.
        .target(
            name: "Progress",
            swiftSettings: swiftSettings
        ),
        // SHA-256 for digests, checksums and idempotency keys, in the hex form they are stored in.
        .target(
            name: "Digest",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BounceClassification",
            dependencies: ["Digest", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BouncePlanning",
            dependencies: ["BounceClassification", "Digest", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BounceIngest",
            dependencies: ["Digest"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BouncePlanStore",
            dependencies: ["Postgres", "BouncePlanning", "BounceClassification", "Digest", "Progress"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "bounceplan",
            dependencies: [
                "BouncePlanStore", "BouncePlanning", "BounceClassification", "BounceIngest", "Postgres", "Progress",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Throwaway databases for the tests that need PostgreSQL; never part of the product.
        .target(
            name: "TestSupport",
            dependencies: ["Postgres"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProgressTests",
            dependencies: ["Progress"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DigestTests",
            dependencies: ["Digest"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresTests",
            dependencies: ["Postgres", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BounceClassificationTests",
            dependencies: [
                "BounceClassification",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Corpus")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BouncePlanningTests",
            dependencies: [
                "BouncePlanning",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BounceIngestTests",
            dependencies: ["BounceIngest", "BounceClassification", "TestSupport"],
            resources: [.copy("Messages")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BouncePlanStoreTests",
            dependencies: ["BouncePlanStore", "Postgres", "BouncePlanning", "BounceClassification", "BounceIngest", "TestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
