//! Nothing here: the benches are the example.
