//! The key/value cache of incremental decoding, preallocated for the whole context.

use super::config::ModelConfig;

/// Keys and values of every layer for the positions processed so far. Storage is
/// head-major (`[head][position][head_dim]`) so one head's cached keys or values form one
/// contiguous `positions × head_dim` matrix.
pub struct KvCache {
    keys: Vec<Vec<f32>>,
    values: Vec<Vec<f32>>,
    context: usize,
    head_dim: usize,
}

impl KvCache {
    /// An empty cache with room for `config.context` positions in every layer.
    pub fn new(config: &ModelConfig) -> Self {
        let per_layer = config.context * config.d_model;
        KvCache {
            keys: vec![vec![0.0; per_layer]; config.layers],
            values: vec![vec![0.0; per_layer]; config.layers],
            context: config.context,
            head_dim: config.head_dim(),
        }
    }

    /// Offset of (`head`, `pos`) in one layer's storage.
    fn offset(&self, head: usize, pos: usize) -> usize {
        (head * self.context + pos) * self.head_dim
    }

    /// Stores the key and value (`d` wide, heads side by side) of position `pos` of `layer`.
    pub fn store(&mut self, layer: usize, pos: usize, key: &[f32], value: &[f32]) {
        let hd = self.head_dim;
        for (head, (k, v)) in key.chunks_exact(hd).zip(value.chunks_exact(hd)).enumerate() {
            let at = self.offset(head, pos);
            self.keys[layer][at..at + hd].copy_from_slice(k);
            self.values[layer][at..at + hd].copy_from_slice(v);
        }
    }

    /// Keys of positions `0..len` of one head of `layer`: `len × head_dim`.
    pub fn keys(&self, layer: usize, head: usize, len: usize) -> &[f32] {
        let at = self.offset(head, 0);
        &self.keys[layer][at..at + len * self.head_dim]
    }

    /// Values of positions `0..len` of one head of `layer`: `len × head_dim`.
    pub fn values(&self, layer: usize, head: usize, len: usize) -> &[f32] {
        let at = self.offset(head, 0);
        &self.values[layer][at..at + len * self.head_dim]
    }
}
