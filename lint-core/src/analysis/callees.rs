//! What a call's callee declares about its parameters, when the callee is
//! certain: a function of the std table, or a function or inherent method
//! defined in the file, called through a receiver or path whose type or
//! owner the code states. Rules ask it whether a parameter only borrows
//! what it is given (`P: AsRef<Path>`, `&str`) or needs the owned form
//! (`&String`).

use syn::{Expr, FnArg};

use super::types::{read_type, type_of};
use crate::semantic::index::{CallKey, Callee, param_borrows};
use crate::semantic::std_table::{Param, std_table};
use crate::semantic::ty::Ty;
use crate::syntax::paths::{path_is, strip_parens};
use crate::walk::FnCx;

/// The parameters of a call's callee, with the receiver of a method first.
#[derive(Debug, Clone)]
pub struct CalleeParams {
    /// The parameters.
    pub params: Vec<Param>,
    /// The callee is a method: argument `i` is parameter `i + 1`.
    pub method: bool,
}

impl CalleeParams {
    /// The parameter argument `arg` (by position among the call's arguments) is passed to.
    pub fn param_of_arg(&self, arg: usize) -> Option<&Param> {
        self.params.get(arg + usize::from(self.method))
    }
}

/// The callee of a call (`f(..)`, `Type::f(..)`, `recv.m(..)`), when certain.
pub fn callee(fx: &FnCx<'_, '_, '_>, call: &Expr) -> Option<CalleeParams> {
    match strip_parens(call) {
        Expr::MethodCall(m) => {
            let recv = type_of(fx, &m.receiver)?;
            let method = m.method.to_string();
            if let Ty::Adt(name) = recv.peel_refs() {
                let sig = fx.cx.items().method_sig(name, &method)?;
                // A method called with `.` has a receiver.
                sig.receiver()?;
                return Some(CalleeParams { params: file_params(fx, sig), method: true });
            }
            let (sig, _) = std_table().method_sig(&recv, &method)?;
            Some(CalleeParams { params: sig.params, method: true })
        }
        Expr::Call(c) => {
            let Expr::Path(p) = strip_parens(&c.func) else { return None };
            if p.qself.is_some() {
                return None;
            }
            let segments: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
            match segments[..] {
                [f] if p.path.leading_colon.is_none() => {
                    let name = f.ident.to_string();
                    if fx.facts.local_items.iter().any(|item| crate::syntax::shadowing::item_shadows(item, &name)) {
                        return None;
                    }
                    let sig = fx.cx.items().fn_sig(&name)?;
                    Some(CalleeParams { params: file_params(fx, sig), method: false })
                }
                [.., owner, f] => {
                    let (owner, name) = (owner.ident.to_string(), f.ident.to_string());
                    let qualified = segments.len() > 2 || p.path.leading_colon.is_some();
                    if !fx.shadows(&owner) && (!qualified || path_is(&p.path, &[&owner, &name])) {
                        if let Some(sig) = std_table().function(&owner, &name) {
                            return Some(CalleeParams { params: sig.params.clone(), method: false });
                        }
                    }
                    let owner = if owner == "Self" { fx.facts.self_type.clone()? } else { owner };
                    if segments.len() != 2 || !owner.starts_with(|c: char| c.is_ascii_uppercase()) {
                        return None;
                    }
                    // `Type::method(recv, ..)` passes the receiver as its first argument.
                    let sig = fx.cx.items().method_sig(&owner, &name)?;
                    Some(CalleeParams { params: file_params(fx, sig), method: false })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// For a call the file can't resolve that can only be of a function or
/// inherent method of another file of the crate: how it is called, and
/// the parameter its first argument is (1 for a method called with `.`).
pub fn crate_callee(fx: &FnCx<'_, '_, '_>, call: &Expr) -> Option<(Callee, usize)> {
    let imports = &fx.cx.items().imports;
    match strip_parens(call) {
        Expr::MethodCall(m) => {
            let method = m.method.to_string();
            let receiver = type_of(fx, &m.receiver)?.peel_refs().clone();
            if receiver.is_deferred() {
                return Some((Callee::Method { receiver, name: method }, 1));
            }
            let Ty::Adt(owner) = receiver else { return None };
            if fx.cx.items().method_sig(&owner, &method).is_some() || imports.may_be_foreign(&owner) {
                return None;
            }
            Some((Callee::Key(CallKey { owner: Some(owner), name: method }), 1))
        }
        Expr::Call(c) => {
            let Expr::Path(p) = strip_parens(&c.func) else { return None };
            if p.qself.is_some() || p.path.leading_colon.is_some() {
                return None;
            }
            let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            let key = match &segments[..] {
                [f] => {
                    let local = fx.facts.local_items.iter().any(|item| crate::syntax::shadowing::item_shadows(item, f));
                    if local || fx.cx.items().fn_sig(f).is_some() || imports.may_be_foreign(f) {
                        return None;
                    }
                    CallKey { owner: None, name: f.clone() }
                }
                [owner, f] if owner.starts_with(|c: char| c.is_ascii_uppercase()) => {
                    let owner = if owner == "Self" { fx.facts.self_type.clone()? } else { owner.clone() };
                    let std = !fx.shadows(&owner) && std_table().function(&owner, f).is_some();
                    if std || fx.cx.is_generic_param(&owner) || imports.may_be_foreign(&owner) {
                        return None;
                    }
                    if fx.cx.items().method_sig(&owner, f).is_some() {
                        return None;
                    }
                    CallKey { owner: Some(owner), name: f.clone() }
                }
                _ => return None,
            };
            Some((Callee::Key(key), 0))
        }
        _ => None,
    }
}

/// The parameters of a signature of the file, `self` first.
fn file_params(fx: &FnCx<'_, '_, '_>, sig: &syn::Signature) -> Vec<Param> {
    sig.inputs
        .iter()
        .enumerate()
        .map(|(i, input)| match input {
            FnArg::Receiver(r) => Param { ty: read_type(fx, &r.ty), borrows: None },
            FnArg::Typed(t) => {
                let generic = sig
                    .generics
                    .type_params()
                    .any(|p| matches!(&*t.ty, syn::Type::Path(tp) if tp.path.is_ident(&p.ident)));
                Param {
                    // The callee's type parameters are unknown here.
                    ty: if generic { Ty::Unknown } else { read_type(fx, &t.ty) },
                    borrows: param_borrows(sig, i, &t.ty, &|t| read_type(fx, t)),
                }
            }
        })
        .collect()
}
