//! The full forward pass: every position of a sequence recomputed from scratch, with no
//! cache. It is the reference the cached generator is tested against, so its attention is
//! written independently of the cache (causal mask over the whole sequence).

use super::error::ModelError;
use super::ops::{THREADS, layer_norm_rows, linear};
use super::weights::Model;
use crate::kernels;

impl Model {
    /// Logits of every position of `tokens`: row-major `tokens.len() × vocab`, row `i`
    /// predicting the token after position `i`.
    pub fn forward(&self, tokens: &[u32]) -> Result<Vec<f32>, ModelError> {
        let c = self.config;
        c.check_tokens(0, tokens)?;
        let (t, d, hd) = (tokens.len(), c.d_model, c.head_dim());
        let mut x = vec![0.0; t * d];
        for (pos, (&tok, row)) in tokens.iter().zip(x.chunks_exact_mut(d)).enumerate() {
            let tok = tok as usize;
            kernels::add(
                &self.token_embedding[tok * d..(tok + 1) * d],
                &self.position_embedding[pos * d..(pos + 1) * d],
                row,
            );
        }
        let mut h = vec![0.0; t * d];
        let mut qkv = vec![0.0; t * 3 * d];
        let mut attn = vec![0.0; t * d];
        let mut fc = vec![0.0; t * 4 * d];
        let scale = 1.0 / (hd as f32).sqrt();
        for w in &self.layers {
            layer_norm_rows(&x, &w.ln1_gamma, &w.ln1_beta, &mut h);
            linear(&h, &w.w_qkv, &w.b_qkv, &mut qkv, t, d, 3 * d);
            // Row i holds [q | k | v], each d wide; head `head` is columns head·hd.. of each.
            let part = |row: usize, which: usize, head: usize| {
                let start = row * 3 * d + which * d + head * hd;
                &qkv[start..start + hd]
            };
            for i in 0..t {
                for head in 0..c.heads {
                    let q = part(i, 0, head);
                    let mut weights: Vec<f32> =
                        (0..=i).map(|j| dot(q, part(j, 1, head)) * scale).collect();
                    kernels::softmax_in_place(&mut weights);
                    let out = &mut attn[i * d + head * hd..i * d + (head + 1) * hd];
                    out.fill(0.0);
                    for (j, &p) in weights.iter().enumerate() {
                        for (o, &v) in out.iter_mut().zip(part(j, 2, head)) {
                            *o += p * v;
                        }
                    }
                }
            }
            linear(&attn, &w.w_proj, &w.b_proj, &mut h, t, d, d);
            kernels::add_in_place(&mut x, &h);
            layer_norm_rows(&x, &w.ln2_gamma, &w.ln2_beta, &mut h);
            linear(&h, &w.w_fc, &w.b_fc, &mut fc, t, d, 4 * d);
            kernels::gelu_in_place(&mut fc);
            linear(&fc, &w.w_out, &w.b_out, &mut h, t, 4 * d, d);
            kernels::add_in_place(&mut x, &h);
        }
        layer_norm_rows(&x, &self.lnf_gamma, &self.lnf_beta, &mut h);
        let mut logits = vec![0.0; t * c.vocab];
        kernels::matmul_bt(
            &h,
            &self.token_embedding,
            &mut logits,
            t,
            d,
            c.vocab,
            THREADS,
        );
        Ok(logits)
    }
}

/// Dot product of two equally long vectors.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ModelConfig;

    #[test]
    fn changing_a_future_token_leaves_earlier_positions_unchanged() {
        for config in [ModelConfig::SMALL, ModelConfig::MEDIUM] {
            let model = Model::new(config, 5);
            let v = config.vocab;
            let tokens: Vec<u32> = (0..12).map(|i| (i * 37 + 3) % v as u32).collect();
            let mut changed = tokens.clone();
            changed[9] = (changed[9] + 100) % v as u32;
            let a = model.forward(&tokens).unwrap();
            let b = model.forward(&changed).unwrap();
            // Positions before the change see exactly the same inputs.
            assert_eq!(a[..9 * v], b[..9 * v]);
            // The changed position and those after it do see it (so the test can fail).
            for pos in 9..12 {
                assert_ne!(
                    a[pos * v..(pos + 1) * v],
                    b[pos * v..(pos + 1) * v],
                    "pos {pos}"
                );
            }
        }
    }

    #[test]
    fn forward_rejects_sequences_it_cannot_process() {
        let model = Model::new(ModelConfig::SMALL, 5);
        assert_eq!(model.forward(&[]), Err(ModelError::Empty));
        assert_eq!(
            model.forward(&[0; 65]),
            Err(ModelError::TooLong {
                len: 65,
                context: 64
            })
        );
        assert_eq!(
            model.forward(&[1, 600]),
            Err(ModelError::UnknownToken {
                token: 600,
                vocab: 512
            })
        );
    }
}
