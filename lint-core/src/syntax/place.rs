//! Places: expressions that name a storage location (`s`, `self.buf`, `*out`).

use syn::{Expr, Member};

use super::paths::strip_parens;

/// A place rooted at a binding: `root.field.field`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The binding the place starts at (`self` included).
    pub root: syn::Ident,
    /// Field names or tuple indices, outermost last.
    pub fields: Vec<String>,
}

impl Place {
    /// Reads `expr` as a place, looking through `*`, `&`, `&mut` and parentheses.
    pub fn of(expr: &Expr) -> Option<Place> {
        match strip_parens(expr) {
            Expr::Path(_) => {
                let root = super::paths::as_ident(expr)?.clone();
                Some(Place { root, fields: Vec::new() })
            }
            Expr::Field(f) => {
                let mut place = Place::of(&f.base)?;
                place.fields.push(match &f.member {
                    Member::Named(name) => name.to_string(),
                    Member::Unnamed(index) => index.index.to_string(),
                });
                Some(place)
            }
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => Place::of(&u.expr),
            Expr::Reference(r) => Place::of(&r.expr),
            _ => None,
        }
    }

    /// Like [`Place::of`], also looking through the no-argument views of a
    /// string (`s.as_str()`, `s.as_ref()`, `s.borrow()`, `s.deref()`).
    pub fn of_view(expr: &Expr) -> Option<Place> {
        match strip_parens(expr) {
            Expr::MethodCall(m)
                if m.args.is_empty()
                    && ["as_str", "as_ref", "borrow", "deref", "as_slice"].iter().any(|n| m.method == n) =>
            {
                Place::of_view(&m.receiver)
            }
            _ => Place::of(expr),
        }
    }

    /// The place as code: `self.buf`.
    pub fn text(&self) -> String {
        let mut text = self.root.to_string();
        for field in &self.fields {
            text.push('.');
            text.push_str(field);
        }
        text
    }
}
