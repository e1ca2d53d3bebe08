//! The GitHub token, wrapped so it cannot leak: its `Debug` and `Display` print `***`, and
//! the only way to the secret is [`Token::expose`], used once when the client is built.

use std::fmt;

/// A GitHub API token (from `GITHUB_TOKEN`).
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token; `None` when it is empty or only whitespace.
    pub fn new(secret: impl Into<String>) -> Option<Self> {
        let secret = secret.into();
        let trimmed = secret.trim();
        (!trimmed.is_empty()).then(|| Token(trimmed.to_string()))
    }

    /// The secret itself, for the Authorization header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_debug_and_display_hide_the_secret() {
        let token = Token::new("ghp_secret123").unwrap();
        assert_eq!(format!("{token:?}"), "Token(***)");
        assert_eq!(format!("{token}"), "***");
        assert_eq!(format!("{:?}", Some(&token)), "Some(Token(***))");
        assert_eq!(token.expose(), "ghp_secret123");
    }

    #[test]
    fn empty_token_is_no_token() {
        assert!(Token::new("").is_none());
        assert!(Token::new("  \n").is_none());
    }
}
