// MallocTuning: keeps multi-megabyte reply buffers in the heap instead of fresh mmaps.

#if canImport(Glibc)
import Glibc
#endif

/// A batch reply is several MB. glibc serves allocations that large with a fresh `mmap` and
/// unmaps them on free, so every reply paid page faults and page zeroing — a third of devchain's
/// serving CPU in a profile. Raising the mmap threshold to its maximum (32 MiB) and the trim
/// threshold keeps the freed buffers in the heap for the next reply. mallopt is looked up at
/// run time because Swift's Glibc module does not export malloc.h; elsewhere this does nothing.
enum MallocTuning {
    static func keepLargeBuffers() {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "mallopt") else { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-1, 1 << 30)  // M_TRIM_THRESHOLD: keep up to 1 GiB of free heap
        _ = mallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD: heap-allocate up to 32 MiB
        #endif
    }
}
