//! The context rules query: where in the file the walk is, and what is known
//! about the current function.

use std::cell::RefCell;
use std::collections::HashMap;

use syn::spanned::Spanned;

use super::facts::{Binding, BindingId, BodyId, FnFacts, LoopId, LoopInfo};
use super::items::FileIndex;
use crate::diagnostic::{Diagnostic, Span};
use crate::layout::growth::Growth;
use crate::layout::{TypeDef, TypeIndex};
use crate::rule::RuleMeta;
use crate::rule::RuleOption;
use crate::semantic::crate_index::CrateIndex;
use crate::semantic::index::Trait;
use crate::settings::RuleSettings;
use crate::source::SourceFile;
use crate::syntax::macros::MacroCall;

/// Collects the diagnostics rules emit.
#[derive(Debug, Default)]
pub struct Emitter {
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Findings that hold only if the crate defines a type of that name.
    pub(crate) pending: Vec<Pending>,
    /// Findings whose loop count is a constant the file doesn't define.
    pub(crate) counts: Vec<CountPending>,
}

impl Emitter {
    /// Reports a finding unless a finding of the same rule already encloses
    /// it (the walk meets outer types before the types nested in them, so
    /// `Box<Box<Vec<T>>>` is reported once, at its outermost).
    pub fn emit_outermost(&mut self, diagnostic: Diagnostic) {
        if !self.encloses(diagnostic.rule, diagnostic.span) {
            self.emit(diagnostic);
        }
    }

    /// [`Emitter::emit_if_defined_within`], unless a finding of the same
    /// rule already encloses it (see [`Emitter::emit_outermost`]).
    pub fn emit_if_defined_within_outermost(
        &mut self,
        type_name: impl Into<String>,
        max_size: u64,
        diagnostic: Diagnostic,
    ) {
        if !self.encloses(diagnostic.rule, diagnostic.span) {
            self.emit_if_defined_within(type_name, max_size, diagnostic);
        }
    }

    /// Whether a finding of `rule`, reported or pending, encloses `span`.
    fn encloses(&self, rule: &str, span: crate::diagnostic::Span) -> bool {
        let pending = self.pending.iter().map(|p| &p.diagnostic);
        self.diagnostics
            .iter()
            .chain(pending)
            .any(|d| d.rule == rule && d.span.start <= span.start && span.end <= d.span.end)
    }

    /// Reports a finding.
    pub fn emit(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports a finding only if the crate defines a struct, enum or union
    /// named `type_name` (in any of its files) that is sized, not
    /// zero-sized, and not estimated larger than `max_size` bytes (an
    /// unknown size passes). Decided once every file of the crate has been
    /// walked.
    pub fn emit_if_defined_within(&mut self, type_name: impl Into<String>, max_size: u64, diagnostic: Diagnostic) {
        self.pending.push(Pending { max_size: Some(max_size), ..Pending::new(type_name.into(), true, diagnostic) });
    }

    /// Reports a finding only if the crate defines exactly one type named
    /// `type_name`, and it implements or derives `Clone` but not `Copy` (so
    /// cloning it is a real copy, not of a reference or bits).
    pub fn emit_if_defined_not_copy(&mut self, type_name: impl Into<String>, diagnostic: Diagnostic) {
        self.pending.push(Pending { not_copy: true, ..Pending::new(type_name.into(), true, diagnostic) });
    }

    /// Reports a finding only if `condition` holds of the crate's functions.
    pub fn emit_if(&mut self, condition: crate::semantic::crate_index::Condition, diagnostic: Diagnostic) {
        self.pending.push(Pending { condition: Some(condition), ..Pending::new(String::new(), false, diagnostic) });
    }

    /// Reports a finding only if the crate defines exactly one type named
    /// `type_name` and implements `Drop` for no type of that name (so a
    /// field can be moved out of it).
    pub fn emit_if_defined_without_drop(&mut self, type_name: impl Into<String>, diagnostic: Diagnostic) {
        self.pending.push(Pending { not_drop: true, ..Pending::new(type_name.into(), true, diagnostic) });
    }

    /// Reports a capacity finding whose loop runs `count` times, a constant
    /// of another file of the crate, once its value is known: the crate
    /// phase drops it if that many iterations fit in the first allocation
    /// (`growth`), and otherwise gives `message_head` the cost of that
    /// count; with no single value of that name in the crate, it is
    /// reported as it is.
    pub fn emit_with_const_count(
        &mut self,
        count: ConstCount,
        growth: Growth,
        message_head: String,
        diagnostic: Diagnostic,
    ) {
        self.counts.push(CountPending { count, growth, message_head, diagnostic });
    }

    /// Reports a finding unless the crate defines a type named `type_name`
    /// estimated larger than `max_size` bytes (types of other crates, and
    /// types of unknown size, pass).
    pub fn emit_unless_larger(&mut self, type_name: impl Into<String>, max_size: u64, diagnostic: Diagnostic) {
        self.pending.push(Pending { max_size: Some(max_size), ..Pending::new(type_name.into(), false, diagnostic) });
    }
}

/// A finding that depends on the crate's type definitions.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Pending {
    pub(crate) type_name: String,
    /// Whether the finding needs the crate to define the type.
    pub(crate) defined: bool,
    /// Whether it needs the one type of that name to clone deeply
    /// ([`CrateIndex::clones_deeply`]: `Clone`, not `Copy`).
    pub(crate) not_copy: bool,
    /// Whether it needs the type not to implement `Drop`.
    pub(crate) not_drop: bool,
    /// What it needs of a function of another file (then `type_name` is empty).
    pub(crate) condition: Option<crate::semantic::crate_index::Condition>,
    pub(crate) max_size: Option<u64>,
    pub(crate) diagnostic: Diagnostic,
}

impl Pending {
    /// A finding about the type `type_name` that needs nothing more of it
    /// than `defined` says.
    fn new(type_name: String, defined: bool, diagnostic: Diagnostic) -> Self {
        Pending { type_name, defined, not_copy: false, not_drop: false, condition: None, max_size: None, diagnostic }
    }

    /// Whether it waits on a function of another crate of the workspace.
    pub(crate) fn waits_for_workspace(&self) -> bool {
        self.condition.as_ref().is_some_and(|c| !c.other_crates().is_empty())
    }

    /// Whether the finding holds in a crate with these types.
    pub(crate) fn holds(&self, index: &CrateIndex, module: Option<&[String]>) -> bool {
        if let Some(condition) = &self.condition {
            return index.seen_from(module).holds(condition);
        }
        let types = index.types();
        if !types.defines(&self.type_name) {
            return !self.defined;
        }
        let def = types.unique(&self.type_name);
        if def.is_some_and(|def| def.unsized_tail) || self.not_copy && !index.clones_deeply(&self.type_name) {
            return false;
        }
        if self.not_drop && (def.is_none() || index.implements(&self.type_name, Trait::Drop)) {
            return false;
        }
        let size = def.and_then(|def| types.def_layout(def)).map(|l| l.size);
        // A zero-sized value is never allocated, boxed or not.
        size != Some(0) && self.max_size.is_none_or(|max| size.is_none_or(|size| size <= max))
    }
}

/// A loop count that is a constant of the crate that the file phase can't
/// see (`0..N` with `use crate::limits::N;`): `end - start` iterations
/// (plus one when `closed`), `end` being the constant named `name`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConstCount {
    /// The constant's own name (the last segment of its path; the original
    /// name of a `use .. as` import).
    pub name: String,
    /// The range's start.
    pub start: u64,
    /// Whether the range is `start..=end`.
    pub closed: bool,
}

impl ConstCount {
    /// The number of iterations when the constant is `end`.
    pub fn iterations(&self, end: u64) -> u64 {
        if self.closed { end.saturating_add(1).saturating_sub(self.start) } else { end.saturating_sub(self.start) }
    }
}

/// A capacity finding waiting for the value of a constant of the crate.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct CountPending {
    pub(crate) count: ConstCount,
    pub(crate) growth: Growth,
    /// The message up to its cost (`.. per iteration of a loop over `0..N``).
    pub(crate) message_head: String,
    /// The finding as it stands with an unknown count.
    pub(crate) diagnostic: Diagnostic,
}

impl CountPending {
    /// The finding once the constant is known to be `value` (`None`: not
    /// known, the finding stands as it is): dropped when the loop stays
    /// within the first allocation, the same decision as for a count the
    /// file phase knows.
    pub(crate) fn resolve(self, value: Option<u64>) -> Option<Diagnostic> {
        let Some(end) = value else { return Some(self.diagnostic) };
        let n = self.count.iterations(end);
        if self.growth.fits_first_allocation(n) {
            return None;
        }
        let mut diagnostic = self.diagnostic;
        if let Some(cost) = self.growth.cost(n) {
            diagnostic.message = format!("{}: {cost}", self.message_head);
        }
        Some(diagnostic)
    }
}

/// What a rule sees once every file of a crate has been walked.
#[derive(Debug)]
pub struct CrateCx<'a> {
    /// The crate's type definitions.
    pub types: &'a TypeIndex,
    /// The crate's files (those the definitions come from).
    pub(crate) sources: &'a [&'a SourceFile],
    /// The configuration of the rule being run.
    pub(crate) settings: &'a RuleSettings,
}

impl<'a> CrateCx<'a> {
    /// The type definitions the running rule may report on (test code only
    /// if the rule is configured to report in tests).
    pub fn defs(&self) -> impl Iterator<Item = &TypeDef> {
        let in_tests = self.settings.in_tests;
        self.types.defs().iter().filter(move |d| in_tests || !d.in_test)
    }

    /// The configured value of one of the running rule's options.
    pub fn option(&self, option: &RuleOption) -> u64 {
        self.settings.option(option)
    }

    /// The source text at `span` of the file `def` is defined in.
    pub fn text(&self, def: &TypeDef, span: Span) -> &'a str {
        let file = self.sources.iter().find(|s| s.path() == def.file);
        file.and_then(|f| f.text().get(span.start..span.end)).unwrap_or("")
    }

    /// A new finding of `meta`'s rule in the file of `def`, at the rule's default level.
    pub fn diagnostic(&self, meta: &'static RuleMeta, def: &TypeDef, span: Span, message: String) -> Diagnostic {
        Diagnostic {
            rule: meta.name,
            level: meta.default_level,
            message,
            file: def.file.clone(),
            span,
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }
}

/// Per-body state while walking: a closure or async block starts a new body,
/// with its own loops (a `break` cannot leave a closure).
#[derive(Debug)]
pub(crate) struct BodyState {
    pub(crate) id: BodyId,
    /// Index into `Frame::loop_stack` where this body's loops start.
    pub(crate) loop_base: usize,
    /// How many conditional constructs enclose the walk position, counted
    /// from the innermost loop body (or the body itself).
    pub(crate) cond_depth: u32,
}

/// A function being walked.
#[derive(Debug, Default)]
pub(crate) struct Frame<'ast> {
    pub(crate) facts: FnFacts<'ast>,
    /// The bindings in scope, innermost scope last (their names are in `facts`).
    pub(crate) scopes: Vec<Vec<BindingId>>,
    /// Loops enclosing the walk position, across closures, innermost last.
    pub(crate) loop_stack: Vec<LoopId>,
    /// Saved `cond_depth`s of enclosing loops.
    pub(crate) saved_cond: Vec<u32>,
    pub(crate) bodies: Vec<BodyState>,
    pub(crate) next_body: BodyId,
    pub(crate) order: u32,
    /// Labelled blocks enclosing the walk position, with the length of
    /// `loop_stack` where each starts.
    pub(crate) block_labels: Vec<(String, usize)>,
}

impl<'ast> Frame<'ast> {
    pub(crate) fn new(facts: FnFacts<'ast>) -> Self {
        Frame {
            facts,
            scopes: vec![Vec::new()],
            bodies: vec![BodyState { id: 0, loop_base: 0, cond_depth: 0 }],
            next_body: 1,
            ..Frame::default()
        }
    }

    pub(crate) fn body(&self) -> &BodyState {
        self.bodies.last().expect("a frame always has its own body")
    }

    pub(crate) fn body_mut(&mut self) -> &mut BodyState {
        self.bodies.last_mut().expect("a frame always has its own body")
    }

    /// Loops of the current body, innermost last.
    pub(crate) fn body_loops(&self) -> &[LoopId] {
        &self.loop_stack[self.body().loop_base..]
    }

    pub(crate) fn innermost_loop(&self) -> Option<LoopId> {
        self.body_loops().last().copied()
    }

    pub(crate) fn resolve(&self, name: &str) -> Option<BindingId> {
        self.in_scope().find(|&id| self.facts.bindings[id].name == name)
    }

    /// [`Frame::resolve`] for an identifier, compared without converting it
    /// to a `String` (this runs for every path expression of every file).
    pub(crate) fn resolve_ident(&self, ident: &syn::Ident) -> Option<BindingId> {
        self.in_scope().find(|&id| *ident == self.facts.bindings[id].name)
    }

    /// The bindings in scope, innermost (latest) first.
    fn in_scope(&self) -> impl Iterator<Item = BindingId> + '_ {
        self.scopes.iter().rev().flat_map(|scope| scope.iter().rev()).copied()
    }
}

/// What a rule sees during the walk.
pub struct Cx<'a, 'ast> {
    pub(crate) src: &'a SourceFile,
    /// The target types are sized for and `cfg`s are evaluated for.
    pub(crate) target: &'a crate::target::Target,
    /// The other crates of the workspace the file may name ([`crate::Linter::with_workspace_crates`]).
    pub(crate) workspace: &'a [String],
    pub(crate) arena: &'ast typed_arena::Arena<MacroCall<'ast>>,
    pub(crate) macros: RefCell<HashMap<*const syn::Macro, &'ast MacroCall<'ast>>>,
    pub(crate) frames: Vec<Frame<'ast>>,
    pub(crate) test_depth: u32,
    pub(crate) impl_types: Vec<Option<String>>,
    /// The self types of the enclosing `impl`s as written (`&RcIter<I>`).
    pub(crate) impl_self_tys: Vec<&'ast syn::Type>,
    /// For each enclosing `impl`, whether it implements a trait.
    pub(crate) trait_impls: Vec<bool>,
    /// The file's items, and their index, built on first use (few files need it).
    pub(crate) file_items: &'ast [syn::Item],
    pub(crate) items: std::cell::OnceCell<FileIndex<'ast>>,
    /// Expressions enclosing the walk position, the current one last.
    pub(crate) exprs: Vec<&'ast syn::Expr>,
    /// Type parameters of the items enclosing the walk position.
    pub(crate) generics: Vec<String>,
    /// Items declared in the blocks enclosing the walk position that may
    /// shadow a std name ([`crate::syntax::shadowing::may_shadow`]): an
    /// item of a block is visible in the whole block, and only there.
    pub(crate) block_items: Vec<&'ast syn::Item>,
    /// Whole-file text scans, each done at most once per file.
    pub(crate) scans: FileScans,
    /// The file's struct, enum and union definitions met so far (the walk
    /// records an item's before it walks into it).
    pub(crate) types: Vec<TypeDef>,
    /// Names of the types in the file's FFI signatures.
    pub(crate) ffi_types: Vec<String>,
}

/// Answers that need a scan of the whole file's text. Rules ask them per
/// type or per function; scanning each time made large files quadratic.
#[derive(Debug, Default)]
pub(crate) struct FileScans {
    /// Whether the file's modules shadow a name; a few names per file: a
    /// list beats hashing on every type.
    shadowed: RefCell<Vec<(String, bool)>>,
    addresses: std::cell::OnceCell<bool>,
}

impl std::fmt::Debug for Cx<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cx").field("file", &self.src.path()).field("frames", &self.frames.len()).finish_non_exhaustive()
    }
}

impl<'a, 'ast> Cx<'a, 'ast> {
    /// The file's struct, enum and union definitions the walk has met so
    /// far: every item enclosing the walk position among them.
    pub fn file_types(&self) -> &[TypeDef] {
        &self.types
    }

    /// The file being linted.
    pub fn source(&self) -> &'a SourceFile {
        self.src
    }

    /// The target being linted: pointer width, `cfg` values.
    pub fn target(&self) -> &'a crate::target::Target {
        self.target
    }

    /// Converts a parser span.
    pub fn span(&self, span: proc_macro2::Span) -> Span {
        self.src.span(span)
    }

    /// Whether `name` may not be the std type at the walk position: the
    /// file's modules, or a block enclosing the position, define it, rename
    /// something to it or import it from outside std
    /// ([`crate::syntax::shadowing`]). Once a function has been walked, ask
    /// [`FnCx::shadows`] instead, which also sees the items of its body.
    pub fn shadows(&self, name: &str) -> bool {
        self.block_items.iter().any(|item| crate::syntax::shadowing::item_shadows(item, name))
            || self.file_shadows(name)
    }

    /// [`crate::syntax::shadowing::shadowed`] for the file; decided once per name.
    fn file_shadows(&self, name: &str) -> bool {
        if let Some(&(_, known)) = self.scans.shadowed.borrow().iter().find(|(n, _)| n == name) {
            return known;
        }
        let found = crate::syntax::shadowing::shadowed(self.src.text(), self.file_items, name);
        self.scans.shadowed.borrow_mut().push((name.to_owned(), found));
        found
    }

    /// Whether the file works with raw pointers or pinning
    /// ([`crate::syntax::boxing::uses_addresses`]); scanned once.
    pub fn uses_addresses(&self) -> bool {
        *self.scans.addresses.get_or_init(|| crate::syntax::boxing::uses_addresses(self.src.text()))
    }

    /// The source text of a node.
    pub fn text(&self, node: &impl Spanned) -> &'a str {
        self.src.text_of(node.span())
    }

    /// A new finding of `meta`'s rule at `span`, at the rule's default level.
    pub fn diagnostic(&self, meta: &'static RuleMeta, span: proc_macro2::Span, message: String) -> Diagnostic {
        Diagnostic {
            rule: meta.name,
            level: meta.default_level,
            message,
            file: self.src.path().to_path_buf(),
            span: self.span(span),
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub(crate) fn frame(&self) -> &Frame<'ast> {
        self.frames.last().expect("the walker always has a frame")
    }

    /// Facts about the function being walked, as far as the walk has got.
    pub fn facts(&self) -> &FnFacts<'ast> {
        &self.frame().facts
    }

    /// The binding a name refers to at the current position.
    pub fn resolve(&self, ident: &syn::Ident) -> Option<(BindingId, &Binding<'ast>)> {
        let id = self.frame().resolve_ident(ident)?;
        Some((id, &self.facts().bindings[id]))
    }

    /// The innermost loop enclosing the current position in the same body
    /// (loops outside an enclosing closure don't count). Its `end` and
    /// `exits` are not final yet.
    pub fn current_loop(&self) -> Option<&LoopInfo<'ast>> {
        self.frame().innermost_loop().map(|id| &self.facts().loops[id])
    }

    /// Whether the current position is test code.
    pub fn in_test(&self) -> bool {
        self.test_depth > 0 || self.facts().in_test
    }

    /// The nearest expression enclosing the current one (possibly across a
    /// block, e.g. the loop whose body holds the current statement).
    pub fn parent_expr(&self) -> Option<&'ast syn::Expr> {
        self.ancestors().next()
    }

    /// The expressions enclosing the current one, nearest first.
    pub fn ancestors(&self) -> impl Iterator<Item = &'ast syn::Expr> + '_ {
        self.exprs.iter().rev().skip(1).copied()
    }

    /// Whether `name` is a type parameter of an enclosing item (`T` in
    /// `struct S<T>`, `impl<T> ..`, `fn f<T>`).
    pub fn is_generic_param(&self, name: &str) -> bool {
        self.generics.iter().any(|g| g == name)
    }

    /// The name of the type of the enclosing `impl`.
    pub fn self_type(&self) -> Option<&str> {
        self.impl_types.last().and_then(|t| t.as_deref())
    }

    /// Whether the innermost enclosing `impl` implements a trait (whose
    /// signatures the trait dictates).
    pub fn in_trait_impl(&self) -> bool {
        self.trait_impls.last().copied().unwrap_or(false)
    }

    /// Index of the file's items (struct fields).
    pub fn items(&self) -> &FileIndex<'ast> {
        self.items.get_or_init(|| FileIndex::build(self.file_items, self.workspace))
    }

    /// The parsed arguments of a macro call (parsed once, then cached).
    pub fn macro_call(&self, mac: &'ast syn::Macro) -> &'ast MacroCall<'ast> {
        let key: *const syn::Macro = mac;
        if let Some(call) = self.macros.borrow().get(&key) {
            return call;
        }
        let call: &'ast MacroCall<'ast> = self.arena.alloc(MacroCall::parse(mac, self.src));
        self.macros.borrow_mut().insert(key, call);
        call
    }
}

/// What a rule sees once a function has been walked.
#[derive(Debug)]
pub struct FnCx<'c, 'a, 'ast> {
    /// The file-level context (source, items, macros).
    pub cx: &'c Cx<'a, 'ast>,
    /// Everything known about the function.
    pub facts: &'c FnFacts<'ast>,
    /// The function's copies (`clone`, `to_owned`, ..), found on first use
    /// and shared by the rules that need them.
    pub(crate) conversion_sites: std::cell::OnceCell<super::copies::Sites<'ast>>,
    /// The bindings' types inferred so far ([`crate::analysis::types`]),
    /// by binding: inferred once, on the first question.
    pub binding_types: RefCell<HashMap<BindingId, Option<crate::semantic::ty::Ty>>>,
}

impl<'ast> FnCx<'_, '_, 'ast> {
    /// The calls of the body to the methods `names` stands for (which the
    /// walk noted, [`super::Called`]) that `wanted` picks: none, without a
    /// visit, in a body that calls none of them (most bodies).
    pub fn method_calls(
        &self,
        names: super::Called,
        closures: crate::syntax::method_calls::Closures,
        wanted: impl Fn(&syn::ExprMethodCall) -> bool,
    ) -> Vec<&'ast syn::ExprMethodCall> {
        match self.facts.block {
            Some(block) if self.facts.called.any(names) => {
                crate::syntax::method_calls::method_calls(block, closures, wanted)
            }
            _ => Vec::new(),
        }
    }

    /// [`Cx::shadows`] for the function: the file's modules, the blocks
    /// enclosing the function, or a block of its body (any of them: a use
    /// in one block is not told from a use in another) may shadow `name`.
    pub fn shadows(&self, name: &str) -> bool {
        self.cx.shadows(name)
            || self.facts.local_items.iter().any(|item| crate::syntax::shadowing::item_shadows(item, name))
    }
}
