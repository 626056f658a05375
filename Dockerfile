# syntax=docker/dockerfile:1
# One image for every BlockFleet process: `coordinator` (serve, migrate and the admin CLI),
# `worker` (export workers and loaders, told apart by BLOCKFLEET_WORKER_KINDS) and `devchain`
# (a test node, not for production).
#   docker build -t blockfleet:0.1.0 .
# The builder and the runtime share Debian 12's glibc; the Swift runtime is linked statically.
# checkov:skip=CKV_DOCKER_7:The base images are the ARGs below, fixed releases (swift:6.3-bookworm: the code needs Swift 6.2+ for nonisolated(nonsending); debian:12-slim), never latest.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:12-slim
# The CAs of the database servers (sslmode=verify-full&sslrootcert=/etc/blockfleet/ca/…): AWS's
# global RDS bundle and the Redshift bundle. Other partitions (China, GovCloud) have their own URLs.
ARG RDS_CA_BUNDLE_URL=https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
ARG REDSHIFT_CA_BUNDLE_URL=https://s3.amazonaws.com/redshift-downloads/amazon-trust-ca-bundle.crt

FROM ${SWIFT_IMAGE} AS build
ARG RDS_CA_BUNDLE_URL
ARG REDSHIFT_CA_BUNDLE_URL
# Fetched over verified HTTPS at build time; a download that holds no certificate fails the build.
RUN mkdir -p /ca \
    && curl --proto '=https' --tlsv1.2 -fsSL -o /ca/rds-global-bundle.pem "$RDS_CA_BUNDLE_URL" \
    && curl --proto '=https' --tlsv1.2 -fsSL -o /ca/redshift-ca-bundle.crt "$REDSHIFT_CA_BUNDLE_URL" \
    && for bundle in /ca/*; do \
         grep -q -- '-----BEGIN CERTIFICATE-----' "$bundle" || { echo "$bundle holds no certificate" >&2; exit 1; }; \
       done
# ISA-L's igzip writes the staged gzip files (Sources/CISAL); zstd and snappy compress Parquet
# pages (Sources/CZstd, Sources/CSnappy).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libisal-dev libzstd-dev libsnappy-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a source change reuses the resolved and fetched packages.
COPY Package.swift ./
RUN swift package resolve
# SwiftPM checks every target's folder, tests and benchmarks included.
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
RUN swift build -c release --static-swift-stdlib --product coordinator \
    && swift build -c release --static-swift-stdlib --product worker \
    && swift build -c release --static-swift-stdlib --product devchain \
    && mkdir -p /out \
    && for exe in coordinator worker devchain; do \
         cp "$(swift build -c release --show-bin-path)/$exe" /out/ && strip /out/$exe; \
       done

FROM ${RUNTIME_IMAGE}
# ISA-L (libisal2) and zlib for gzip, zstd (libzstd1) and snappy (libsnappy1v5) for Parquet,
# CA certificates for S3, STS and hosted nodes over TLS, libstdc++ for the parts of the runtime
# that stay dynamic (and libsnappy).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libisal2 zlib1g libzstd1 libsnappy1v5 libstdc++6 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 blockfleet \
    && useradd --system --uid 10001 --gid blockfleet --no-create-home --home-dir /nonexistent \
         --shell /usr/sbin/nologin blockfleet
COPY --from=build /out/ /usr/local/bin/
# The database servers' CAs, read-only: the URLs name them with sslrootcert (docs/deploy.md).
COPY --from=build --chmod=0444 /ca/ /etc/blockfleet/ca/
# The shipped warehouse models; mount a folder over it (or set BLOCKFLEET_MODELS_DIR) for your own.
COPY models /opt/blockfleet/models
# The shipped decoded-table definitions (parse/README.md); mount a folder over it for your own.
COPY parse /opt/blockfleet/parse
# The root filesystem may be read-only (the Helm chart makes it so): scratch space and
# temporary files go to mounted volumes.
ENV TMPDIR=/tmp \
    BLOCKFLEET_SCRATCH_DIR=/scratch \
    BLOCKFLEET_MODELS_DIR=/opt/blockfleet/models \
    BLOCKFLEET_PARSE_DIR=/opt/blockfleet/parse
USER 10001:10001
WORKDIR /nonexistent
# checkov:skip=CKV_DOCKER_2:Kubernetes probes /healthz and /readyz (see the Helm chart); the image carries no HTTP client for a HEALTHCHECK.
CMD ["worker"]
