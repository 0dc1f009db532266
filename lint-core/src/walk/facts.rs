//! What the walker learns about one function: its bindings, how each is used,
//! and its loops. Rules read these facts; they never re-walk the tree.

use syn::{Expr, Pat, Type};

/// Index of a [`Binding`] in [`FnFacts::bindings`].
pub type BindingId = usize;
/// Index of a [`LoopInfo`] in [`FnFacts::loops`].
pub type LoopId = usize;
/// A body: 0 is the function's own body; each closure and async block has its own.
pub type BodyId = usize;

/// Where a binding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingOrigin {
    /// `let` statement.
    Let,
    /// A parameter of the function.
    Param,
    /// `self`, `&self`, `&mut self`.
    SelfParam,
    /// The pattern of a `for` loop.
    ForPattern,
    /// A `match` arm, `if let` or `while let` pattern.
    MatchPattern,
    /// A closure parameter.
    ClosureParam,
}

/// A local variable.
#[derive(Debug)]
pub struct Binding<'ast> {
    /// Its name.
    pub name: String,
    /// The identifier where it is declared.
    pub ident_span: proc_macro2::Span,
    /// Declared `mut`.
    pub mutable: bool,
    /// What declared it.
    pub origin: BindingOrigin,
    /// The initialiser, for `let name = init;` (a lone identifier pattern).
    pub init: Option<&'ast Expr>,
    /// The type written in the declaration (`let x: T`, `x: T` parameter).
    pub ty: Option<&'ast Type>,
    /// The body it is declared in.
    pub body: BodyId,
    /// The innermost loop of that body enclosing the declaration.
    pub innermost_loop: Option<LoopId>,
    /// Position in the walk (see [`Use::order`]); uses with a greater order come after.
    pub order: u32,
    /// How many conditional constructs enclose the declaration, counted from
    /// the innermost loop body (or the body). Compare with [`LoopInfo::cond_depth`].
    pub cond_depth: u32,
}

/// How an expression uses a binding.
#[derive(Debug, Clone, Copy)]
pub enum UseKind<'ast> {
    /// Receiver of a method call: `b.push(x)`.
    MethodReceiver(&'ast syn::ExprMethodCall),
    /// Base of a field access: `b.len`.
    FieldBase,
    /// Indexed: `b[i]`.
    Indexed,
    /// `&b`.
    Borrow,
    /// `&mut b`.
    BorrowMut,
    /// Assigned: `b = ...`.
    Assign(&'ast syn::ExprAssign),
    /// Compound-assigned: `b += ...`.
    CompoundAssign(&'ast syn::ExprBinary),
    /// Read by a formatting macro (`format!("{b}")`), which only borrows it.
    FormatArg,
    /// Destination of `write!`/`writeln!`.
    WriteDestination,
    /// Any other mention: moved, copied, passed by value, dereferenced, ...
    Value,
    /// Named inside a macro whose tokens memlint cannot read.
    Opaque,
}

/// One use of a binding.
#[derive(Debug, Clone, Copy)]
pub struct Use<'ast> {
    /// The binding used.
    pub binding: BindingId,
    /// How.
    pub kind: UseKind<'ast>,
    /// Position in the walk: strictly increasing in source order.
    pub order: u32,
    /// The body the use is in.
    pub body: BodyId,
    /// The innermost loop of that body enclosing the use.
    pub innermost_loop: Option<LoopId>,
    /// Whether the use only runs on some paths through the innermost loop's
    /// body (or the body, outside loops): inside an `if`/`match` branch, the
    /// right side of `&&`/`||`, or a `let ... else` block.
    pub conditional: bool,
    /// The identifier's span.
    pub span: proc_macro2::Span,
}

/// The kind of a loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopKind {
    /// `for pat in iterable`.
    For,
    /// `while cond`.
    While,
    /// `while let pat = expr`.
    WhileLet,
    /// `loop`.
    Loop,
}

/// How control can leave a loop's body early. A flag is set only by
/// control flow that affects this loop (a `break` of an inner loop doesn't).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exits {
    /// `break` leaving this loop (or a labelled break leaving an outer one).
    pub breaks: bool,
    /// `continue` of this loop.
    pub continues: bool,
    /// `return` from the enclosing body.
    pub returns: bool,
    /// The `?` operator.
    pub tries: bool,
    /// A macro memlint cannot read, which may expand to `return`, `break`, `continue` or `?`.
    pub macro_may_exit: bool,
}

impl Exits {
    /// Whether the body can stop an iteration before its end, or stop the loop early.
    pub fn any(&self) -> bool {
        self.breaks || self.continues || self.returns || self.tries || self.macro_may_exit
    }
}

/// One loop of a function.
#[derive(Debug)]
pub struct LoopInfo<'ast> {
    /// Its id.
    pub id: LoopId,
    /// `for`, `while`, `while let`, `loop`.
    pub kind: LoopKind,
    /// The whole loop expression.
    pub expr: &'ast Expr,
    /// The label, without the quote (`outer` for `'outer:`).
    pub label: Option<String>,
    /// The pattern of a `for` or `while let`.
    pub pat: Option<&'ast Pat>,
    /// The iterable of a `for`, the condition of a `while`, the scrutinee of a `while let`.
    pub head: Option<&'ast Expr>,
    /// The span of the header (`for x in items`), for labels.
    pub header_span: proc_macro2::Span,
    /// The body it is in.
    pub body: BodyId,
    /// The innermost loop of the same body enclosing this one.
    pub outer: Option<LoopId>,
    /// Walk positions: every use inside the loop (head of a `while` included,
    /// iterable of a `for` excluded) has `start <= order < end`.
    pub start: u32,
    /// See `start`.
    pub end: u32,
    /// How its body can end early.
    pub exits: Exits,
    /// How many conditional constructs enclose the loop, counted like [`Binding::cond_depth`].
    pub cond_depth: u32,
}

impl LoopInfo<'_> {
    /// Whether a walk position is inside the loop.
    pub fn contains(&self, order: u32) -> bool {
        self.start <= order && order < self.end
    }
}

/// One branch of an `if`/`else` or a `match`: of the branches of a group,
/// at most one runs (each time the construct runs).
#[derive(Debug, Clone, Copy)]
pub struct Branch {
    /// The construct it belongs to.
    pub group: u32,
    /// Walk positions: every use inside it has `start < order < end`.
    pub start: u32,
    /// See `start`.
    pub end: u32,
}

impl Branch {
    /// Whether a walk position is inside the branch.
    pub fn contains(&self, order: u32) -> bool {
        self.start < order && order < self.end
    }
}

/// Everything known about one function after walking it.
#[derive(Debug, Default)]
pub struct FnFacts<'ast> {
    /// The fn's name (`None` for code outside any fn, e.g. a const initialiser).
    pub name: Option<String>,
    /// The signature.
    pub sig: Option<&'ast syn::Signature>,
    /// The fn body.
    pub block: Option<&'ast syn::Block>,
    /// The fn is test code.
    pub in_test: bool,
    /// The name of the type of the enclosing `impl`, if any.
    pub self_type: Option<String>,
    /// The enclosing `impl`'s self type as written (`Self` is `&Foo` in `impl Tr for &Foo`).
    pub impl_self: Option<&'ast syn::Type>,
    /// Every binding, in declaration order.
    pub bindings: Vec<Binding<'ast>>,
    /// Every use of a binding, in order.
    pub uses: Vec<Use<'ast>>,
    /// Every loop, in order of their start.
    pub loops: Vec<LoopInfo<'ast>>,
    /// Every branch of an `if`/`else` or `match`, in order of their end.
    pub branches: Vec<Branch>,
    /// How many groups of branches there are (group ids count from 1).
    pub branch_groups: u32,
    /// Items of the body's blocks (any depth, nested functions' bodies
    /// excluded) that may shadow a std name ([`crate::syntax::shadowing::may_shadow`]).
    pub local_items: Vec<&'ast syn::Item>,
    /// Whether the walk saw a copying call (`clone()`, `to_owned()`, ..,
    /// [`super::copies::conversion_of`]) in the body: without
    /// one, the rules about copies have nothing to look for.
    pub copies: bool,
    /// Whether the walk saw a `format!` in the body (a copy when it only
    /// displays one `String`).
    pub formats: bool,
    /// Every closure, with the method call it is an argument of.
    pub closures: Vec<ClosureSite<'ast>>,
    /// Which of the method names some rule looks for the body calls.
    pub called: Called,
}

/// Method names a rule looks for, seen called in a body by the walk: a rule
/// whose name is not there has nothing to visit (a text search of every
/// body per rule cost a few percent of the walk).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Called(u8);

impl Called {
    /// `sort`, `sort_by`, `sort_by_key`.
    pub const SORT: Called = Called(1);
    /// `insert`, `remove`.
    pub const INSERT_REMOVE: Called = Called(1 << 1);
    /// `join`.
    pub const JOIN: Called = Called(1 << 2);
    /// `unwrap_or`, `map_or`, `ok_or`, `or_insert`: eager defaults.
    pub const EAGER_DEFAULT: Called = Called(1 << 3);
    /// `entry`.
    pub const ENTRY: Called = Called(1 << 4);

    /// Notes a call of `method`.
    pub(crate) fn note(&mut self, method: &syn::Ident) {
        const NAMES: [(&str, Called); 11] = [
            ("sort", Called::SORT),
            ("sort_by", Called::SORT),
            ("sort_by_key", Called::SORT),
            ("insert", Called::INSERT_REMOVE),
            ("remove", Called::INSERT_REMOVE),
            ("join", Called::JOIN),
            ("unwrap_or", Called::EAGER_DEFAULT),
            ("map_or", Called::EAGER_DEFAULT),
            ("ok_or", Called::EAGER_DEFAULT),
            ("or_insert", Called::EAGER_DEFAULT),
            ("entry", Called::ENTRY),
        ];
        // Compared in place: this runs for every method call.
        if let Some((_, name)) = NAMES.iter().find(|(n, _)| method == n) {
            self.0 |= name.0;
        }
    }

    /// Whether a method of `names` was called.
    pub fn any(self, names: Called) -> bool {
        self.0 & names.0 != 0
    }
}

/// A closure of the body, where the types of its parameters may come from.
#[derive(Debug, Clone, Copy)]
pub struct ClosureSite<'ast> {
    /// The closure's own body.
    pub body: BodyId,
    /// The closure.
    pub closure: &'ast syn::ExprClosure,
    /// The method call it is passed to (`it.map(|x| ..)`), if it is.
    pub adapter: Option<&'ast syn::ExprMethodCall>,
}

impl<'ast> FnFacts<'ast> {
    /// The uses of one binding, in order.
    pub fn uses_of(&self, binding: BindingId) -> impl Iterator<Item = &Use<'ast>> {
        self.uses.iter().filter(move |u| u.binding == binding)
    }

    /// Whether the code at walk positions `a` and `b` is in different
    /// branches of one `if`/`else` or `match`: never both run in one
    /// run of the construct.
    pub fn exclusive(&self, a: u32, b: u32) -> bool {
        self.branches
            .iter()
            .filter(|x| x.contains(a))
            .any(|x| self.branches.iter().any(|y| y.group == x.group && y.start != x.start && y.contains(b)))
    }

    /// The use an identifier of the function body is (found by its position).
    pub fn use_at(&self, ident: &syn::Ident) -> Option<&Use<'ast>> {
        // Line and column, not `byte_range`: proc-macro2 finds a byte offset
        // by counting characters, which made this scan a hot spot.
        let start = ident.span().start();
        self.uses.iter().find(|u| u.span.start() == start)
    }
}
