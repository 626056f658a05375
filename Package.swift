// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// What every executable links: the domain, and the libraries its thin `main` wires together.
let executableDependencies: [Target.Dependency] = [
    "Shared",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
    .product(name: "PostgresNIO", package: "postgres-nio"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
]

let package = Package(
    name: "BlockFleet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "coordinator", targets: ["Coordinator"]),
        .executable(name: "worker", targets: ["Worker"]),
        .executable(name: "devchain", targets: ["DevChain"]),
        .library(name: "Shared", targets: ["Shared"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "Shared",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                "CISAL",
                "CZstd",
                "CSnappy",
            ],
            swiftSettings: swiftSettings
        ),
        // Intel ISA-L's igzip for staged files (scripts/debian-packages installs libisal-dev).
        .systemLibrary(name: "CISAL", providers: [.apt(["libisal-dev"]), .brew(["isa-l"])]),
        // Zstandard and Snappy for the Parquet writer's pages (scripts/debian-packages installs them).
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .systemLibrary(name: "CSnappy", providers: [.apt(["libsnappy-dev"]), .brew(["snappy"])]),
        .executableTarget(name: "Coordinator", dependencies: executableDependencies, swiftSettings: swiftSettings),
        .executableTarget(name: "Worker", dependencies: executableDependencies, swiftSettings: swiftSettings),
        .executableTarget(
            name: "QueueBenchmark",
            dependencies: executableDependencies,
            path: "Benchmarks/QueueBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SoakBenchmark",
            dependencies: executableDependencies,
            path: "Benchmarks/SoakBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "LoadBenchmark",
            dependencies: executableDependencies,
            path: "Benchmarks/LoadBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "StagingBenchmark",
            dependencies: executableDependencies,
            path: "Benchmarks/StagingBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ParquetBenchmark",
            dependencies: ["Shared"],
            path: "Benchmarks/ParquetBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DevChain",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Helpers every test target shares (running child processes off the cooperative pool).
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "DevChainTests", dependencies: ["DevChain", "TestSupport"], exclude: ["eth_abi_encode_check.py"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SharedTests",
            dependencies: ["Shared", "TestSupport"],
            exclude: ["Fixtures", "Models/redshift_parse.py", "Lake/parquet_read.py", "Decoding/eth_abi_reference.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: executableDependencies + [
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Support/compare_warehouse.py", "Support/decoded_table_check.py"],
            swiftSettings: swiftSettings
        ),
    ]
)
