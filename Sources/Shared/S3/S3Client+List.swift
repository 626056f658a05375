// ListObjectsV2: one page, all pages as an async sequence, or everything in an array.

extension S3Client {
    /// One page of keys under `prefix` (up to `maxKeys`, S3's default and maximum 1,000).
    public func listObjectsV2Page(
        bucket: String,
        prefix: String? = nil,
        delimiter: String? = nil,
        continuationToken: String? = nil,
        startAfter: String? = nil,
        maxKeys: Int? = nil
    ) async throws -> S3ListPage {
        var request = S3Request(operation: "ListObjectsV2", method: .GET, bucket: bucket, key: nil, timeout: configuration.requestTimeout)
        request.query = [("list-type", "2")]
        if let prefix, !prefix.isEmpty { request.query.append(("prefix", prefix)) }
        if let delimiter { request.query.append(("delimiter", delimiter)) }
        if let continuationToken { request.query.append(("continuation-token", continuationToken)) }
        if let startAfter { request.query.append(("start-after", startAfter)) }
        if let maxKeys { request.query.append(("max-keys", String(maxKeys))) }
        return try await perform(request) { response in
            let body = try await response.body.collect(upTo: 32 << 20)
            return try S3ListPage(xml: S3XMLParser.parse(body))
        }
    }

    /// Every page under `prefix`, fetched as the sequence is read (so a huge bucket is never
    /// held in memory), following continuation tokens.
    public func listObjectsV2(bucket: String, prefix: String? = nil, delimiter: String? = nil, pageSize: Int? = nil) -> S3ListObjectsSequence {
        S3ListObjectsSequence(client: self, bucket: bucket, prefix: prefix, delimiter: delimiter, pageSize: pageSize)
    }

    /// All objects under `prefix`, in key order.
    public func listAllObjects(bucket: String, prefix: String? = nil, pageSize: Int? = nil) async throws -> [S3ObjectSummary] {
        var objects: [S3ObjectSummary] = []
        for try await page in listObjectsV2(bucket: bucket, prefix: prefix, pageSize: pageSize) {
            objects += page.objects
        }
        return objects
    }
}

/// The pages of a listing, fetched one at a time as iteration asks.
public struct S3ListObjectsSequence: AsyncSequence, Sendable {
    public typealias Element = S3ListPage
    let client: S3Client
    let bucket: String
    let prefix: String?
    let delimiter: String?
    let pageSize: Int?

    public struct AsyncIterator: AsyncIteratorProtocol {
        let sequence: S3ListObjectsSequence
        var token: String?
        var finished = false
        var pages = 0

        public mutating func next() async throws -> S3ListPage? {
            guard !finished else { return nil }
            let page = try await sequence.client.listObjectsV2Page(
                bucket: sequence.bucket, prefix: sequence.prefix, delimiter: sequence.delimiter,
                continuationToken: token, maxKeys: sequence.pageSize
            )
            pages += 1
            if page.isTruncated {
                guard let next = page.nextContinuationToken, next != token else {
                    throw S3Error(.malformedResponse, operation: "ListObjectsV2", bucket: sequence.bucket, "a truncated page without a new continuation token")
                }
                token = next
            } else {
                finished = true
            }
            return page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(sequence: self)
    }
}
