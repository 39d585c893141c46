//! patchkit-core: jsdiff 5.2-identical line diffs and unified patches, and
//! their parsing and application, with no dependency on Node.
//!
//! The pipeline runs every stage once:
//!
//! ```text
//! text ──► tokenize (lines) ──► intern (u32 ids) ──► engine (runs) ──► hunks (hunks, text, counts, preview)
//! ```
//!
//! [`create_diff`] is the entry point for one file; [`apply_patch`] applies
//! unified diff text.

#![forbid(unsafe_code)]

pub mod apply;
pub mod batch;
pub mod cache;
pub mod content;
pub mod engine;
pub mod error;
pub mod fit;
pub mod git;
pub mod hunks;
pub mod intern;
pub mod lines;
pub mod metrics;
pub mod multi;
pub mod parse;
pub mod patch;
pub mod plan;
pub mod preview;
pub mod replace;
pub mod reverse;
pub mod sha;
pub mod tokenize;

pub use apply::{apply_patch, apply_patch_with, check_patch, ApplyOptions};
pub use engine::{Budget, Cancel, EngineUsed};
pub use error::{Conflict, Error, Result};
pub use fit::{HunkReport, HunkStatus};
pub use multi::{apply_patches, PatchesOptions};
pub use patch::{
    create_diff, create_diff_bytes, create_diff_content, create_diff_with, Algorithm, ChangeType,
    DiffOptions, FilePatch, Format,
};
pub use reverse::reverse_patch;
