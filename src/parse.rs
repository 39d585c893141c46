//! parsePatch and parsePatchAsync: unified diff text as plain objects, in
//! jsdiff's `parsePatch` shape plus the paths, change kind and git headers
//! the core reads.

use crate::error::Outcome;
use crate::js;
use crate::task::{Control, Work};
use crate::{run_work, schedule, Job};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use patchkit_core::git::GitMeta;
use patchkit_core::lines::LineModel;
use patchkit_core::metrics::Call;
use patchkit_core::multi::change_kind;
use patchkit_core::parse::{self as core, parse, ParsedFile};
use patchkit_core::Cancel;

/// Reads unified diff text (jsdiff's format, `git diff`, `diff -u`,
/// `diff -ruN`) into one entry per file. Throws `PATCH_PARSE` with the line
/// number when the text holds no diff or a hunk disagrees with its header.
#[napi(
    js_name = "parsePatch",
    ts_args_type = "patch: TextInput, options?: ParsePatchOptions",
    ts_return_type = "ParsedPatch[]"
)]
pub fn parse_patch(env: Env, patch: Unknown, options: Option<Unknown>) -> Result<Vec<ParsedPatch>> {
    run_work(&env, Call::ParsePatch, || {
        read(patch, js::object_or_none(options, "options")?.as_ref())
    })
}

/// `parsePatch` on libuv's threadpool.
#[napi(
    js_name = "parsePatchAsync",
    ts_args_type = "patch: TextInput, options?: ParsePatchOptions & AsyncOptions",
    ts_return_type = "Promise<ParsedPatch[]>"
)]
pub fn parse_patch_async(
    env: Env,
    patch: Unknown,
    options: Option<Unknown>,
) -> Result<AsyncTask<Job<ParseWork>>> {
    schedule(&env, Call::ParsePatch, || {
        let object = js::object_or_none(options, "options")?;
        let control = Control::from_options(&env, object.as_ref())?;
        Ok((read(patch, object.as_ref())?, control))
    })
}

fn read(patch: Unknown, options: Option<&Object>) -> Outcome<ParseWork> {
    let strip = match options {
        Some(o) => js::uint_field(o, "strip", 1000.0)?.map(|s| s as usize),
        None => None,
    };
    Ok(ParseWork {
        text: js::text(patch, "patch")?.into_owned(),
        strip,
    })
}

pub struct ParseWork {
    text: String,
    strip: Option<usize>,
}

impl Work for ParseWork {
    type Output = Vec<ParsedPatch>;
    type Js = Vec<ParsedPatch>;

    fn run(&mut self, cancel: Cancel) -> Outcome<Self::Output> {
        cancel.check()?;
        let files = parse(&self.text, LineModel::Exact)?;
        Ok(files
            .iter()
            .filter(|f| f.has_content())
            .map(|f| to_js(f, self.strip))
            .collect())
    }

    fn bytes_in(&self) -> usize {
        self.text.len()
    }

    fn to_js(output: Self::Output) -> Self::Js {
        output
    }
}

/// One file of a parsed patch. The first six fields are jsdiff's
/// `parsePatch` result; the rest is what git and GNU patch read too.
#[napi(object)]
pub struct ParsedPatch {
    /// The name of an `Index:` (or `diff -r …`) line.
    pub index: Option<String>,
    /// The name on the `---` line, as written (prefix kept, quotes removed).
    pub old_file_name: Option<String>,
    /// The name on the `+++` line, as written.
    pub new_file_name: Option<String>,
    /// What follows the name on the `---` line after a tab (often a date).
    pub old_header: Option<String>,
    pub new_header: Option<String>,
    pub hunks: Vec<ParsedHunk>,
    /// The path the file is read from, after stripping (`strip`, else 1 for
    /// git diffs and `a/`…`b/` pairs); `null` when the patch creates it.
    #[napi(ts_type = "string | null")]
    pub old_path: Either<String, Null>,
    /// The path the file is written to; `null` when the patch deletes it.
    #[napi(ts_type = "string | null")]
    pub new_path: Either<String, Null>,
    #[napi(ts_type = "'created' | 'modified' | 'deleted' | 'renamed' | 'copied'")]
    pub status: String,
    /// `Binary files … differ` or `GIT binary patch`: no hunks to apply.
    pub binary: bool,
    /// git's extended headers, when the part has any.
    pub git: Option<GitHeaders>,
    /// 1-based line of the patch text where this file's part starts.
    pub start_line: u32,
}

/// One hunk, as jsdiff's `parsePatch` gives it: starts are 1-based, and a
/// start given with a count of 0 is one higher than written.
#[napi(object)]
pub struct ParsedHunk {
    pub old_start: f64,
    pub old_lines: f64,
    pub new_start: f64,
    pub new_lines: f64,
    /// Each line with its operation: `' '`, `'-'`, `'+'` or `'\\'` (an
    /// empty line, a context line that lost its space, stays `''`, as in
    /// jsdiff). A `\r` before the `\n` stays part of the line (it is the
    /// file's content).
    pub lines: Vec<String>,
    /// The line ending after each line (`'\n'`; `'\n'` also for a last line
    /// without one, as jsdiff reports it).
    pub linedelimiters: Vec<String>,
    /// 1-based line of the `@@` header in the patch text.
    pub header_line: f64,
}

/// git's extended header lines (`diff --git`, modes, renames, copies).
#[napi(object)]
pub struct GitHeaders {
    /// The old name on the `diff --git` line, prefix kept.
    pub old_name: Option<String>,
    /// The new name on the `diff --git` line, prefix kept.
    pub new_name: Option<String>,
    pub old_mode: Option<String>,
    pub new_mode: Option<String>,
    pub new_file_mode: Option<String>,
    pub deleted_file_mode: Option<String>,
    pub rename_from: Option<String>,
    pub rename_to: Option<String>,
    pub copy_from: Option<String>,
    pub copy_to: Option<String>,
    /// `similarity index` in percent.
    pub similarity: Option<u32>,
    /// The `index <old>..<new>[ <mode>]` line's value.
    pub index: Option<String>,
}

fn to_js(file: &ParsedFile, strip: Option<usize>) -> ParsedPatch {
    let strip = strip.unwrap_or_else(|| file.default_strip());
    let nullable = |p: Option<String>| p.map_or(Either::B(Null), Either::A);
    ParsedPatch {
        index: file.index.map(str::to_owned),
        old_file_name: file.old_name.clone(),
        new_file_name: file.new_name.clone(),
        // jsdiff gives `''` for a header line with no tab.
        old_header: file
            .old_name
            .as_ref()
            .map(|_| file.old_header.clone().unwrap_or_default()),
        new_header: file
            .new_name
            .as_ref()
            .map(|_| file.new_header.clone().unwrap_or_default()),
        hunks: file.hunks.iter().map(hunk).collect(),
        old_path: nullable(file.old_path(strip)),
        new_path: nullable(file.new_path(strip)),
        status: change_kind(file).as_str().to_owned(),
        binary: file.git.binary,
        git: git_headers(&file.git),
        start_line: file.start_line as u32,
    }
}

fn hunk(h: &core::ParsedHunk) -> ParsedHunk {
    let mut lines = Vec::with_capacity(h.lines.len());
    let mut linedelimiters = Vec::with_capacity(h.lines.len());
    for line in &h.lines {
        let mut text = String::with_capacity(1 + line.content.len());
        if !line.bare {
            text.push(line.op as char);
            text.push_str(line.content);
        }
        lines.push(text);
        linedelimiters.push(
            if line.ending.is_empty() {
                "\n"
            } else {
                line.ending
            }
            .to_owned(),
        );
    }
    ParsedHunk {
        old_start: h.old_start as f64,
        old_lines: h.old_lines as f64,
        new_start: h.new_start as f64,
        new_lines: h.new_lines as f64,
        lines,
        linedelimiters,
        header_line: h.header_line as f64,
    }
}

fn git_headers(meta: &GitMeta) -> Option<GitHeaders> {
    let meta = GitMeta {
        binary: false,
        ..meta.clone()
    };
    if meta == GitMeta::default() {
        return None;
    }
    let (old_name, new_name) = meta.paths.map_or((None, None), |(a, b)| (Some(a), Some(b)));
    Some(GitHeaders {
        old_name,
        new_name,
        old_mode: meta.old_mode,
        new_mode: meta.new_mode,
        new_file_mode: meta.new_file,
        deleted_file_mode: meta.deleted_file,
        rename_from: meta.rename_from,
        rename_to: meta.rename_to,
        copy_from: meta.copy_from,
        copy_to: meta.copy_to,
        similarity: meta.similarity,
        index: meta.index,
    })
}
