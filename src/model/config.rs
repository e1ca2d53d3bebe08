//! Model shapes: the Small and Medium configurations of issue 3.

use super::error::ModelError;
use crate::results::ModelInfo;

/// Epsilon of every LayerNorm (GPT-2's value).
pub const LAYER_NORM_EPS: f32 = 1e-5;

/// Shape of a GPT-2 style decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelConfig {
    /// Embedding width.
    pub d_model: usize,
    /// Decoder layers.
    pub layers: usize,
    /// Attention heads; `d_model` is a multiple of it.
    pub heads: usize,
    /// Context length: positions the model can attend over.
    pub context: usize,
    /// Vocabulary size.
    pub vocab: usize,
}

impl ModelConfig {
    /// The Small model: d=128, 2 layers, 4 heads, context 64, vocabulary 512.
    pub const SMALL: ModelConfig = ModelConfig {
        d_model: 128,
        layers: 2,
        heads: 4,
        context: 64,
        vocab: 512,
    };

    /// The Medium model: d=256, 4 layers, 8 heads, context 128, vocabulary 1024.
    pub const MEDIUM: ModelConfig = ModelConfig {
        d_model: 256,
        layers: 4,
        heads: 8,
        context: 128,
        vocab: 1024,
    };

    /// Width of one attention head.
    pub fn head_dim(&self) -> usize {
        self.d_model / self.heads
    }

    /// Parameters by the closed formula V·d + C·d + L·(12d² + 13d) + 2d. The built model's
    /// own count is [`crate::model::Model::param_count`]; tests check that the two agree.
    pub fn formula_params(&self) -> u64 {
        let (d, l) = (self.d_model as u64, self.layers as u64);
        let (v, c) = (self.vocab as u64, self.context as u64);
        v * d + c * d + l * (12 * d * d + 13 * d) + 2 * d
    }

    /// The shape as recorded in results files, with `params` parameters.
    pub fn info(&self, params: u64) -> ModelInfo {
        ModelInfo {
            params,
            d_model: self.d_model,
            layers: self.layers,
            heads: self.heads,
            context: self.context,
            vocab: self.vocab,
        }
    }

    /// Checks that `tokens`, placed after `start` earlier positions, are not empty, fit the
    /// context and are all in the vocabulary.
    pub fn check_tokens(&self, start: usize, tokens: &[u32]) -> Result<(), ModelError> {
        if tokens.is_empty() {
            return Err(ModelError::Empty);
        }
        let len = start + tokens.len();
        if len > self.context {
            return Err(ModelError::TooLong {
                len,
                context: self.context,
            });
        }
        match tokens.iter().find(|&&t| t as usize >= self.vocab) {
            Some(&token) => Err(ModelError::UnknownToken {
                token,
                vocab: self.vocab,
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_tokens_rejects_empty_too_long_and_unknown_tokens() {
        let c = ModelConfig::SMALL;
        assert_eq!(c.check_tokens(0, &[]), Err(ModelError::Empty));
        assert_eq!(
            c.check_tokens(60, &[1, 2, 3, 4, 5]),
            Err(ModelError::TooLong {
                len: 65,
                context: 64
            })
        );
        assert_eq!(
            c.check_tokens(0, &[3, 512]),
            Err(ModelError::UnknownToken {
                token: 512,
                vocab: 512
            })
        );
        assert_eq!(c.check_tokens(63, &[511]), Ok(()));
    }
}
