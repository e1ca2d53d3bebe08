//! Cached greedy generation: a session that owns a model, its KV cache and every scratch
//! buffer, so that generating tokens after the first call allocates nothing.

use super::config::ModelConfig;
use super::error::ModelError;
use super::kv_cache::KvCache;
use super::ops::{THREADS, argmax, layer_norm_rows, linear};
use super::weights::Model;
use crate::kernels;

/// Activations of up to `context` positions processed together, preallocated.
struct Scratch {
    /// Residual stream (`rows × d`).
    x: Vec<f32>,
    /// LayerNorm output, then projection outputs (`rows × d`).
    h: Vec<f32>,
    /// Fused Q|K|V (`rows × 3d`).
    qkv: Vec<f32>,
    /// Attention output, heads side by side (`rows × d`).
    attn: Vec<f32>,
    /// MLP hidden layer (`rows × 4d`).
    fc: Vec<f32>,
    /// Attention weights of one head of one position (`context`).
    scores: Vec<f32>,
    /// Logits of the last position (`vocab`).
    logits: Vec<f32>,
}

impl Scratch {
    fn new(c: &ModelConfig) -> Self {
        let rows_d = c.context * c.d_model;
        Scratch {
            x: vec![0.0; rows_d],
            h: vec![0.0; rows_d],
            qkv: vec![0.0; 3 * rows_d],
            attn: vec![0.0; rows_d],
            fc: vec![0.0; 4 * rows_d],
            scores: vec![0.0; c.context],
            logits: vec![0.0; c.vocab],
        }
    }
}

/// An inference session: a model with a KV cache holding the positions processed so far.
pub struct Generator {
    model: Model,
    cache: KvCache,
    scratch: Scratch,
    position: usize,
}

impl Generator {
    /// A session over `model` with an empty cache; allocates all buffers once.
    pub fn new(model: Model) -> Self {
        Generator {
            cache: KvCache::new(&model.config),
            scratch: Scratch::new(&model.config),
            model,
            position: 0,
        }
    }

    /// The model this session runs.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Positions processed since the last reset (the next token's position).
    pub fn position(&self) -> usize {
        self.position
    }

    /// Empties the cache (buffers are kept).
    pub fn reset(&mut self) {
        self.position = 0;
    }

    /// Processes `tokens` as the next positions, all in one batch, and returns the logits
    /// of the last one (`vocab` values).
    pub fn feed(&mut self, tokens: &[u32]) -> Result<&[f32], ModelError> {
        self.model.config.check_tokens(self.position, tokens)?;
        Ok(self.advance(tokens))
    }

    /// Greedy generation: resets the cache, feeds `prompt`, then writes `out.len()` tokens,
    /// each the argmax of the logits after the previous one. The prompt and the generated
    /// tokens together must fit the context.
    ///
    /// The prompt is fed one token at a time, like the generated tokens: every matrix
    /// product is then a single-row product, which `gemm` runs without allocating, while
    /// its multi-row path allocates a small buffer per call. So after the first call this
    /// allocates nothing. (A batched prompt pass would stream the weights once instead of
    /// `prompt.len()` times; [`Generator::feed`] does that, at the price of allocations.)
    pub fn generate(&mut self, prompt: &[u32], out: &mut [u32]) -> Result<(), ModelError> {
        let config = self.model.config;
        config.check_tokens(0, prompt)?;
        let len = prompt.len() + out.len();
        if len > config.context {
            return Err(ModelError::TooLong {
                len,
                context: config.context,
            });
        }
        self.reset();
        let Some((first, rest)) = out.split_first_mut() else {
            return Ok(());
        };
        let (last, head) = prompt.split_last().expect("checked non-empty");
        for &token in head {
            self.advance(&[token]);
        }
        *first = argmax(self.advance(&[*last]));
        let mut previous = *first;
        for slot in rest {
            // Argmax indices are below `vocab`, and the length was checked above.
            *slot = argmax(self.advance(&[previous]));
            previous = *slot;
        }
        Ok(())
    }

    /// [`Generator::feed`] for tokens already checked against vocabulary and context.
    fn advance(&mut self, tokens: &[u32]) -> &[f32] {
        let Generator {
            model,
            cache,
            scratch: s,
            position,
        } = self;
        let c = model.config;
        let (m, d, hd, start) = (tokens.len(), c.d_model, c.head_dim(), *position);
        let scale = 1.0 / (hd as f32).sqrt();
        let (x, h) = (&mut s.x[..m * d], &mut s.h[..m * d]);
        let (qkv, attn, fc) = (
            &mut s.qkv[..3 * m * d],
            &mut s.attn[..m * d],
            &mut s.fc[..4 * m * d],
        );
        for (i, (&tok, row)) in tokens.iter().zip(x.chunks_exact_mut(d)).enumerate() {
            let (tok, pos) = (tok as usize, start + i);
            kernels::add(
                &model.token_embedding[tok * d..(tok + 1) * d],
                &model.position_embedding[pos * d..(pos + 1) * d],
                row,
            );
        }
        for (layer, w) in model.layers.iter().enumerate() {
            layer_norm_rows(x, &w.ln1_gamma, &w.ln1_beta, h);
            linear(h, &w.w_qkv, &w.b_qkv, qkv, m, d, 3 * d);
            for (i, row) in qkv.chunks_exact(3 * d).enumerate() {
                cache.store(layer, start + i, &row[d..2 * d], &row[2 * d..]);
            }
            for (i, (row, out)) in qkv
                .chunks_exact(3 * d)
                .zip(attn.chunks_exact_mut(d))
                .enumerate()
            {
                let seen = start + i + 1;
                let scores = &mut s.scores[..seen];
                for (head, (q, out)) in row[..d]
                    .chunks_exact(hd)
                    .zip(out.chunks_exact_mut(hd))
                    .enumerate()
                {
                    kernels::matmul_bt(
                        q,
                        cache.keys(layer, head, seen),
                        scores,
                        1,
                        hd,
                        seen,
                        THREADS,
                    );
                    for v in scores.iter_mut() {
                        *v *= scale;
                    }
                    kernels::softmax_in_place(scores);
                    kernels::matmul(
                        scores,
                        cache.values(layer, head, seen),
                        out,
                        1,
                        seen,
                        hd,
                        THREADS,
                    );
                }
            }
            linear(attn, &w.w_proj, &w.b_proj, h, m, d, d);
            kernels::add_in_place(x, h);
            layer_norm_rows(x, &w.ln2_gamma, &w.ln2_beta, h);
            linear(h, &w.w_fc, &w.b_fc, fc, m, d, 4 * d);
            kernels::gelu_in_place(fc);
            linear(fc, &w.w_out, &w.b_out, h, m, 4 * d, d);
            kernels::add_in_place(x, h);
        }
        *position += m;
        let last = &x[(m - 1) * d..];
        let normed = &mut h[..d];
        kernels::layer_norm(
            last,
            &model.lnf_gamma,
            &model.lnf_beta,
            normed,
            super::config::LAYER_NORM_EPS,
        );
        kernels::matmul_bt(
            normed,
            &model.token_embedding,
            &mut s.logits,
            1,
            d,
            c.vocab,
            THREADS,
        );
        &s.logits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Largest absolute difference between two equally long slices.
    fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
        assert_eq!(a.len(), b.len());
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max)
    }

    fn sequence(config: &ModelConfig, len: usize) -> Vec<u32> {
        (0..len as u32)
            .map(|i| (i * 131 + 7) % config.vocab as u32)
            .collect()
    }

    #[test]
    fn cached_logits_equal_full_recompute_token_by_token() {
        for config in [ModelConfig::SMALL, ModelConfig::MEDIUM] {
            let tokens = sequence(&config, 40);
            let mut g = Generator::new(Model::new(config, 9));
            let full = g.model().forward(&tokens).unwrap();
            let v = config.vocab;
            for (pos, &t) in tokens.iter().enumerate() {
                let cached = g.feed(&[t]).unwrap();
                let diff = max_abs_diff(cached, &full[pos * v..(pos + 1) * v]);
                assert!(diff <= 1e-4, "{config:?} position {pos}: max |Δ| = {diff}");
            }
        }
    }

    #[test]
    fn batched_prefill_then_steps_equal_full_recompute() {
        for config in [ModelConfig::SMALL, ModelConfig::MEDIUM] {
            let tokens = sequence(&config, 20);
            let mut g = Generator::new(Model::new(config, 10));
            let full = g.model().forward(&tokens).unwrap();
            let v = config.vocab;
            let last_of_prefill = g.feed(&tokens[..8]).unwrap();
            assert!(max_abs_diff(last_of_prefill, &full[7 * v..8 * v]) <= 1e-4);
            let batch = g.feed(&tokens[8..15]).unwrap();
            assert!(max_abs_diff(batch, &full[14 * v..15 * v]) <= 1e-4);
            for (pos, &t) in tokens.iter().enumerate().skip(15) {
                let cached = g.feed(&[t]).unwrap();
                assert!(max_abs_diff(cached, &full[pos * v..(pos + 1) * v]) <= 1e-4);
            }
        }
    }

    #[test]
    fn generated_tokens_are_the_greedy_choices_of_the_full_forward() {
        let config = ModelConfig::SMALL;
        let prompt = sequence(&config, 8);
        let mut g = Generator::new(Model::new(config, 4));
        let mut out = [0u32; 25];
        g.generate(&prompt, &mut out).unwrap();
        let mut seq = prompt.clone();
        seq.extend_from_slice(&out[..24]);
        let full = g.model().forward(&seq).unwrap();
        let v = config.vocab;
        for (j, &tok) in out.iter().enumerate() {
            let pos = 7 + j;
            assert_eq!(tok, argmax(&full[pos * v..(pos + 1) * v]), "token {j}");
        }
    }

    #[test]
    fn same_seed_generates_the_same_tokens_from_two_separately_built_models() {
        for config in [ModelConfig::SMALL, ModelConfig::MEDIUM] {
            let prompt = sequence(&config, 8);
            let mut a = Generator::new(Model::new(config, 2024));
            let mut b = Generator::new(Model::new(config, 2024));
            let (mut first, mut again, mut other) = ([0u32; 25], [0u32; 25], [0u32; 25]);
            a.generate(&prompt, &mut first).unwrap();
            a.generate(&prompt, &mut again).unwrap();
            b.generate(&prompt, &mut other).unwrap();
            assert_eq!(first, again, "{config:?}: a second run of one generator");
            assert_eq!(
                first, other,
                "{config:?}: a second model from the same seed"
            );
            // Not only the argmax: the logits themselves are bit-for-bit the same.
            let la = a.feed(&[first[0]]).unwrap().to_vec();
            let lb = b.feed(&[first[0]]).unwrap();
            assert!(la.iter().zip(lb).all(|(x, y)| x.to_bits() == y.to_bits()));
        }
    }

    #[test]
    fn generate_rejects_prompts_that_do_not_fit() {
        let mut g = Generator::new(Model::new(ModelConfig::SMALL, 1));
        let mut out = [0u32; 25];
        assert_eq!(g.generate(&[], &mut out), Err(ModelError::Empty));
        assert_eq!(
            g.generate(&[1; 40], &mut out),
            Err(ModelError::TooLong {
                len: 65,
                context: 64
            })
        );
        assert_eq!(
            g.generate(&[1, 512], &mut out),
            Err(ModelError::UnknownToken {
                token: 512,
                vocab: 512
            })
        );
        g.feed(&[1; 60]).unwrap();
        assert_eq!(
            g.feed(&[1; 5]).map(<[f32]>::len),
            Err(ModelError::TooLong {
                len: 65,
                context: 64
            })
        );
    }
}
