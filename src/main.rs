//! The `mergemark` binary: everything lives in the library; this only hands over the arguments.

/// mimalloc rather than the system allocator: a run over a documentation tree makes many small,
/// short-lived allocations on every thread (outlines, findings, regex caches), and it spends
/// about 5% less CPU time with it (`bench/schema.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(mergemark::run(std::env::args_os()));
}
