#if canImport(Glibc)
  import Glibc
#endif

/// glibc's allocator is tuned for long-lived processes: every block over 128 KiB gets pages
/// of its own from the kernel, and freed memory goes back at once. A command lives for
/// milliseconds, and growing the arrays and strings of a large client (a 2,000-milestone
/// status) then costs a page fault for every fresh page, over and over: about a fifth of its
/// page faults, measurable against `jq` on the same file (docs/benchmarks.md). For a command,
/// large blocks come from the heap and freed memory is kept for reuse; the server (`accord
/// serve`), which runs for months, keeps glibc's defaults.
enum MemoryTuning {
  static func forOneCommand() {
    #if canImport(Glibc)
      // mallopt is in <malloc.h>, which the Glibc module leaves out: found by name.
      guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
      _ = mallopt(-3, 256 << 20)  // M_MMAP_THRESHOLD
      _ = mallopt(-1, 256 << 20)  // M_TRIM_THRESHOLD
      _ = mallopt(-2, 16 << 20)  // M_TOP_PAD
    #endif
  }
}
