// MallocTuning: keeps multi-megabyte buffers in the heap instead of fresh mmaps.

#if canImport(Glibc)
import Glibc
#endif

/// A batch of node answers is several MB, and so are a window's CSV rows. glibc serves
/// allocations that large with a fresh `mmap` and unmaps them on free, so each paid page faults
/// and page zeroing (several percent of the export's CPU in a profile). Raising the mmap
/// threshold to its maximum (32 MiB) and the trim threshold to `keep` lets freed buffers serve
/// the next window. devchain, which does not link Shared, has its own copy. mallopt is looked up
/// at run time because Swift's Glibc module does not export malloc.h; elsewhere this does nothing.
public enum MallocTuning {
    public static func keepLargeBuffers(keep: Int32) {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "mallopt") else { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-1, keep)  // M_TRIM_THRESHOLD
        _ = mallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD
        #endif
    }
}
