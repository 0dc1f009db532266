//! The single traversal of a file. The [`Walker`] keeps the context stack
//! (enclosing fn, impl, loops, test code, scopes of local bindings), records
//! facts about every function, and calls the rules' hooks.

pub mod copies;
mod cx;
mod facts;
mod items;
pub mod modules;
mod rule;
#[cfg(test)]
mod tests;

pub use cx::ConstCount;
pub(crate) use cx::{CountPending, Pending};
pub use cx::{CrateCx, Cx, Emitter, FnCx};
pub use facts::{
    Binding, BindingId, BindingOrigin, BodyId, Branch, Called, Exits, FnFacts, LoopId, LoopInfo, LoopKind, Use, UseKind,
};
pub use items::FileIndex;
pub use rule::Rule;

use std::cell::RefCell;
use std::collections::HashMap;

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Pat, Type};

use crate::rule::Hooks;
use crate::source::SourceFile;
use crate::syntax::macros::{MacroCall, MacroKind};
use crate::syntax::paths::type_last_segment;
use crate::syntax::test_modules::{has_cfg_test, is_test_fn};
use crate::timings::{RuleClock, timed};

/// A rule that runs in a file, and whether it runs in the file's test code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActiveRule {
    pub(crate) rule: &'static dyn Rule,
    pub(crate) in_tests: bool,
    /// The rule's position in the registry.
    pub(crate) index: usize,
}

/// The rules that run in a file, listed by hook: a node calls only the
/// rules that implement its hook.
#[derive(Debug, Default)]
pub(crate) struct ActiveRules {
    expr: Vec<ActiveRule>,
    fns: Vec<ActiveRule>,
    types: Vec<ActiveRule>,
    /// Whether any of them reports in test code. When none does (the
    /// default), test modules and test functions are not walked at all:
    /// a quarter of the walk on real crates, mostly `assert!` arguments.
    pub(crate) in_tests: bool,
}

impl ActiveRules {
    pub(crate) fn new(rules: impl IntoIterator<Item = ActiveRule>) -> Self {
        let mut active = ActiveRules::default();
        for rule in rules {
            active.in_tests |= rule.in_tests;
            let hooks = rule.rule.hooks();
            for (hook, list) in
                [(Hooks::EXPR, &mut active.expr), (Hooks::FN, &mut active.fns), (Hooks::TYPE, &mut active.types)]
            {
                if hooks.contains(hook) {
                    list.push(rule);
                }
            }
        }
        active
    }
}

/// Walks one parsed file, running `rules`, and returns what they emitted.
pub(crate) fn walk_file<'ast>(
    src: &SourceFile,
    target: &crate::target::Target,
    workspace: &[String],
    file: &'ast syn::File,
    arena: &'ast typed_arena::Arena<MacroCall<'ast>>,
    rules: &ActiveRules,
    clock: Option<&mut RuleClock>,
) -> WalkedFile {
    let mut walker = Walker {
        cx: Cx {
            src,
            target,
            workspace,
            arena,
            macros: RefCell::new(HashMap::new()),
            frames: vec![cx::Frame::new(FnFacts::default())],
            test_depth: 0,
            impl_types: Vec::new(),
            impl_self_tys: Vec::new(),
            trait_impls: Vec::new(),
            file_items: &file.items,
            items: std::cell::OnceCell::new(),
            exprs: Vec::new(),
            generics: Vec::new(),
            block_items: Vec::new(),
            scans: cx::FileScans::default(),
            types: Vec::new(),
            ffi_types: Vec::new(),
        },
        rules,
        out: Emitter::default(),
        role: None,
        clock,
    };
    if has_cfg_test(&file.attrs) {
        if !rules.in_tests {
            file.items.iter().for_each(|item| walker.skip_test_item(item));
            return walker.finish();
        }
        walker.cx.test_depth += 1;
    }
    walker.visit_file(file);
    walker.finish()
}

/// What walking a file gives: what its rules emitted, and what the walk
/// recorded of the file for the crate phase.
pub(crate) struct WalkedFile {
    /// The rules' findings.
    pub(crate) emitted: Emitter,
    /// What the file contributes to the crate index.
    pub(crate) items: crate::semantic::index::FileItems,
}

/// The attributes of an item of the kinds that may be test code or carry
/// a suppression.
pub(crate) fn item_attrs(item: &syn::Item) -> &[Attribute] {
    match item {
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        _ => &[],
    }
}

struct Walker<'r, 'a, 'ast> {
    cx: Cx<'a, 'ast>,
    rules: &'r ActiveRules,
    out: Emitter,
    /// How the next visited expression is used by its parent, when it is a
    /// binding (set just before visiting the child).
    role: Option<(*const Expr, UseKind<'ast>)>,
    /// Samples the rules' hooks under `--timings`.
    clock: Option<&'r mut RuleClock>,
}

impl<'ast> Walker<'_, '_, 'ast> {
    /// The walk's result, the walker used up.
    fn finish(self) -> WalkedFile {
        // The file index's, when a rule built it; else just these two read.
        let fresh;
        let (imports, types) = match self.cx.items.get() {
            Some(index) => (&index.imports, &index.types),
            None => {
                fresh = (
                    crate::syntax::uses::Imports::of(self.cx.file_items, self.cx.workspace),
                    crate::semantic::aliases::FileTypes::of(self.cx.file_items),
                );
                (&fresh.0, &fresh.1)
            }
        };
        let shadows = |name: &str| !self.cx.shadows(name);
        let mut items = crate::semantic::index::file_items(self.cx.file_items, imports, types, &shadows);
        // The walk recorded the type definitions where it knew whether they are test code.
        items.types = self.cx.types;
        items.ffi_types = self.cx.ffi_types;
        WalkedFile { emitted: self.out, items }
    }

    fn frame_mut(&mut self) -> &mut cx::Frame<'ast> {
        self.cx.frames.last_mut().expect("the walker always has a frame")
    }

    fn bump(&mut self) -> u32 {
        let frame = self.frame_mut();
        frame.order += 1;
        frame.order
    }

    /// Calls `hook` for every rule of `rules` (the rules implementing it)
    /// that applies at the walk position (rules that skip test code don't
    /// run in it).
    fn each_rule(
        &mut self,
        rules: fn(&ActiveRules) -> &[ActiveRule],
        hook: impl Fn(&'static dyn Rule, &Cx<'_, 'ast>, &mut Emitter),
    ) {
        let in_test = self.cx.in_test();
        for active in rules(self.rules) {
            if in_test && !active.in_tests {
                continue;
            }
            timed(self.clock.as_deref_mut(), active.index, || hook(active.rule, &self.cx, &mut self.out));
        }
    }

    // ----- functions ---------------------------------------------------------

    fn walk_fn(&mut self, attrs: &[Attribute], sig: &'ast syn::Signature, block: &'ast syn::Block) {
        let facts = FnFacts {
            name: Some(sig.ident.to_string()),
            sig: Some(sig),
            block: Some(block),
            in_test: is_test_fn(attrs) || self.cx.in_test(),
            self_type: self.cx.self_type().map(str::to_owned),
            impl_self: self.cx.impl_self_tys.last().copied(),
            ..FnFacts::default()
        };
        self.cx.frames.push(cx::Frame::new(facts));
        let generics_base = self.cx.generics.len();
        self.cx.generics.extend(type_params(&sig.generics));
        self.visit_sig_types(sig);
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => self.declare(
                    "self".to_owned(),
                    r.self_token.span,
                    r.mutability.is_some(),
                    BindingOrigin::SelfParam,
                    None,
                    None,
                ),
                syn::FnArg::Typed(t) => self.bind_pat(&t.pat, BindingOrigin::Param, None, Some(&t.ty)),
            }
        }
        self.visit_block(block);
        self.cx.generics.truncate(generics_base);
        let frame = self.cx.frames.pop().expect("pushed above");
        let fcx = FnCx {
            cx: &self.cx,
            facts: &frame.facts,
            conversion_sites: std::cell::OnceCell::new(),
            binding_types: RefCell::default(),
        };
        for active in &self.rules.fns {
            if frame.facts.in_test && !active.in_tests {
                continue;
            }
            timed(self.clock.as_deref_mut(), active.index, || active.rule.check_fn(&fcx, &mut self.out));
        }
    }

    /// Visits the parameter and return types of a signature (its patterns
    /// are bound separately).
    fn visit_sig_types(&mut self, sig: &'ast syn::Signature) {
        for input in &sig.inputs {
            if let syn::FnArg::Typed(t) = input {
                self.visit_type(&t.ty);
            }
        }
        self.visit_return_type(&sig.output);
    }

    // ----- bindings ----------------------------------------------------------

    fn declare(
        &mut self,
        name: String,
        span: proc_macro2::Span,
        mutable: bool,
        origin: BindingOrigin,
        init: Option<&'ast Expr>,
        ty: Option<&'ast Type>,
    ) {
        let order = self.bump();
        let frame = self.frame_mut();
        let id = frame.facts.bindings.len();
        let body = frame.body().id;
        let innermost_loop = frame.innermost_loop();
        let cond_depth = frame.body().cond_depth;
        frame.facts.bindings.push(Binding {
            cond_depth,
            name,
            ident_span: span,
            mutable,
            origin,
            init,
            ty,
            body,
            innermost_loop,
            order,
        });
        frame.scopes.last_mut().expect("a frame always has a scope").push(id);
    }

    /// Declares every binding a pattern introduces. `init` is kept only for
    /// a lone identifier pattern.
    fn bind_pat(&mut self, pat: &'ast Pat, origin: BindingOrigin, init: Option<&'ast Expr>, ty: Option<&'ast Type>) {
        match pat {
            Pat::Ident(p) => {
                let name = p.ident.to_string();
                // A capitalised lone identifier is an enum variant or a constant.
                if !name.starts_with(|c: char| c.is_uppercase()) {
                    self.declare(name, p.ident.span(), p.mutability.is_some(), origin, init, ty);
                }
                if let Some((_, sub)) = &p.subpat {
                    self.bind_pat(sub, origin, None, None);
                }
            }
            Pat::Type(p) => self.bind_pat(&p.pat, origin, init, Some(&p.ty)),
            Pat::Reference(p) => self.bind_pat(&p.pat, origin, None, None),
            Pat::Paren(p) => self.bind_pat(&p.pat, origin, init, ty),
            Pat::Tuple(p) => p.elems.iter().for_each(|e| self.bind_pat(e, origin, None, None)),
            Pat::TupleStruct(p) => p.elems.iter().for_each(|e| self.bind_pat(e, origin, None, None)),
            Pat::Slice(p) => p.elems.iter().for_each(|e| self.bind_pat(e, origin, None, None)),
            Pat::Struct(p) => p.fields.iter().for_each(|f| self.bind_pat(&f.pat, origin, None, None)),
            // Every alternative binds the same names.
            Pat::Or(p) => {
                if let Some(first) = p.cases.first() {
                    self.bind_pat(first, origin, None, None);
                }
            }
            _ => {}
        }
    }

    fn push_scope(&mut self) {
        self.frame_mut().scopes.push(Vec::new());
    }

    fn pop_scope(&mut self) {
        self.frame_mut().scopes.pop();
    }

    fn record_use(&mut self, ident: &syn::Ident, kind: UseKind<'ast>) {
        if let Some(binding) = self.frame_mut().resolve_ident(ident) {
            self.record_use_at(binding, ident.span(), kind);
        }
    }

    fn record_use_of(&mut self, name: &str, span: proc_macro2::Span, kind: UseKind<'ast>) {
        if let Some(binding) = self.frame_mut().resolve(name) {
            self.record_use_at(binding, span, kind);
        }
    }

    fn record_use_at(&mut self, binding: BindingId, span: proc_macro2::Span, kind: UseKind<'ast>) {
        let order = self.bump();
        let frame = self.frame_mut();
        let body = frame.body();
        let use_ = Use {
            binding,
            kind,
            order,
            body: body.id,
            innermost_loop: frame.innermost_loop(),
            conditional: body.cond_depth > 0,
            span,
        };
        frame.facts.uses.push(use_);
    }

    fn visit_with_role(&mut self, expr: &'ast Expr, kind: UseKind<'ast>) {
        self.role = Some((expr as *const Expr, kind));
        self.visit_expr(expr);
        self.role = None;
    }

    // ----- control flow ------------------------------------------------------

    /// A new group of branches of which one runs (an `if`/`else`, a `match`).
    fn branch_group(&mut self) -> u32 {
        let facts = &mut self.frame_mut().facts;
        facts.branch_groups += 1;
        facts.branch_groups
    }

    /// Walks one branch of `group`, recording the walk positions it spans.
    fn branch(&mut self, group: u32, f: impl FnOnce(&mut Self)) {
        let start = self.bump();
        f(self);
        let end = self.bump();
        self.frame_mut().facts.branches.push(Branch { group, start, end });
    }

    fn conditionally(&mut self, f: impl FnOnce(&mut Self)) {
        self.frame_mut().body_mut().cond_depth += 1;
        f(self);
        self.frame_mut().body_mut().cond_depth -= 1;
    }

    fn in_new_body(&mut self, f: impl FnOnce(&mut Self)) {
        let frame = self.frame_mut();
        let id = frame.next_body;
        frame.next_body += 1;
        let loop_base = frame.loop_stack.len();
        frame.bodies.push(cx::BodyState { id, loop_base, cond_depth: 0 });
        self.push_scope();
        f(self);
        self.pop_scope();
        self.frame_mut().bodies.pop();
    }

    #[allow(clippy::too_many_arguments)]
    fn walk_loop(
        &mut self,
        expr: &'ast Expr,
        kind: LoopKind,
        label: Option<&syn::Label>,
        pat: Option<&'ast Pat>,
        head: Option<&'ast Expr>,
        header_span: proc_macro2::Span,
        inner: impl FnOnce(&mut Self),
    ) {
        let start = self.bump();
        let frame = self.frame_mut();
        let id = frame.facts.loops.len();
        let body = frame.body().id;
        let outer = frame.innermost_loop();
        let cond_depth = frame.body().cond_depth;
        frame.facts.loops.push(LoopInfo {
            cond_depth,
            id,
            kind,
            expr,
            label: label.map(|l| l.name.ident.to_string()),
            pat,
            head,
            header_span,
            body,
            outer,
            start,
            end: start,
            exits: Exits::default(),
        });
        let saved = std::mem::take(&mut frame.body_mut().cond_depth);
        frame.saved_cond.push(saved);
        frame.loop_stack.push(id);
        self.push_scope();
        inner(self);
        self.pop_scope();
        let end = self.bump();
        let frame = self.frame_mut();
        frame.loop_stack.pop();
        let saved = frame.saved_cond.pop().unwrap_or(0);
        frame.body_mut().cond_depth = saved;
        frame.facts.loops[id].end = end;
    }

    /// Marks the loops of the current body from the innermost up to the one
    /// `label` names (all of them when `label` is `None` and `all` is set).
    fn mark_exit(&mut self, label: Option<&syn::Lifetime>, all: bool, mark: impl Fn(&mut Exits, bool)) {
        let frame = self.frame_mut();
        let loops: Vec<LoopId> = frame.body_loops().to_vec();
        if let Some(label) = label.filter(|_| !all) {
            let name = label.ident.to_string();
            let block = frame.block_labels.iter().rev().find(|(l, _)| *l == name).map(|&(_, depth)| depth);
            let loop_labelled = loops.iter().any(|&id| frame.facts.loops[id].label.as_deref() == Some(&name));
            if let (Some(depth), false) = (block, loop_labelled) {
                // Leaving a labelled block exits only the loops inside it.
                let base = frame.body().loop_base.max(depth);
                for &id in &frame.loop_stack[base.min(frame.loop_stack.len())..] {
                    frame.facts.loops[id].exits.breaks = true;
                }
                return;
            }
        }
        let target = if all {
            loops.first().copied()
        } else {
            match label {
                None => loops.last().copied(),
                Some(l) => {
                    let name = l.ident.to_string();
                    loops
                        .iter()
                        .rev()
                        .find(|&&id| frame.facts.loops[id].label.as_deref() == Some(&name))
                        .copied()
                        // A labelled block: leaving it skips the rest of the innermost loop's body.
                        .or(loops.last().copied())
                }
            }
        };
        let Some(target) = target else { return };
        for &id in loops.iter().rev() {
            mark(&mut frame.facts.loops[id].exits, id == target);
            if id == target {
                break;
            }
        }
    }

    // ----- test code ---------------------------------------------------------

    /// Whether an item is test code: `#[cfg(test)]`, or a `#[test]` fn.
    fn is_test_item(&self, item: &syn::Item) -> bool {
        let attrs = item_attrs(item);
        match item {
            syn::Item::Fn(_) => is_test_fn(attrs),
            _ => has_cfg_test(attrs),
        }
    }

    /// Passes over test code no rule runs in, keeping only the type names
    /// of its `extern` blocks (a test may share a type's layout with C),
    /// in nested modules too.
    fn skip_test_item(&mut self, item: &syn::Item) {
        crate::layout::ffi_type_names(item, &mut self.cx.ffi_types);
        if let syn::Item::Mod(syn::ItemMod { content: Some((_, items)), .. }) = item {
            items.iter().for_each(|item| self.skip_test_item(item));
        }
    }

    // ----- macros ------------------------------------------------------------

    /// Records every identifier of an opaque macro's tokens (nested groups
    /// included) that names a binding: any of them may be a use.
    fn record_opaque_uses(&mut self, tokens: &proc_macro2::TokenStream) {
        for token in tokens.clone() {
            match token {
                proc_macro2::TokenTree::Ident(ident) => self.record_use(&ident, UseKind::Opaque),
                proc_macro2::TokenTree::Group(group) => self.record_opaque_uses(&group.stream()),
                _ => {}
            }
        }
    }

    fn walk_macro(&mut self, mac: &'ast syn::Macro) {
        let call = self.cx.macro_call(mac);
        match call.kind {
            MacroKind::Opaque => {
                // Only a name of a binding records a use: with no binding
                // declared yet, the tokens need no scan (nor their copy).
                if !self.frame_mut().facts.bindings.is_empty() {
                    self.record_opaque_uses(&mac.tokens);
                }
                // A macro memlint cannot read may expand to `return`, `break` or `?`
                // (its definition is elsewhere), whatever its call site shows.
                self.mark_exit(None, true, |exits, _| exits.macro_may_exit = true);
            }
            MacroKind::Format | MacroKind::Write | MacroKind::Assert | MacroKind::Log => {
                if call.name.as_deref() == Some("format") {
                    self.frame_mut().facts.formats = true;
                }
                let format_index = call.format_index.unwrap_or(usize::MAX);
                // Logging macros borrow every value but their `target:`-like ones.
                let borrows_all = call.kind == MacroKind::Log
                    || call.name.as_deref().is_some_and(|n| n.ends_with("_eq") || n.ends_with("_ne"));
                for (_, arg) in &call.keywords {
                    self.visit_expr(arg);
                }
                for (i, arg) in call.args.iter().enumerate() {
                    if call.kind == MacroKind::Write && i == 0 {
                        self.visit_with_role(arg, UseKind::WriteDestination);
                    } else if i > format_index || borrows_all && i < format_index {
                        self.visit_with_role(arg, UseKind::FormatArg);
                    } else {
                        self.visit_expr(arg);
                    }
                }
                for (_, arg) in &call.named {
                    self.visit_with_role(arg, UseKind::FormatArg);
                }
                if let (Some(format), Some(i)) = (&call.format, call.format_index) {
                    let lit_span = call.args[i].span();
                    for arg in format.args_read() {
                        if let crate::syntax::format_string::ArgRef::Name(name) = arg {
                            if !call.named.iter().any(|(n, _)| n == name) {
                                self.record_use_of(name, lit_span, UseKind::FormatArg);
                            }
                        }
                    }
                }
            }
            MacroKind::Vec | MacroKind::Exprs => {
                for arg in &call.args {
                    self.visit_expr(arg);
                }
            }
            MacroKind::Matches => {
                // `match expr { pattern if guard => true, _ => false }`. A
                // binding named as the scrutinee is recorded as it was when
                // the call was opaque: the pattern may move out of it.
                let Some((scrutinee, guard)) = call.args.split_first() else { return };
                self.visit_with_role(scrutinee, UseKind::Opaque);
                if let Some(pattern) = &call.pattern {
                    self.push_scope();
                    self.bind_pat(pattern, BindingOrigin::MatchPattern, None, None);
                    self.conditionally(|w| guard.iter().for_each(|g| w.visit_expr(g)));
                    self.pop_scope();
                }
            }
            // Nothing of it runs.
            MacroKind::Constant => {}
        }
    }
}

impl<'ast> Visit<'ast> for Walker<'_, '_, 'ast> {
    fn visit_item(&mut self, node: &'ast syn::Item) {
        if !self.rules.in_tests && self.is_test_item(node) {
            self.skip_test_item(node);
            return;
        }
        if let Some(def) = crate::layout::TypeDef::of_item(self.cx.src, node, self.cx.in_test(), self.cx.target) {
            self.cx.types.push(def);
        }
        crate::layout::ffi_type_names(node, &mut self.cx.ffi_types);
        let generics_base = self.cx.generics.len();
        let generics = match node {
            syn::Item::Struct(s) => Some(&s.generics),
            syn::Item::Enum(e) => Some(&e.generics),
            syn::Item::Union(u) => Some(&u.generics),
            syn::Item::Impl(i) => Some(&i.generics),
            syn::Item::Trait(t) => Some(&t.generics),
            syn::Item::Type(t) => Some(&t.generics),
            _ => None,
        };
        if let Some(generics) = generics {
            self.cx.generics.extend(type_params(generics));
        }
        visit::visit_item(self, node);
        self.cx.generics.truncate(generics_base);
    }

    fn visit_type(&mut self, node: &'ast syn::Type) {
        self.each_rule(|r| &r.types, |rule, cx, out| rule.check_type(cx, node, out));
        visit::visit_type(self, node);
    }

    fn visit_item_fn(&mut self, node: &'ast syn::ItemFn) {
        self.walk_fn(&node.attrs, &node.sig, &node.block);
    }

    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        if self.rules.in_tests || !is_test_fn(&node.attrs) {
            self.walk_fn(&node.attrs, &node.sig, &node.block);
        }
    }

    fn visit_trait_item_fn(&mut self, node: &'ast syn::TraitItemFn) {
        if let Some(block) = &node.default {
            self.walk_fn(&node.attrs, &node.sig, block);
        } else {
            let generics_base = self.cx.generics.len();
            self.cx.generics.extend(type_params(&node.sig.generics));
            self.visit_sig_types(&node.sig);
            self.cx.generics.truncate(generics_base);
        }
    }

    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        let test = has_cfg_test(&node.attrs);
        self.cx.test_depth += u32::from(test);
        visit::visit_item_mod(self, node);
        self.cx.test_depth -= u32::from(test);
    }

    fn visit_item_impl(&mut self, node: &'ast syn::ItemImpl) {
        let test = has_cfg_test(&node.attrs);
        self.cx.test_depth += u32::from(test);
        self.cx.impl_types.push(type_last_segment(&node.self_ty).map(|s| s.ident.to_string()));
        self.cx.impl_self_tys.push(&node.self_ty);
        self.cx.trait_impls.push(node.trait_.is_some());
        visit::visit_item_impl(self, node);
        self.cx.trait_impls.pop();
        self.cx.impl_types.pop();
        self.cx.impl_self_tys.pop();
        self.cx.test_depth -= u32::from(test);
    }

    fn visit_block(&mut self, node: &'ast syn::Block) {
        // The block's items are in scope in all of it, before their
        // declaration too (`Vec::new()` then `use arena::Vec;`).
        let items_base = self.cx.block_items.len();
        for stmt in &node.stmts {
            if let syn::Stmt::Item(item) = stmt
                && crate::syntax::shadowing::may_shadow(item)
            {
                self.cx.block_items.push(item);
                self.frame_mut().facts.local_items.push(item);
            }
        }
        self.push_scope();
        visit::visit_block(self, node);
        self.pop_scope();
        self.cx.block_items.truncate(items_base);
    }

    fn visit_local(&mut self, node: &'ast syn::Local) {
        if let Pat::Type(annotated) = &node.pat {
            self.visit_type(&annotated.ty);
        }
        let mut init_expr = None;
        if let Some(init) = &node.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.conditionally(|w| w.visit_expr(diverge));
            }
            init_expr = Some(&*init.expr);
        }
        self.bind_pat(&node.pat, BindingOrigin::Let, init_expr, None);
    }

    fn visit_stmt_macro(&mut self, node: &'ast syn::StmtMacro) {
        self.walk_macro(&node.mac);
    }

    fn visit_arm(&mut self, node: &'ast syn::Arm) {
        self.push_scope();
        self.bind_pat(&node.pat, BindingOrigin::MatchPattern, None, None);
        self.conditionally(|w| {
            if let Some((_, guard)) = &node.guard {
                w.visit_expr(guard);
            }
            w.visit_expr(&node.body);
        });
        self.pop_scope();
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        let role = self.role.take().filter(|(p, _)| std::ptr::eq(*p, expr)).map(|(_, kind)| kind);
        self.bump();
        if !self.cx.facts().copies && copies::conversion_of(expr).is_some() {
            self.frame_mut().facts.copies = true;
        }
        if let Expr::MethodCall(m) = expr {
            self.frame_mut().facts.called.note(&m.method);
        }
        self.cx.exprs.push(expr);
        self.each_rule(|r| &r.expr, |rule, cx, out| rule.check_expr(cx, expr, out));
        self.walk_expr_children(expr, role);
        self.cx.exprs.pop();
    }
}

impl<'ast> Walker<'_, '_, 'ast> {
    fn walk_expr_children(&mut self, expr: &'ast Expr, role: Option<UseKind<'ast>>) {
        match expr {
            Expr::Path(p) => {
                if let Some(ident) = crate::syntax::paths::as_ident(expr) {
                    self.record_use(ident, role.unwrap_or(UseKind::Value));
                } else {
                    visit::visit_expr_path(self, p);
                }
            }
            // `*s = ..` assigns through `s`.
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) && matches!(role, Some(UseKind::Assign(_))) => {
                if let Some(kind) = role {
                    self.visit_with_role(&u.expr, kind);
                }
            }
            // A table of constants (generated code has arrays of thousands
            // of numbers): no rule has anything to say about a literal, and
            // a literal uses no binding, so its elements are not visited.
            Expr::Array(a) if a.elems.iter().all(is_constant_data) => {}
            Expr::Paren(p) => match role {
                // `(x).len()` uses `x` the way its parent does.
                Some(kind) => self.visit_with_role(&p.expr, kind),
                None => self.visit_expr(&p.expr),
            },
            Expr::MethodCall(m) => {
                self.visit_with_role(&m.receiver, UseKind::MethodReceiver(m));
                for arg in &m.args {
                    self.visit_expr(arg);
                }
            }
            Expr::Reference(r) => {
                let kind = if r.mutability.is_some() { UseKind::BorrowMut } else { UseKind::Borrow };
                self.visit_with_role(&r.expr, kind);
            }
            Expr::Field(f) => self.visit_with_role(&f.base, UseKind::FieldBase),
            Expr::Index(i) => {
                self.visit_with_role(&i.expr, UseKind::Indexed);
                self.visit_expr(&i.index);
            }
            Expr::Assign(a) => {
                self.visit_expr(&a.right);
                self.visit_with_role(&a.left, UseKind::Assign(a));
            }
            Expr::Binary(b) if is_compound_assign(&b.op) => {
                self.visit_expr(&b.right);
                self.visit_with_role(&b.left, UseKind::CompoundAssign(b));
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)) => {
                self.visit_expr(&b.left);
                self.conditionally(|w| w.visit_expr(&b.right));
            }
            Expr::If(i) => {
                let group = self.branch_group();
                self.push_scope();
                self.visit_expr(&i.cond);
                self.branch(group, |w| w.conditionally(|w| w.visit_block(&i.then_branch)));
                self.pop_scope();
                if let Some((_, else_branch)) = &i.else_branch {
                    self.branch(group, |w| w.conditionally(|w| w.visit_expr(else_branch)));
                }
            }
            Expr::Let(l) => {
                self.visit_expr(&l.expr);
                self.bind_pat(&l.pat, BindingOrigin::MatchPattern, None, None);
            }
            Expr::Match(m) => {
                self.visit_expr(&m.expr);
                let group = self.branch_group();
                for arm in &m.arms {
                    self.branch(group, |w| w.visit_arm(arm));
                }
            }
            Expr::ForLoop(f) => {
                // The iterable is evaluated once, before the loop.
                self.visit_expr(&f.expr);
                let header = f.for_token.span.join(f.expr.span()).unwrap_or(f.for_token.span);
                self.walk_loop(expr, LoopKind::For, f.label.as_ref(), Some(&f.pat), Some(&f.expr), header, |w| {
                    w.bind_pat(&f.pat, BindingOrigin::ForPattern, None, None);
                    w.visit_block(&f.body);
                });
            }
            Expr::While(wh) => {
                let (kind, pat) = match &*wh.cond {
                    Expr::Let(l) => (LoopKind::WhileLet, Some(&*l.pat)),
                    _ => (LoopKind::While, None),
                };
                let head = match &*wh.cond {
                    Expr::Let(l) => &*l.expr,
                    cond => cond,
                };
                let header = wh.while_token.span.join(wh.cond.span()).unwrap_or(wh.while_token.span);
                self.walk_loop(expr, kind, wh.label.as_ref(), pat, Some(head), header, |w| {
                    w.visit_expr(&wh.cond);
                    w.visit_block(&wh.body);
                });
            }
            Expr::Loop(l) => {
                self.walk_loop(expr, LoopKind::Loop, l.label.as_ref(), None, None, l.loop_token.span, |w| {
                    w.visit_block(&l.body);
                });
            }
            Expr::Break(b) => {
                if let Some(value) = &b.expr {
                    self.visit_expr(value);
                }
                self.mark_exit(b.label.as_ref(), false, |exits, _| exits.breaks = true);
            }
            Expr::Continue(c) => {
                self.mark_exit(c.label.as_ref(), false, |exits, is_target| {
                    if is_target {
                        exits.continues = true;
                    } else {
                        exits.breaks = true;
                    }
                });
            }
            Expr::Return(r) => {
                if let Some(value) = &r.expr {
                    self.visit_expr(value);
                }
                self.mark_exit(None, true, |exits, _| exits.returns = true);
            }
            Expr::Try(t) => {
                self.visit_expr(&t.expr);
                self.mark_exit(None, true, |exits, _| exits.tries = true);
            }
            Expr::Closure(c) => {
                let adapter = match self.cx.exprs.iter().rev().nth(1) {
                    Some(Expr::MethodCall(m)) if m.args.iter().any(|a| std::ptr::eq(a, expr)) => Some(m),
                    _ => None,
                };
                let body = self.frame_mut().next_body;
                self.frame_mut().facts.closures.push(facts::ClosureSite { body, closure: c, adapter });
                self.in_new_body(|w| {
                    for input in &c.inputs {
                        w.bind_pat(input, BindingOrigin::ClosureParam, None, None);
                    }
                    w.visit_expr(&c.body);
                });
            }
            Expr::Async(a) => self.in_new_body(|w| w.visit_block(&a.block)),
            Expr::Block(b) if b.label.is_some() => {
                let label = b.label.as_ref().map(|l| l.name.ident.to_string()).unwrap_or_default();
                let depth = self.frame_mut().loop_stack.len();
                self.frame_mut().block_labels.push((label, depth));
                // Code after a `break 'label` inside the block may not run.
                self.conditionally(|w| w.visit_block(&b.block));
                self.frame_mut().block_labels.pop();
            }
            Expr::Macro(m) => self.walk_macro(&m.mac),
            _ => visit::visit_expr(self, expr),
        }
    }
}

/// Names of the type parameters `generics` declares.
fn type_params(generics: &syn::Generics) -> impl Iterator<Item = String> + '_ {
    generics.type_params().map(|p| p.ident.to_string())
}

fn is_compound_assign(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

/// A literal, a negated one, or an array or tuple of such: data that
/// allocates nothing and names nothing.
fn is_constant_data(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(_) => true,
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => matches!(&*u.expr, Expr::Lit(_)),
        Expr::Array(a) => a.elems.iter().all(is_constant_data),
        Expr::Tuple(t) => t.elems.iter().all(is_constant_data),
        _ => false,
    }
}
