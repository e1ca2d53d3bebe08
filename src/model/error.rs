//! Why a token sequence cannot be run through a model.

/// A token sequence the model cannot process.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// No tokens were given where at least one is needed.
    #[error("empty token sequence: the model needs at least one token")]
    Empty,
    /// The sequence is longer than the model's context.
    #[error("{len} positions exceed the model's context of {context}")]
    TooLong {
        /// Positions the sequence needs.
        len: usize,
        /// The model's context length.
        context: usize,
    },
    /// A token id is not in the vocabulary.
    #[error("token {token} is outside the vocabulary of {vocab}")]
    UnknownToken {
        /// The offending token id.
        token: u32,
        /// The model's vocabulary size.
        vocab: usize,
    },
}
