//! How batch work is spread: over every core the machine offers.

pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |t| t.get())
}
