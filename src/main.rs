//! The `mergemark` binary: everything lives in the library; this only hands over the arguments.

fn main() {
    std::process::exit(mergemark::run(std::env::args_os()));
}
