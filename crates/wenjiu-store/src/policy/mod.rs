//! 政策清单：从目录加载政策与参数、检查并运行测试用例。
//! The policy catalogue: policies and their dated regional parameters loaded from a directory
//! (`DIR/parameters/*.toml`, `DIR/*.toml`, test cases in `DIR/tests/*.toml`), checked against
//! the subject [`schema`] when loaded. The engine is [`wenjiu_rules`], re-exported as [`rules`].

pub mod cases;
pub mod eligibility;
pub mod facts;
pub mod overrides;
pub mod schema;
pub mod screening;

use std::fmt;
use std::path::{Path, PathBuf};

pub use wenjiu_rules as rules;
use wenjiu_rules::{Error, Parameters, Policy, PolicySet, Schema};

pub use schema::{FIELDS, FieldDef, field, schema};

/// A loaded, type-checked catalogue.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub dir: PathBuf,
    pub params: Parameters,
    pub schema: Schema,
    pub set: PolicySet,
}

/// Why a catalogue (or a test-case file) could not be loaded: the file, the line and a message
/// for the policy author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    /// 1-based; 0 when the error is about the file as a whole.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    pub(crate) fn new(file: &str, line: usize, message: impl Into<String>) -> LoadError {
        LoadError {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// The 1-based line of the first line of `text` containing `needle`, or 0.
pub(crate) fn line_containing(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

/// An engine error as a [`LoadError`]. Errors that the engine reports without a line (a
/// parameter lacking a value, a duplicate id) get the line of the first use in `text`.
fn from_engine(e: Error, text: &str) -> LoadError {
    let (file, line, message) = match e {
        Error::Toml {
            file,
            line,
            message,
        } => (file, line, format!("TOML 格式错误：{message}")),
        Error::Invalid {
            file,
            line,
            message,
        } => (file, line, message),
        Error::Syntax {
            file,
            line,
            expr,
            message,
        } => (file, line, format!("表达式 `{expr}` 语法错误：{message}")),
        Error::Check {
            file,
            line,
            expr,
            message,
        } => (file, line, format!("表达式 `{expr}` 有误：{message}")),
        Error::MissingParamValue { file, param, date } => {
            let line = line_containing(text, &format!("param(\"{param}\")"));
            let message = format!("参数“{param}”在政策生效日 {date} 没有省级默认值");
            (file, line, message)
        }
        Error::DuplicatePolicy { file, id } => {
            let line = line_containing(text, "id =");
            (file, line, format!("政策编号“{id}”重复"))
        }
        other => (String::new(), 0, other.to_string()),
    };
    LoadError {
        file,
        line,
        message,
    }
}

/// The `.toml` files directly in `dir`, sorted by name.
pub(crate) fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| LoadError::new(&dir.display().to_string(), 0, format!("无法读取目录：{e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

pub(crate) fn read(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path)
        .map_err(|e| LoadError::new(&path.display().to_string(), 0, format!("无法读取：{e}")))
}

/// Loads `dir/parameters/*.toml` and the policies `dir/*.toml`, type-checks every policy
/// against the [`schema`] and checks that each parameter it reads has a province default on
/// the day it takes effect. The first error names its file and line.
pub fn load_catalogue(dir: &Path) -> Result<Catalogue, LoadError> {
    let mut params = Parameters::default();
    let param_dir = dir.join("parameters");
    if !param_dir.is_dir() {
        return Err(LoadError::new(
            &param_dir.display().to_string(),
            0,
            "缺少参数目录 parameters/",
        ));
    }
    for path in toml_files(&param_dir)? {
        let text = read(&path)?;
        params
            .add_file(&path.display().to_string(), &text)
            .map_err(|e| from_engine(e, &text))?;
    }
    let schema = schema(&params);
    let mut policies = Vec::new();
    let mut texts = Vec::new();
    for path in toml_files(dir)? {
        let text = read(&path)?;
        let name = path.display().to_string();
        let policy = Policy::parse(&name, &text, &schema).map_err(|e| from_engine(e, &text))?;
        policies.push(policy);
        texts.push((name, text));
    }
    let set = PolicySet::new(policies, &params).map_err(|e| {
        // Find the file the error is about, to point at a line in it.
        let text = match &e {
            Error::MissingParamValue { file, .. } | Error::DuplicatePolicy { file, .. } => texts
                .iter()
                .find(|(name, _)| name == file)
                .map_or("", |(_, t)| t.as_str()),
            _ => "",
        };
        from_engine(e, text)
    })?;
    Ok(Catalogue {
        dir: dir.to_path_buf(),
        params,
        schema,
        set,
    })
}

/// The catalogues under `dir`: `dir` itself when it has a `parameters/` folder, otherwise each
/// subfolder that has one (so `policies/` covers every catalogue in it), sorted.
pub fn catalogue_dirs(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    if dir.join("parameters").is_dir() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| LoadError::new(&dir.display().to_string(), 0, format!("无法读取目录：{e}")))?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("parameters").is_dir())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(LoadError::new(
            &dir.display().to_string(),
            0,
            "不是政策清单目录：其中及其子目录都没有 parameters/",
        ));
    }
    Ok(dirs)
}
