//! `unbounded_channel` (pedantic): a channel without a bound
//! (`std::sync::mpsc::channel()`, tokio's `unbounded_channel()`,
//! `crossbeam_channel::unbounded()`, ..): a producer faster than its
//! consumer grows the queue without limit.

use syn::Expr;
use syn::spanned::Spanned;

use crate::diagnostic::Level;
use crate::rule::{Category, FixSafety, Hooks, RuleMeta};
use crate::syntax::paths::strip_parens;
use crate::walk::{Cx, Emitter, Rule};

pub(crate) struct UnboundedChannel;

/// The rule, as the registry lists it.
pub(crate) const RULE: &dyn Rule = &UnboundedChannel;

static META: RuleMeta = RuleMeta {
    name: "unbounded_channel",
    category: Category::Pedantic,
    default_level: Level::Allow,
    summary: "a channel without a bound, whose queue grows without limit when the producer is faster",
    docs: DOCS,
    in_tests: false,
    supersedes: &[],
    options: &[],
    fix: FixSafety::None,
    clippy: &[],
    confirmed_by: &[],
    fix_leaves_one: false,
    crate_wide: false,
};

const DOCS: &str = r#"## What it does
Finds the constructors of unbounded channels: `std::sync::mpsc::channel()`,
`tokio::sync::mpsc::unbounded_channel()`, `crossbeam_channel::unbounded()`
(also through `crossbeam::channel`), `flume::unbounded()`,
`async_channel::unbounded()` and `futures::channel::mpsc::unbounded()`,
called by their path or by a name the file imports from there.

## Why is this bad
An unbounded channel never makes a sender wait: when the producer is faster
than the consumer, every message waits in the queue, and the queue grows
(std's list channel allocates a block of 31 slots at a time) until memory
runs out, with no backpressure to slow the producer down. A bounded channel
makes the sender wait, or fail with `try_send`, once it holds that many
messages: memory stays bounded and the slow side sets the pace. A heap
profile shows the queue's blocks as allocations inside `send`.

## Example
```rust
use std::sync::mpsc;

fn spawn_logger() -> mpsc::Sender<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in rx {
            println!("{line}");
        }
    });
    tx
}
```

## Use instead
```rust
use std::sync::mpsc;

fn spawn_logger() -> mpsc::SyncSender<String> {
    let (tx, rx) = mpsc::sync_channel(1024);
    std::thread::spawn(move || {
        for line in rx {
            println!("{line}");
        }
    });
    tx
}
```

## Known limitations
Pedantic, off by default: whether the producer can outrun the consumer is
not in the code, and many unbounded channels carry a handful of messages.
A constructor re-exported or renamed by another crate is not recognised.
No automatic fix: the bound is a design decision (how many messages may
wait, and what a sender does when the queue is full).
"#;

/// The unbounded constructors, by full path, and the bounded one to use instead.
const UNBOUNDED: &[(&[&str], &str)] = &[
    (&["std", "sync", "mpsc", "channel"], "std::sync::mpsc::sync_channel(n)"),
    (&["tokio", "sync", "mpsc", "unbounded_channel"], "tokio::sync::mpsc::channel(n)"),
    (&["crossbeam_channel", "unbounded"], "crossbeam_channel::bounded(n)"),
    (&["crossbeam", "channel", "unbounded"], "crossbeam::channel::bounded(n)"),
    (&["flume", "unbounded"], "flume::bounded(n)"),
    (&["async_channel", "unbounded"], "async_channel::bounded(n)"),
    (&["futures", "channel", "mpsc", "unbounded"], "futures::channel::mpsc::channel(n)"),
];

impl Rule for UnboundedChannel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::EXPR
    }

    fn check_expr<'ast>(&self, cx: &Cx<'_, 'ast>, expr: &'ast Expr, out: &mut Emitter) {
        let Expr::Call(call) = expr else { return };
        if !call.args.is_empty() {
            return;
        }
        let Expr::Path(p) = strip_parens(&call.func) else { return };
        // Every call of the file comes here: the last name first, without allocating.
        let named = |last: &syn::PathSegment| ["channel", "unbounded_channel", "unbounded"].iter().any(|n| last.ident == n);
        let Some(last) = p.path.segments.last() else { return };
        // A renamed import (`use std::sync::mpsc::channel as make;`) too.
        let renamed = || p.path.segments.len() == 1 && cx.items().imports.path_of(&last.ident.to_string()).is_some();
        if p.qself.is_some() || !(named(last) || renamed()) {
            return;
        }
        let Some(path) = full_path(cx, &p.path) else { return };
        let Some((_, bounded)) = UNBOUNDED.iter().find(|(known, _)| known.iter().eq(path.iter())) else { return };
        let written = cx.text(&call.func);
        let mut d = cx.diagnostic(
            &META,
            call.func.span(),
            format!("`{written}()` makes an unbounded channel: a producer faster than its consumer grows the queue without limit"),
        );
        d.help = Some(format!(
            "use `{bounded}` with a bound `n`: a full queue makes the sender wait (or fail with `try_send`), so memory stays bounded"
        ));
        out.emit(d);
    }
}

/// The full path a called path names, through the file's imports
/// (`mpsc::channel` after `use std::sync::mpsc;`), when it starts at a
/// crate: `None` for a path through the crate's own modules, or a name
/// the file doesn't import (a local function, a glob's).
fn full_path(cx: &Cx<'_, '_>, path: &syn::Path) -> Option<Vec<String>> {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let (first, rest) = segments.split_first()?;
    if path.leading_colon.is_some() {
        return Some(segments);
    }
    let imports = &cx.items().imports;
    if let Some(imported) = imports.path_of(first) {
        if imports.origin(first) != Some(crate::syntax::uses::Origin::Outside) {
            return None;
        }
        return Some(imported.iter().chain(rest).cloned().collect());
    }
    // A path that starts at a crate the file doesn't import by name
    // (`std::sync::mpsc::channel`), not at one of its own modules or items.
    let local = imports.starts_in_crate(first) || cx.shadows(first);
    (!rest.is_empty() && !local).then_some(segments)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_clean};

    const RULE: &str = "unbounded_channel";

    #[test]
    fn unbounded_constructors_by_path_or_import() {
        let found = check(
            RULE,
            r#"
use std::sync::mpsc;
use std::sync::mpsc::channel as make;
use crossbeam_channel::unbounded;
fn f() {
    let (a, b) = mpsc::channel::<u32>(); //~
    let (c, d) = std::sync::mpsc::channel::<String>(); //~
    let (e, g) = make::<u8>(); //~
    let (h, i) = unbounded::<u8>(); //~
    let (j, k) = tokio::sync::mpsc::unbounded_channel::<u8>(); //~
    let (l, m) = flume::unbounded::<u8>(); //~
}
"#,
        );
        assert_eq!(
            found[0].message,
            "`mpsc::channel::<u32>()` makes an unbounded channel: a producer faster than its consumer grows the queue without limit"
        );
        assert!(found[0].help.as_deref().unwrap().starts_with("use `std::sync::mpsc::sync_channel(n)`"));
        assert!(found[3].help.as_deref().unwrap().starts_with("use `crossbeam_channel::bounded(n)`"));
    }

    #[test]
    fn bounded_channels_and_other_functions_named_alike() {
        check_clean(
            RULE,
            r#"
use std::sync::mpsc;
mod local { pub fn channel() {} pub fn unbounded() {} }
use local::unbounded;
fn channel() -> (u8, u8) { (0, 0) }
fn f() {
    let (a, b) = mpsc::sync_channel::<u32>(8);
    let (c, d) = tokio::sync::mpsc::channel::<u8>(8);
    let (e, g) = crossbeam_channel::bounded::<u8>(8);
    let x = channel();
    unbounded();
    local::channel();
    crate::channel();
    let (h, i) = flume::bounded::<u8>(1);
}
"#,
        );
    }
}
