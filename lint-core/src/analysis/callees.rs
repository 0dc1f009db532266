//! What a call's callee declares about its parameters, when the callee is
//! certain: a function of the std table, or a function or inherent method
//! defined in the file, called through a receiver or path whose type or
//! owner the code states. Rules ask it whether a parameter only borrows
//! what it is given (`P: AsRef<Path>`, `&str`) or needs the owned form
//! (`&String`).

use syn::{Expr, FnArg};

use super::types::{PathCallee, path_callee, read_type, type_of};
use crate::semantic::crate_index::Callee;
use crate::semantic::index::{CallKey, param_borrows};
use crate::semantic::std_table::{Param, std_table};
use crate::semantic::ty::Ty;
use crate::syntax::paths::strip_parens;
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
        Expr::Call(c) => match path_callee(fx, c)? {
            PathCallee::Std(sig) => Some(CalleeParams { params: sig.params.clone(), method: false }),
            // `Type::method(recv, ..)` passes the receiver as its first argument.
            PathCallee::File(sig, _) => Some(CalleeParams { params: file_params(fx, sig), method: false }),
            PathCallee::Crate(_) => None,
        },
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
            Some((Callee::Key(CallKey::method(owner, method)), 1))
        }
        Expr::Call(c) => match path_callee(fx, c)? {
            PathCallee::Crate(key) => Some((Callee::Key(key), 0)),
            _ => None,
        },
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
