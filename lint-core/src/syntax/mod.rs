//! Syntax helpers shared by the walker and the rules: recognising paths and
//! calls, places, macro arguments and format strings.

pub mod boxing;
pub mod cfg;
pub mod doc_comments;
pub mod edition;
pub mod format_string;
pub mod imports;
pub mod insertions;
pub(crate) mod lexical;
pub mod macros;
pub mod method_calls;
pub mod nesting;
pub mod paths;
pub mod place;
pub mod shadowing;
pub mod snippet;
pub mod spans;
pub mod test_modules;
pub mod uses;
