// The lake an export job also writes: a store (folder or S3 prefix) and its keys.

/// `BLOCKFLEET_LAKE_URL` made into a store: `file:///path` or `s3://bucket/prefix`, through the
/// staging stores (same S3 client, credentials and retries). Unlike staging, nothing expires it.
public struct LakeDestination: Sendable {
    public let store: any StagingStore
    public let keys: LakeKeys

    public init(store: any StagingStore, keys: LakeKeys) {
        self.store = store
        self.keys = keys
    }
}
