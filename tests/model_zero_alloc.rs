//! Steady-state generation allocates nothing. The counting allocator is process-wide, so
//! this file holds a single test: the test binary then runs it while its other threads
//! (the harness's main thread) only wait, and the counts seen are this test's own.

use perfgate::model::{Generator, Model, ModelConfig, NEW_TOKENS, PROMPT};
use perfgate::runner::alloc::AllocCounters;

#[test]
fn second_generation_allocates_zero_bytes_for_both_models() {
    for config in [ModelConfig::SMALL, ModelConfig::MEDIUM] {
        let prompt = PROMPT;
        let mut generator = Generator::new(Model::new(config, 1));
        let mut tokens = [0u32; NEW_TOKENS];
        generator.generate(&prompt, &mut tokens).unwrap();

        let before = AllocCounters::now();
        generator.generate(&prompt, &mut tokens).unwrap();
        let used = AllocCounters::now().since(before);

        assert_eq!(used, AllocCounters { bytes: 0, count: 0 }, "{config:?}");
        std::hint::black_box(tokens);
    }
}
