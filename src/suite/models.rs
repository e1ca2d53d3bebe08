//! Model benchmarks: Small and Medium GPT-style transformers, built with seeded weights
//! and run greedily with a KV cache, single-threaded.

use std::hint::black_box;

use super::{Benchmark, Routine, Work};
use crate::model::{Generator, Model, ModelConfig, NEW_TOKENS, PROMPT, prefill_flops};

/// The model half of the suite: for each model, `create`, `generate` and `forward`.
pub fn benchmarks() -> Vec<Benchmark> {
    [
        ("small", ModelConfig::SMALL),
        ("medium", ModelConfig::MEDIUM),
    ]
    .into_iter()
    .flat_map(|(name, config)| {
        [
            create(name, config),
            generate(name, config),
            forward(name, config),
        ]
    })
    .collect()
}

/// A model benchmark named `model/{model}/{what}`.
fn benchmark(
    model: &str,
    what: &str,
    config: ModelConfig,
    description: String,
    work: Work,
    setup: super::Setup,
) -> Benchmark {
    Benchmark {
        name: format!("model/{model}/{what}"),
        group: "model".to_string(),
        description,
        work,
        parallel: false,
        // The closed formula; tests check it equals the built model's tensor count.
        model: Some(config.info(config.formula_params())),
        setup,
    }
}

/// Builds the model with seeded weights.
fn create(name: &str, config: ModelConfig) -> Benchmark {
    let description = format!(
        "build the {name} model ({} params) with seeded random weights",
        config.formula_params()
    );
    let setup: super::Setup = Box::new(move |seed| Box::new(Create { config, seed }));
    benchmark(name, "create", config, description, Work::None, setup)
}

struct Create {
    config: ModelConfig,
    seed: u64,
}

impl Routine for Create {
    fn iterate(&mut self) {
        black_box(Model::new(black_box(self.config), black_box(self.seed)));
    }
}

/// Greedy generation of [`NEW_TOKENS`] tokens after the fixed prompt.
fn generate(name: &str, config: ModelConfig) -> Benchmark {
    let description = format!(
        "greedy generation of {NEW_TOKENS} tokens after a {}-token prompt, KV cache, 1 thread",
        PROMPT.len()
    );
    let setup: super::Setup = Box::new(move |seed| {
        Box::new(Generate {
            generator: Generator::new(Model::new(config, seed)),
            tokens: [0; NEW_TOKENS],
        })
    });
    let work = Work::Tokens(NEW_TOKENS as u64);
    benchmark(name, "generate", config, description, work, setup)
}

struct Generate {
    generator: Generator,
    tokens: [u32; NEW_TOKENS],
}

impl Routine for Generate {
    fn iterate(&mut self) {
        self.generator
            .generate(black_box(&PROMPT), &mut self.tokens)
            .expect("the fixed prompt and token count fit both models");
        black_box(&self.tokens);
    }
}

/// One batched forward pass over the full context.
fn forward(name: &str, config: ModelConfig) -> Benchmark {
    let description = format!(
        "forward pass over the full {}-token context in one batch, 1 thread",
        config.context
    );
    let setup: super::Setup = Box::new(move |seed| {
        let tokens = (0..config.context)
            .map(|i| PROMPT[i % PROMPT.len()])
            .collect();
        Box::new(Forward {
            generator: Generator::new(Model::new(config, seed)),
            tokens,
        })
    });
    let work = Work::Flops(prefill_flops(&config, config.context));
    benchmark(name, "forward", config, description, work, setup)
}

struct Forward {
    generator: Generator,
    tokens: Vec<u32>,
}

impl Routine for Forward {
    fn iterate(&mut self) {
        self.generator.reset();
        let logits = self
            .generator
            .feed(black_box(&self.tokens))
            .expect("the context-long sequence fits the model");
        black_box(logits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_benchmark_names_are_the_interface() {
        let names: Vec<String> = benchmarks().into_iter().map(|b| b.name).collect();
        assert_eq!(
            names,
            [
                "model/small/create",
                "model/small/generate",
                "model/small/forward",
                "model/medium/create",
                "model/medium/generate",
                "model/medium/forward",
            ]
        );
    }

    #[test]
    fn model_benchmarks_record_the_built_models_shape() {
        let small = Model::new(ModelConfig::SMALL, 0).info();
        let medium = Model::new(ModelConfig::MEDIUM, 0).info();
        for b in benchmarks() {
            let built = if b.name.contains("small") {
                small
            } else {
                medium
            };
            assert_eq!(b.model, Some(built), "{}", b.name);
        }
    }

    #[test]
    fn generate_benchmarks_count_tokens_and_run_without_panicking() {
        for b in benchmarks()
            .into_iter()
            .filter(|b| b.name.ends_with("/generate"))
        {
            assert_eq!(b.work, Work::Tokens(25));
            let mut routine = (b.setup)(42);
            routine.iterate();
            routine.iterate();
        }
    }
}
