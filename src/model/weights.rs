//! The model's tensors and how they are built from a seed.

use super::config::ModelConfig;
use super::init::{INIT_STD, NormalInit};
use crate::results::ModelInfo;

/// Weights of one pre-LayerNorm decoder layer. Matrices are row-major `in × out`, so a
/// row vector times the matrix is the layer's output.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerWeights {
    /// Gain of the LayerNorm before attention (`d`).
    pub ln1_gamma: Vec<f32>,
    /// Bias of the LayerNorm before attention (`d`).
    pub ln1_beta: Vec<f32>,
    /// Fused query/key/value projection (`d × 3d`; columns are Q, then K, then V).
    pub w_qkv: Vec<f32>,
    /// Bias of the QKV projection (`3d`).
    pub b_qkv: Vec<f32>,
    /// Attention output projection (`d × d`).
    pub w_proj: Vec<f32>,
    /// Bias of the output projection (`d`).
    pub b_proj: Vec<f32>,
    /// Gain of the LayerNorm before the MLP (`d`).
    pub ln2_gamma: Vec<f32>,
    /// Bias of the LayerNorm before the MLP (`d`).
    pub ln2_beta: Vec<f32>,
    /// MLP expansion (`d × 4d`).
    pub w_fc: Vec<f32>,
    /// Bias of the MLP expansion (`4d`).
    pub b_fc: Vec<f32>,
    /// MLP contraction (`4d × d`).
    pub w_out: Vec<f32>,
    /// Bias of the MLP contraction (`d`).
    pub b_out: Vec<f32>,
}

/// A GPT-2 style decoder with its weights. The LM head is tied to the token embedding.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The shape.
    pub config: ModelConfig,
    /// Token embedding (`vocab × d`), also the LM head.
    pub token_embedding: Vec<f32>,
    /// Learned position embedding (`context × d`).
    pub position_embedding: Vec<f32>,
    /// The decoder layers, first to last.
    pub layers: Vec<LayerWeights>,
    /// Gain of the final LayerNorm (`d`).
    pub lnf_gamma: Vec<f32>,
    /// Bias of the final LayerNorm (`d`).
    pub lnf_beta: Vec<f32>,
}

impl LayerWeights {
    /// A layer of width `d` with random matrices and biases and identity LayerNorms.
    fn random(d: usize, init: &mut NormalInit) -> Self {
        LayerWeights {
            ln1_gamma: vec![1.0; d],
            ln1_beta: vec![0.0; d],
            w_qkv: init.normal(d * 3 * d, INIT_STD),
            b_qkv: init.normal(3 * d, INIT_STD),
            w_proj: init.normal(d * d, INIT_STD),
            b_proj: init.normal(d, INIT_STD),
            ln2_gamma: vec![1.0; d],
            ln2_beta: vec![0.0; d],
            w_fc: init.normal(d * 4 * d, INIT_STD),
            b_fc: init.normal(4 * d, INIT_STD),
            w_out: init.normal(4 * d * d, INIT_STD),
            b_out: init.normal(d, INIT_STD),
        }
    }

    /// Every tensor of the layer.
    fn tensors(&self) -> [&[f32]; 12] {
        [
            &self.ln1_gamma,
            &self.ln1_beta,
            &self.w_qkv,
            &self.b_qkv,
            &self.w_proj,
            &self.b_proj,
            &self.ln2_gamma,
            &self.ln2_beta,
            &self.w_fc,
            &self.b_fc,
            &self.w_out,
            &self.b_out,
        ]
    }
}

impl Model {
    /// Builds a model of shape `config` with weights drawn from `seed`: embeddings, matrices
    /// and biases normal(0, 0.02²); LayerNorm gains 1 and biases 0. (Biases are random rather
    /// than GPT-2's zeros so that every bias is exercised by the correctness tests.)
    pub fn new(config: ModelConfig, seed: u64) -> Self {
        assert!(
            config.heads > 0 && config.d_model.is_multiple_of(config.heads),
            "d_model {} is not a multiple of heads {}",
            config.d_model,
            config.heads
        );
        let d = config.d_model;
        let mut init = NormalInit::new(seed);
        Model {
            config,
            token_embedding: init.normal(config.vocab * d, INIT_STD),
            position_embedding: init.normal(config.context * d, INIT_STD),
            layers: (0..config.layers)
                .map(|_| LayerWeights::random(d, &mut init))
                .collect(),
            lnf_gamma: vec![1.0; d],
            lnf_beta: vec![0.0; d],
        }
    }

    /// Every tensor of the model, each once (the tied LM head is the token embedding).
    pub fn tensors(&self) -> impl Iterator<Item = &[f32]> {
        [self.token_embedding.as_slice(), &self.position_embedding]
            .into_iter()
            .chain(self.layers.iter().flat_map(LayerWeights::tensors))
            .chain([self.lnf_gamma.as_slice(), &self.lnf_beta])
    }

    /// Trainable parameters, counted from the tensors.
    pub fn param_count(&self) -> u64 {
        self.tensors().map(|t| t.len() as u64).sum()
    }

    /// The shape and parameter count as recorded in results files.
    pub fn info(&self) -> ModelInfo {
        self.config.info(self.param_count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_model_has_exactly_470_528_parameters() {
        let model = Model::new(ModelConfig::SMALL, 1);
        assert_eq!(model.param_count(), 470_528);
        assert_eq!(ModelConfig::SMALL.formula_params(), 470_528);
    }

    #[test]
    fn medium_model_has_exactly_3_454_464_parameters() {
        let model = Model::new(ModelConfig::MEDIUM, 1);
        assert_eq!(model.param_count(), 3_454_464);
        assert_eq!(ModelConfig::MEDIUM.formula_params(), 3_454_464);
    }

    #[test]
    fn same_seed_builds_identical_weights_and_other_seeds_differ() {
        let a = Model::new(ModelConfig::SMALL, 11);
        assert_eq!(a, Model::new(ModelConfig::SMALL, 11));
        assert_ne!(a, Model::new(ModelConfig::SMALL, 12));
    }

    #[test]
    fn layer_norms_start_as_identity() {
        let model = Model::new(ModelConfig::SMALL, 3);
        let layer = &model.layers[0];
        assert!(layer.ln1_gamma.iter().all(|&g| g == 1.0));
        assert!(layer.ln2_beta.iter().all(|&b| b == 0.0));
        assert!(model.lnf_gamma.iter().all(|&g| g == 1.0));
    }
}
