//! The work the model benchmarks do, and how many floating-point operations it takes.

use super::config::ModelConfig;
use crate::results::ModelInfo;

/// The fixed prompt every generation benchmark starts from (8 tokens, valid in both
/// vocabularies).
pub const PROMPT: [u32; 8] = [17, 254, 3, 99, 401, 8, 310, 42];

/// Tokens generated per iteration of a generation benchmark, as in the seed's test.
pub const NEW_TOKENS: usize = 25;

/// FLOPs per generated token when `new_tokens` tokens are generated greedily after a
/// `prompt_len`-token prompt: `2·params + 4·L·d·ctx`, where
/// - `2·params` counts one multiply-add per parameter (the LM head is the tied token
///   embedding, so `params` includes its `V·d`; the `C·d` position embedding and the
///   LayerNorm gains/biases, which are only added, make this a slight over-count of under
///   2%);
/// - `4·L·d·ctx` is attention, per layer `2·d·ctx` for Q·Kᵀ and `2·d·ctx` for the weighted
///   sum of values; `ctx = prompt_len + (new_tokens − 1)/2` is the mean number of positions
///   attended over, since generated token `j` (from 0) comes from the forward pass at
///   position `prompt_len − 1 + j`, which sees `prompt_len + j` positions.
///
/// Not counted: the other `prompt_len − 1` positions of the batched prompt pass and the
/// element-wise work (LayerNorm, GELU, softmax, biases), so the GFLOP/s derived from it
/// understates the arithmetic actually done.
pub fn flops_per_generated_token(model: &ModelInfo, prompt_len: usize, new_tokens: u64) -> f64 {
    let ctx = prompt_len as f64 + (new_tokens as f64 - 1.0) / 2.0;
    2.0 * model.params as f64 + 4.0 * (model.layers * model.d_model) as f64 * ctx
}

/// FLOPs of one forward pass over the first `positions` positions in one batch, as done by
/// the `model/*/forward` benchmarks: per position and layer the four weight matrices
/// (`2·12d²`), causal attention over `1..=positions` positions (`4·d` per attended
/// position), and the LM head for the last position only (`2·V·d`).
pub fn prefill_flops(config: &ModelConfig, positions: usize) -> u64 {
    let (d, l, p) = (
        config.d_model as u64,
        config.layers as u64,
        positions as u64,
    );
    let matrices = 2 * 12 * d * d * p * l;
    let attention = 4 * d * (p * (p + 1) / 2) * l;
    matrices + attention + 2 * config.vocab as u64 * d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flops_per_generated_token_of_the_small_benchmark() {
        let info = ModelConfig::SMALL.info(470_528);
        // 2·470528 + 4·2·128·(8 + 12) = 941056 + 20480.
        assert_eq!(flops_per_generated_token(&info, 8, 25), 961_536.0);
    }

    #[test]
    fn prefill_flops_of_a_two_position_pass() {
        let c = ModelConfig::SMALL;
        // Matrices 2·12·128²·2·2, attention 4·128·(1+2)·2, head 2·512·128.
        assert_eq!(prefill_flops(&c, 2), 1_572_864 + 3_072 + 131_072);
    }
}
