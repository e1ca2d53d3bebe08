//! GitHub: the sticky PR comment, posted through the REST API (octocrab) with bounded
//! retries, and the context it needs (token, repository, pull request) read from GitHub
//! Actions' variables. Step summary and annotations live in `output::github_actions`.

pub mod announce;
pub mod api;
pub mod comment;
pub mod context;
pub mod issue;
pub mod retry;
pub mod token;

pub use announce::post_and_announce;
pub use comment::{CommentSettings, NotPosted, Posted, post_verdict};
pub use context::GitHubEnv;
pub use token::Token;
