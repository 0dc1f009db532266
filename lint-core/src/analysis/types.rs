//! Local type inference over one function: the type of a binding or an
//! expression where what is written makes it certain. Sources: written
//! types (parameters, `let x: T`, `as T`, closure parameters), literals,
//! the std table's signatures (constructors, methods through auto-deref,
//! iterator items through `for` patterns), the file's own functions,
//! methods and struct fields, `self` in an impl, and `&`, `*`, `?`,
//! indexing and field access. Unknown stays unknown (`None`); nothing is
//! guessed from a name. Inferred lazily, only where a rule asks, and once
//! per binding.

use syn::{Expr, Lit, Pat};

use crate::semantic::std_table::{Sig, std_table};
use crate::semantic::ty::{CallKey, Reading, Ty};
use crate::syntax::paths::strip_parens;
use crate::walk::{BindingId, BindingOrigin, FnCx, LoopKind};

/// How deep inference follows bindings' initialisers into each other
/// before giving up (a guard; real chains are short).
const MAX_DEPTH: u32 = 24;

/// The type of the binding `id`, when certain.
pub fn binding_ty(fx: &FnCx<'_, '_, '_>, id: BindingId) -> Option<Ty> {
    binding_at(fx, id, 0)
}

/// The type of `expr` (an expression of the function's body), when certain.
pub fn type_of(fx: &FnCx<'_, '_, '_>, expr: &Expr) -> Option<Ty> {
    expr_at(fx, expr, 0)
}

/// Reads a written type in the function's scope: std names the file
/// doesn't shadow, the crate's types, `Self`; type parameters unknown.
pub fn read_type(fx: &FnCx<'_, '_, '_>, ty: &syn::Type) -> Ty {
    let fn_generic = |name: &str| fx.facts.sig.is_some_and(|sig| sig.generics.type_params().any(|t| t.ident == name));
    read_in(fx, ty, &fn_generic, self_type(fx).as_ref())
}

/// Reads a written type in the file: type parameters of the enclosing
/// items, and those `generic` names, are unknown; a std name is the std
/// type where the file doesn't shadow it; another name is a crate type
/// unless imported from another crate; `Self` is `self_ty`.
fn read_in(fx: &FnCx<'_, '_, '_>, ty: &syn::Type, generic: &dyn Fn(&str) -> bool, self_ty: Option<&Ty>) -> Ty {
    read_with(fx, ty, generic, self_ty, &[])
}

/// [`read_in`], with `vars` read as [`Ty::Var`]s (a type alias's parameters).
fn read_with(
    fx: &FnCx<'_, '_, '_>,
    ty: &syn::Type,
    generic: &dyn Fn(&str) -> bool,
    self_ty: Option<&Ty>,
    vars: &[String],
) -> Ty {
    let generic = |name: &str| generic(name) || fx.cx.is_generic_param(name);
    let std_name = |name: &str| !generic(name) && !fx.shadows(name);
    let crate_name = |name: &str| !generic(name) && !fx.cx.items().imports.may_be_foreign(name);
    // The file's own aliases are read where they are written.
    let alias = |t: &syn::Type, params: &[String]| read_with(fx, t, &|_| false, None, params);
    let crate_type = |name: &str, args: &[Ty]| fx.cx.items().types.crate_type(name, args, &alias);
    let workspace_type = |path: &syn::Path| match path.get_ident() {
        // Not a type parameter, nor an item of the body (`fx.shadows` also
        // counts the import itself).
        Some(name)
            if generic(&name.to_string())
                || fx
                    .facts
                    .local_items
                    .iter()
                    .any(|i| crate::syntax::shadowing::item_shadows(i, &name.to_string())) =>
        {
            None
        }
        _ => fx.cx.items().imports.workspace_type(path),
    };
    let reading = Reading {
        std_name: &std_name,
        crate_name: &crate_name,
        self_ty,
        vars,
        crate_type: &crate_type,
        workspace_type: &workspace_type,
    };
    reading.read(ty)
}

/// The type `Self` is in the function: the enclosing `impl`'s self type
/// as written (`&Foo` in `impl IntoIterator for &Foo`).
fn self_type(fx: &FnCx<'_, '_, '_>) -> Option<Ty> {
    known(read_in(fx, fx.facts.impl_self?, &|_| false, None))
}

/// A type that says something (not unknown at its top).
fn known(ty: Ty) -> Option<Ty> {
    (!ty.is_unknown()).then_some(ty)
}

fn binding_at(fx: &FnCx<'_, '_, '_>, id: BindingId, depth: u32) -> Option<Ty> {
    if let Some(ty) = fx.binding_types.borrow().get(&id) {
        return ty.clone();
    }
    if depth > MAX_DEPTH {
        return None;
    }
    // Marked unknown while inferred: a cycle (there is none in valid code) ends.
    fx.binding_types.borrow_mut().insert(id, None);
    let ty = infer_binding(fx, id, depth);
    fx.binding_types.borrow_mut().insert(id, ty.clone());
    ty
}

fn infer_binding(fx: &FnCx<'_, '_, '_>, id: BindingId, depth: u32) -> Option<Ty> {
    let binding = &fx.facts.bindings[id];
    match binding.origin {
        BindingOrigin::Param => known(read_type(fx, binding.ty?)),
        BindingOrigin::ClosureParam => match binding.ty {
            Some(ty) => known(read_type(fx, ty)),
            None => closure_param(fx, id, depth),
        },
        BindingOrigin::SelfParam => {
            let receiver = fx.facts.sig?.inputs.iter().find_map(|input| match input {
                syn::FnArg::Receiver(r) => Some(r),
                _ => None,
            })?;
            // `&self` is `&Self`, `self: Box<Self>` as written.
            known(read_type(fx, &receiver.ty))
        }
        BindingOrigin::Let => {
            let written = binding.ty.map(|ty| read_type(fx, ty));
            match (written, binding.init) {
                (Some(ty), _) if !has_unknown(&ty) => Some(ty),
                (written, Some(init)) => expr_at(fx, init, depth + 1).or_else(|| written.and_then(known)),
                (written, None) => written.and_then(known),
            }
        }
        BindingOrigin::ForPattern => {
            let lp =
                fx.facts.loops.iter().find(|lp| {
                    lp.kind == LoopKind::For && lp.pat.is_some_and(|pat| contains(pat, binding.ident_span))
                })?;
            let item = expr_at(fx, lp.head?, depth + 1)?.into_iter_item()?;
            in_pattern(lp.pat?, item, binding.ident_span)
        }
        BindingOrigin::MatchPattern => None,
    }
}

/// The type of a parameter of a closure passed to a std adapter, which
/// fixes it: `it.map(|x| ..)` on an iterator of `T` gives `x: T`,
/// `it.filter(|x| ..)` gives `x: &T`, `opt.map(|x| ..)` on an `Option<T>` `x: T`.
fn closure_param(fx: &FnCx<'_, '_, '_>, id: BindingId, depth: u32) -> Option<Ty> {
    let binding = &fx.facts.bindings[id];
    let site = fx.facts.closures.iter().find(|c| c.body == binding.body)?;
    let [input] = site.closure.inputs.iter().collect::<Vec<_>>()[..] else { return None };
    let adapter = site.adapter?;
    if adapter.args.len() != 1 {
        return None;
    }
    let recv = expr_at(fx, &adapter.receiver, depth + 1)?;
    let by_ref = |t: Ty| Ty::Ref(false, Box::new(t));
    let param = match (&recv, adapter.method.to_string().as_str()) {
        (
            Ty::Iter(item),
            "map" | "for_each" | "filter_map" | "flat_map" | "any" | "all" | "position" | "find_map" | "map_while",
        ) => (**item).clone(),
        (Ty::Iter(item), "filter" | "find" | "take_while" | "skip_while" | "inspect" | "max_by_key" | "min_by_key") => {
            by_ref((**item).clone())
        }
        (Ty::Std(name, args), "map" | "and_then" | "is_some_and" | "is_ok_and")
            if name == "Option" || name == "Result" =>
        {
            args.first()?.clone()
        }
        (Ty::Std(name, args), "filter" | "inspect") if name == "Option" => by_ref(args.first()?.clone()),
        (Ty::Std(name, args), "map_err") if name == "Result" => args.get(1)?.clone(),
        _ => return None,
    };
    in_pattern(input, param, binding.ident_span)
}

/// Whether a type has an unknown part (`Vec<_>`).
fn has_unknown(ty: &Ty) -> bool {
    match ty {
        Ty::Unknown | Ty::Var(_) => true,
        Ty::Std(_, args) | Ty::Tuple(args) => args.iter().any(has_unknown),
        Ty::Ref(_, t) | Ty::Slice(t) | Ty::Array(t) | Ty::Iter(t) => has_unknown(t),
        Ty::Alias(_, args) => args.iter().any(has_unknown),
        Ty::Adt(_) | Ty::Returned(_) | Ty::MethodOf(..) | Ty::FieldOf(..) => false,
    }
}

/// Whether the pattern declares the identifier at `span`.
fn contains(pat: &Pat, span: proc_macro2::Span) -> bool {
    let range = span.byte_range();
    let outer = syn::spanned::Spanned::span(pat).byte_range();
    outer.start <= range.start && range.end <= outer.end
}

/// The type of the identifier at `span` in `pat`, matched against a value of type `ty`.
fn in_pattern(pat: &Pat, ty: Ty, span: proc_macro2::Span) -> Option<Ty> {
    match pat {
        Pat::Ident(id) if id.ident.span().byte_range() == span.byte_range() => {
            // `ref x` borrows; a sub-pattern (`x @ ..`) keeps the type.
            let ty = if id.by_ref.is_some() { Ty::Ref(id.mutability.is_some(), Box::new(ty)) } else { ty };
            known(ty)
        }
        Pat::Paren(p) => in_pattern(&p.pat, ty, span),
        Pat::Type(p) => in_pattern(&p.pat, ty, span),
        Pat::Reference(r) => match ty {
            Ty::Ref(_, inner) => in_pattern(&r.pat, *inner, span),
            _ => None,
        },
        Pat::Tuple(t) => {
            // Matching a tuple pattern through a reference binds by reference.
            let (items, by_ref) = match ty {
                Ty::Tuple(items) => (items, None),
                Ty::Ref(m, inner) => match *inner {
                    Ty::Tuple(items) => (items, Some(m)),
                    _ => return None,
                },
                _ => return None,
            };
            if t.elems.len() != items.len() || t.elems.iter().any(|p| matches!(p, Pat::Rest(_))) {
                return None;
            }
            let (pat, item) = t.elems.iter().zip(items).find(|(p, _)| contains(p, span))?;
            let item = match by_ref {
                Some(m) if !matches!(item, Ty::Ref(..)) => Ty::Ref(m, Box::new(item)),
                _ => item,
            };
            in_pattern(pat, item, span)
        }
        _ => None,
    }
}

fn expr_at(fx: &FnCx<'_, '_, '_>, expr: &Expr, depth: u32) -> Option<Ty> {
    if depth > MAX_DEPTH {
        return None;
    }
    let next = depth + 1;
    match strip_parens(expr) {
        Expr::Lit(lit) => literal(&lit.lit),
        Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            let u = fx.facts.use_at(&p.path.segments[0].ident)?;
            binding_at(fx, u.binding, next)
        }
        Expr::Reference(r) => Some(Ty::Ref(r.mutability.is_some(), Box::new(expr_at(fx, &r.expr, next)?))),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => expr_at(fx, &u.expr, next)?.deref(),
        Expr::Cast(c) => known(read_type(fx, &c.ty)),
        Expr::Try(t) => match expr_at(fx, &t.expr, next)? {
            Ty::Std(name, args) if name == "Result" || name == "Option" => known(args.into_iter().next()?),
            // `?` on what another file's function returns: resolved with it.
            ty if ty.is_deferred() => Some(Ty::MethodOf(Box::new(ty), "?".to_owned())),
            _ => None,
        },
        Expr::MethodCall(m) => method_call(fx, m, next),
        Expr::Call(c) => call(fx, c, next),
        Expr::Macro(m) => match crate::syntax::paths::macro_name(&m.mac).as_deref() {
            Some("format") => Some(Ty::std("String")),
            Some("vec") => Some(Ty::Std("Vec".to_owned(), vec![Ty::Unknown])),
            // `try!(e)`, the `?` of edition 2015.
            Some("try") => {
                let inner: Expr = m.mac.parse_body().ok()?;
                match expr_at(fx, &inner, next)? {
                    Ty::Std(name, args) if name == "Result" => known(args.into_iter().next()?),
                    _ => None,
                }
            }
            _ => None,
        },
        Expr::Field(f) => {
            let member = match &f.member {
                syn::Member::Named(field) => field.to_string(),
                syn::Member::Unnamed(i) => i.index.to_string(),
            };
            field_ty(fx, &expr_at(fx, &f.base, next)?, &member)
        }
        Expr::Index(i) => {
            let base = expr_at(fx, &i.expr, next)?;
            if matches!(strip_parens(&i.index), Expr::Range(_)) {
                // `&v[..]`, `&s[1..]`: the place indexed is the borrowed form.
                return match base.peel_refs() {
                    Ty::Std(name, _) if name == "Vec" => Some(Ty::Slice(Box::new(base.peel_refs().arg(0)))),
                    Ty::Std(name, _) if name == "String" || name == "str" => Some(Ty::std("str")),
                    Ty::Slice(item) | Ty::Array(item) => Some(Ty::Slice(item.clone())),
                    _ => None,
                };
            }
            match base.peel_refs() {
                Ty::Std(name, _) if name == "Vec" || name == "VecDeque" => known(base.peel_refs().arg(0)),
                Ty::Std(name, _) if name == "HashMap" || name == "BTreeMap" => known(base.peel_refs().arg(1)),
                Ty::Slice(item) | Ty::Array(item) => known((**item).clone()),
                _ => None,
            }
        }
        Expr::Struct(s) if s.qself.is_none() => {
            let name = s.path.get_ident()?.to_string();
            if name == "Self" {
                return self_type(fx);
            }
            (name.starts_with(|c: char| c.is_ascii_uppercase()) && !fx.cx.is_generic_param(&name))
                .then_some(Ty::Adt(name))
        }
        Expr::Array(a) => {
            let item = a.elems.first().and_then(|e| expr_at(fx, e, next)).unwrap_or(Ty::Unknown);
            Some(Ty::Array(Box::new(item)))
        }
        Expr::Tuple(t) => {
            Some(Ty::Tuple(t.elems.iter().map(|e| expr_at(fx, e, next).unwrap_or(Ty::Unknown)).collect()))
        }
        // A block's value is its tail expression's (a closure's body `{ .. }`).
        Expr::Block(b) if b.label.is_none() => match b.block.stmts.last()? {
            syn::Stmt::Expr(tail, None) => expr_at(fx, tail, next),
            _ => None,
        },
        _ => None,
    }
}

/// The type of field `member` (`name`, or `0` of a tuple or tuple struct)
/// of a value of type `base`: its declared type in a struct of the file, a
/// tuple's item, or, for a struct of another file or a deferred type, the
/// field's type the crate phase resolves ([`Ty::FieldOf`]).
pub fn field_ty(fx: &FnCx<'_, '_, '_>, base: &Ty, member: &str) -> Option<Ty> {
    let base = base.peel_refs();
    if base.is_deferred() {
        return Some(Ty::FieldOf(Box::new(base.clone()), member.to_owned()));
    }
    match base {
        Ty::Adt(name) => match fx.cx.items().field_type(name, member) {
            Some(written) => known(read_type(fx, written)),
            None if fx.cx.items().defines_struct(name) => None,
            None => Some(Ty::FieldOf(Box::new(base.clone()), member.to_owned())),
        },
        Ty::Tuple(items) => known(items.get(member.parse::<usize>().ok()?)?.clone()),
        _ => None,
    }
}

fn literal(lit: &Lit) -> Option<Ty> {
    Some(match lit {
        Lit::Str(_) => Ty::std("str").by_ref(),
        Lit::Char(_) => Ty::std("char"),
        Lit::Bool(_) => Ty::std("bool"),
        Lit::Int(i) if !i.suffix().is_empty() => Ty::std(i.suffix()),
        Lit::Float(f) if !f.suffix().is_empty() => Ty::std(f.suffix()),
        _ => return None,
    })
}

fn method_call(fx: &FnCx<'_, '_, '_>, m: &syn::ExprMethodCall, depth: u32) -> Option<Ty> {
    let method = m.method.to_string();
    // `ToString` is implemented for every `Display` type, and returns `String`.
    if method == "to_string" && m.args.is_empty() {
        return Some(Ty::std("String"));
    }
    let recv = expr_at(fx, &m.receiver, depth)?;
    match method.as_str() {
        "collect" => {
            let target = match m.turbofish.as_ref()?.args.first()? {
                syn::GenericArgument::Type(ty) => read_type(fx, ty),
                _ => return None,
            };
            let item = recv.into_iter_item().unwrap_or(Ty::Unknown);
            return match target {
                Ty::Std(name, args) if name == "Vec" && args.first().is_none_or(Ty::is_unknown) => {
                    Some(Ty::Std(name, vec![item]))
                }
                target => known(target),
            };
        }
        // What the closure returns, when its parameters' types are fixed.
        "map" if m.args.len() == 1 => {
            let Expr::Closure(c) = strip_parens(m.args.first()?) else { return None };
            let out = expr_at(fx, &c.body, depth + 1)?;
            return match recv {
                Ty::Iter(_) => Some(Ty::Iter(Box::new(out))),
                Ty::Std(name, _) if name == "Option" => Some(Ty::Std(name, vec![out])),
                Ty::Std(name, mut args) if name == "Result" && args.len() == 2 => {
                    args[0] = out;
                    Some(Ty::Std(name, args))
                }
                _ => None,
            };
        }
        "zip" => {
            let item = recv.into_iter_item()?;
            let other = expr_at(fx, m.args.first()?, depth).and_then(|t| t.into_iter_item()).unwrap_or(Ty::Unknown);
            return Some(Ty::Iter(Box::new(Ty::Tuple(vec![item, other]))));
        }
        "iter" | "into_iter" if matches!(recv, Ty::Iter(_)) => return Some(recv),
        _ => {}
    }
    // On a receiver only the crate phase knows, so is the method's result.
    if recv.peel_refs().is_deferred() {
        return Some(Ty::MethodOf(Box::new(recv.peel_refs().clone()), method));
    }
    if let Ty::Adt(name) = recv.peel_refs() {
        return match fx.cx.items().method_sig(name, &method) {
            Some(sig) => returned(fx, sig, Some(&Ty::Adt(name.clone()))),
            // Perhaps a method in another file, or a method of what the
            // type derefs to: the crate phase looks.
            None => (!fx.cx.items().imports.may_be_foreign(name))
                .then(|| Ty::MethodOf(Box::new(Ty::Adt(name.clone())), method)),
        };
    }
    known(std_table().method_ret(&recv, &method)?)
}

/// The type a signature of the file returns (`Self` being `self_ty`).
fn returned(fx: &FnCx<'_, '_, '_>, sig: &syn::Signature, self_ty: Option<&Ty>) -> Option<Ty> {
    let syn::ReturnType::Type(_, ty) = &sig.output else { return Some(Ty::Tuple(Vec::new())) };
    // The callee's own type parameters are unknown at the call.
    let callee_generic = |name: &str| sig.generics.type_params().any(|t| t.ident == name);
    known(read_in(fx, ty, &callee_generic, self_ty))
}

/// What a call by path (`f(..)`, `Type::f(..)`, `fs::read(..)`) calls, as
/// far as the file can tell.
#[derive(Debug)]
pub enum PathCallee<'ast> {
    /// A function of the std table.
    Std(&'static Sig),
    /// A function of the file (`f`), or an associated function or method of
    /// a type of the file (`Type::f`, `Self::f`), with the type `Self` is.
    File(&'ast syn::Signature, Option<Ty>),
    /// What can only be a function another file of the crate defines.
    Crate(CallKey),
}

/// The callee of a call by path, when certain.
pub fn path_callee<'ast>(fx: &FnCx<'_, '_, 'ast>, c: &syn::ExprCall) -> Option<PathCallee<'ast>> {
    let Expr::Path(p) = strip_parens(&c.func) else { return None };
    if p.qself.is_some() {
        return None;
    }
    let segments: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
    match segments[..] {
        [f] if p.path.leading_colon.is_none() => {
            let name = f.ident.to_string();
            // A function of the file, unless a block item of the body shadows it.
            if fx.facts.local_items.iter().any(|item| crate::syntax::shadowing::item_shadows(item, &name)) {
                return None;
            }
            match fx.cx.items().fn_sig(&name) {
                Some(sig) => Some(PathCallee::File(sig, None)),
                None => crate_key(fx, None, name).map(PathCallee::Crate),
            }
        }
        // `crate::parse_log`, `super::util::open`, `crate::key::Key::new`,
        // `util::open` (a module of the file or one it imports from the
        // crate): a path inside the crate names its item without imports.
        [first, ref rest @ ..]
            if !rest.is_empty()
                && p.path.leading_colon.is_none()
                && let Some(mut via) = in_crate_path(fx, &first.ident.to_string()) =>
        {
            let name = rest[rest.len() - 1].ident.to_string();
            let owner = rest.len().checked_sub(2).map(|i| rest[i].ident.to_string());
            let owner = owner.filter(|o| o.starts_with(|c: char| c.is_ascii_uppercase()));
            if let Some(other) = via.first().filter(|v| v.starts_with("::")) {
                // Another crate of the workspace: a type's function there is
                // keyed by the type's qualified name.
                return Some(PathCallee::Crate(match owner {
                    Some(owner) => CallKey::method(format!("{other}::{owner}"), name),
                    None => {
                        via.extend(rest[..rest.len() - 1].iter().map(|s| s.ident.to_string()));
                        CallKey { owner: None, name, via: Some(via) }
                    }
                }));
            }
            if let Some(owner) = owner {
                // A method: the crate's type of that name, wherever its impl is.
                return Some(match fx.cx.items().method_sig(&owner, &name) {
                    Some(sig) => PathCallee::File(sig, Some(Ty::Adt(owner.clone()))),
                    None => PathCallee::Crate(CallKey::method(owner, name)),
                });
            }
            // `self::f` is the file's own `f`; another module's `f` may share its name.
            if via == ["self"]
                && rest.len() == 1
                && let Some(sig) = fx.cx.items().fn_sig(&name)
            {
                return Some(PathCallee::File(sig, None));
            }
            via.extend(rest[..rest.len() - 1].iter().map(|s| s.ident.to_string()));
            Some(PathCallee::Crate(CallKey { owner: None, name, via: Some(via) }))
        }
        [.., owner, f] => {
            let (owner, name) = (owner.ident.to_string(), f.ident.to_string());
            let qualified = segments.len() > 2 || p.path.leading_colon.is_some();
            if qualified && !crate::syntax::paths::path_is(&p.path, &[&owner, &name]) {
                return None;
            }
            if !fx.shadows(&owner)
                && let Some(sig) = std_table().function(&owner, &name)
            {
                return Some(PathCallee::Std(sig));
            }
            if qualified || !owner.starts_with(|c: char| c.is_ascii_uppercase()) || fx.cx.is_generic_param(&owner) {
                return None;
            }
            let (owner, self_ty) = match owner.as_str() {
                "Self" => (fx.facts.self_type.clone()?, self_type(fx)),
                _ => (owner.clone(), Some(Ty::Adt(owner))),
            };
            match fx.cx.items().method_sig(&owner, &name) {
                Some(sig) => Some(PathCallee::File(sig, self_ty)),
                None => crate_key(fx, Some(owner), name).map(PathCallee::Crate),
            }
        }
        _ => None,
    }
}

fn call(fx: &FnCx<'_, '_, '_>, c: &syn::ExprCall, depth: u32) -> Option<Ty> {
    match path_callee(fx, c)? {
        PathCallee::Std(sig) => {
            // Bind the signature's type variables from the arguments.
            let mut bound = Vec::new();
            for (param, arg) in sig.params.iter().zip(&c.args) {
                if let Some(ty) = expr_at(fx, arg, depth) {
                    ty.bind(&param.ty, &mut bound);
                }
            }
            known(sig.ret.substitute(&bound))
        }
        PathCallee::File(sig, self_ty) => returned(fx, sig, self_ty.as_ref()),
        PathCallee::Crate(key) => Some(Ty::Returned(Box::new(key))),
    }
}

/// How a call that can only be the crate's, or another workspace
/// crate's, is keyed (`owner::name` or `name`, neither imported from
/// another crate nor possibly brought in by a glob from one).
fn crate_key(fx: &FnCx<'_, '_, '_>, owner: Option<String>, name: String) -> Option<CallKey> {
    let imports = &fx.cx.items().imports;
    match owner {
        // An imported type by its own name (`use crate::a::Key as K;`).
        Some(owner) if !imports.may_be_foreign(&owner) => {
            let own = imports.crate_path(&owner).and_then(<[String]>::last).cloned().unwrap_or(owner);
            Some(CallKey::method(own, name))
        }
        // A type imported from another crate of the workspace, by its qualified name.
        Some(owner) => match imports.workspace_path(&owner)? {
            [other, .., own] => Some(CallKey::method(format!("{other}::{own}"), name)),
            _ => None,
        },
        // An imported function through the module it is imported from.
        None if !imports.may_be_foreign(&name) => Some(match imports.crate_path(&name) {
            Some([via @ .., own]) => CallKey { owner: None, name: own.clone(), via: Some(via.to_vec()) },
            _ => CallKey::free(name),
        }),
        None => match imports.workspace_path(&name)? {
            [via @ .., own] if !via.is_empty() => {
                Some(CallKey { owner: None, name: own.clone(), via: Some(via.to_vec()) })
            }
            _ => None,
        },
    }
}

/// The module path a path starting with `first` goes through when it
/// certainly starts in the crate (`crate`, `super`, `self`, a module of the
/// file, a module imported from the crate) and no item of the body shadows it.
fn in_crate_path(fx: &FnCx<'_, '_, '_>, first: &str) -> Option<Vec<String>> {
    // `Key::new`: a type's function, not a module's.
    if first.starts_with(|c: char| c.is_ascii_uppercase())
        || fx.facts.local_items.iter().any(|i| crate::syntax::shadowing::item_shadows(i, first))
    {
        return None;
    }
    fx.cx.items().imports.crate_module_path(first)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use crate::rule::{Category, FixSafety, Hooks, RuleMeta};
    use crate::walk::{Emitter, FnCx, Rule};

    /// A rule that records the inferred type of every binding named `probe*`.
    struct Probe(Mutex<Vec<String>>);

    static META: RuleMeta = RuleMeta {
        name: "probe",
        category: Category::Perf,
        default_level: crate::Level::Warn,
        summary: "",
        docs: "",
        in_tests: true,
        supersedes: &[],
        options: &[],
        fix: FixSafety::None,
        clippy: &[],
        confirmed_by: &[],
        fix_leaves_one: false,
        crate_wide: false,
    };

    impl Rule for Probe {
        fn meta(&self) -> &'static RuleMeta {
            &META
        }
        fn hooks(&self) -> Hooks {
            Hooks::FN
        }
        fn check_fn<'ast>(&self, fx: &FnCx<'_, '_, 'ast>, _out: &mut Emitter) {
            for (id, b) in fx.facts.bindings.iter().enumerate() {
                if b.name.starts_with("probe") {
                    let ty = super::binding_ty(fx, id).map_or("?".to_owned(), |t| t.to_string());
                    self.0.lock().unwrap().push(format!("{}: {ty}", b.name));
                }
            }
        }
    }

    fn types(code: &str) -> Vec<String> {
        let probe: &'static Probe = Box::leak(Box::new(Probe(Mutex::default())));
        crate::rules::test_support::walk_with(probe, code);
        std::mem::take(&mut probe.0.lock().unwrap())
    }

    #[test]
    fn bindings_get_the_types_their_code_states() {
        let found = types(
            r#"
struct Entry { memo: Vec<u8>, name: String }
struct Key(String);
impl Key { fn new(s: &str) -> Self { Key(s.to_owned()) } fn label(&self) -> String { self.0.clone() } }
fn make() -> String { String::new() }
fn f(groups: &[Vec<i64>], e: Entry, names: Vec<String>, map: &std::collections::HashMap<String, u32>) {
    let probe_key = Key::new("a");
    let probe_label = probe_key.label();
    let probe_made = make();
    let probe_replaced = probe_made.replace("a", "b");
    let probe_trimmed = probe_replaced.trim();
    let probe_memo = e.memo;
    for probe_g in groups {}
    for (probe_i, probe_name) in names.iter().enumerate() {}
    for (probe_k, probe_v) in map {}
    let probe_collected = names.iter().cloned().collect::<Vec<_>>();
    let probe_path = std::path::Path::new("x").to_path_buf();
    let probe_read = std::fs::read_to_string(&probe_path).unwrap();
    let probe_boxed = Box::new(probe_read);
    let probe_lines = probe_trimmed.lines();
    let probe_mapped = names.iter().map(|probe_n| probe_n.len()).collect::<Vec<_>>();
    let probe_labels = groups.iter().map(|g| { let n = g.len(); n.to_string() });
    let probe_kept = names.iter().filter(|probe_f| !probe_f.is_empty());
    let probe_opt = names.first().map(|(probe_s)| probe_s.trim());
    let probe_pairs = map.iter().map(|(probe_pk, _)| probe_pk.as_str());
}
"#,
        );
        assert_eq!(
            found,
            [
                "probe_key: Key",
                "probe_label: String",
                "probe_made: String",
                "probe_replaced: String",
                "probe_trimmed: &str",
                "probe_memo: Vec<u8>",
                "probe_g: &Vec<i64>",
                "probe_i: usize",
                "probe_name: &String",
                "probe_k: &String",
                "probe_v: &u32",
                "probe_collected: Vec<String>",
                "probe_path: PathBuf",
                "probe_read: String",
                "probe_boxed: Box<String>",
                "probe_lines: impl Iterator<Item = &str>",
                "probe_n: &String",
                "probe_mapped: Vec<usize>",
                "probe_labels: impl Iterator<Item = String>",
                "probe_f: &&String",
                "probe_kept: impl Iterator<Item = &String>",
                "probe_s: &String",
                "probe_opt: Option<&str>",
                "probe_pk: &String",
                "probe_pairs: impl Iterator<Item = &str>",
            ]
        );
    }

    #[test]
    fn type_aliases_stand_for_their_types() {
        let found = types(
            r#"
use std::collections::HashMap;
type Map = HashMap<String, u32>;
type Res<T> = Result<T, String>;
type Pair<A, B> = (A, Vec<B>);
fn load() -> Res<Vec<u8>> { Ok(Vec::new()) }
fn f(m: Map, p: Pair<u8, String>) -> Res<()> {
    let probe_map = m;
    let probe_loaded = load()?;
    let probe_pair = p;
    let probe_imported: crate::other::Thing<u8> = todo!();
    Ok(())
}
"#,
        );
        assert_eq!(
            found,
            [
                "probe_map: HashMap<String, u32>",
                "probe_loaded: Vec<u8>",
                "probe_pair: (u8, Vec<String>)",
                // Another file's: an alias or a generic type, the crate phase tells.
                "probe_imported: Thing<u8>",
            ]
        );
    }

    #[test]
    fn what_the_code_does_not_state_stays_unknown() {
        let found = types(
            r#"
use other::String;
use regex::Regex;
use helpers::compute_elsewhere;
fn f<T: Clone>(t: T, x: impl Fn() -> u8, r: regex::Regex, imported: Regex) {
    let probe_shadowed = String::new();
    let probe_param = t.clone();
    let probe_imported_call = compute_elsewhere();
    let probe_imported_type = imported;
    let probe_crate_call = compute();
    let probe_other_crate = r.as_str();
    let probe_number = 1;
    let probe_closure = |probe_arg| probe_arg;
    if let Some(probe_matched) = Some(1u8) {}
}
"#,
        );
        assert_eq!(
            found,
            [
                "probe_shadowed: ?",
                "probe_param: ?",
                "probe_imported_call: ?",
                "probe_imported_type: ?",
                "probe_crate_call: <what `compute` returns>",
                "probe_other_crate: ?",
                "probe_number: ?",
                "probe_arg: ?",
                "probe_closure: ?",
                "probe_matched: ?",
            ]
        );
    }

    #[test]
    fn paths_inside_the_crate_name_its_items() {
        let found = types(
            r#"
fn local() -> u32 { 1 }
fn f() {
    let probe_free = crate::util::compute();
    let probe_assoc = crate::key::Key::new("a");
    let probe_super = super::parse("x");
    let probe_here = crate::local();
}
"#,
        );
        assert_eq!(
            found,
            [
                "probe_free: <what `compute` returns>",
                "probe_assoc: <what `Key::new` returns>",
                "probe_super: <what `parse` returns>",
                // `crate::local` may be another module's `local`: the crate phase decides.
                "probe_here: <what `local` returns>",
            ]
        );
    }
}
