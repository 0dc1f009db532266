//! Budgets: what a tracked function may allocate, and what happens when a
//! call goes over.

use std::sync::atomic::{AtomicU8, Ordering};

use crate::counters::Counts;
use crate::site::Site;

/// The budgets of a tracked function (`#[memtrack(max_allocs = 0)]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Budget {
    /// Allocations one call may make (`max_allocs`, `max_allocs_per_call`).
    pub max_allocs_per_call: Option<u64>,
    /// Bytes one call may allocate (`max_bytes`, `max_bytes_per_call`).
    pub max_bytes_per_call: Option<u64>,
    /// Live bytes one call may add at its peak (`max_peak_bytes`).
    pub max_peak_bytes: Option<u64>,
    /// Allocations of all calls of the process (`max_allocs_total`).
    pub max_allocs_total: Option<u64>,
    /// Bytes of all calls of the process (`max_bytes_total`).
    pub max_bytes_total: Option<u64>,
}

/// What a call over budget does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetAction {
    /// Panic with a message naming the function, the budget and the
    /// measured value (the default: tests fail, `#[should_panic]` works).
    Panic,
    /// Print the message to standard error and count a violation in the
    /// report; the program goes on.
    Report,
}

/// 0: not decided yet (read `MEMLINT_BUDGET` on first use), 1: panic, 2: report.
static ACTION: AtomicU8 = AtomicU8::new(0);

/// Sets what a call over budget does, for the whole process (overrides the
/// `MEMLINT_BUDGET` environment variable, `panic` or `report`).
pub fn set_budget_action(action: BudgetAction) {
    ACTION.store(action as u8 + 1, Ordering::Relaxed);
}

/// What a call over budget does now.
pub fn budget_action() -> BudgetAction {
    match ACTION.load(Ordering::Relaxed) {
        0 => {
            let from_env = crate::counters::uncounted(|| std::env::var("MEMLINT_BUDGET"));
            let action = if from_env.as_deref() == Ok("report") { BudgetAction::Report } else { BudgetAction::Panic };
            // A concurrent `set_budget_action` wins over the environment.
            let _ = ACTION.compare_exchange(0, action as u8 + 1, Ordering::Relaxed, Ordering::Relaxed);
            budget_action()
        }
        2 => BudgetAction::Report,
        _ => BudgetAction::Panic,
    }
}

/// Checks one call (and the totals after it) against `site`'s budgets.
pub(crate) fn check(site: &Site, call: &Counts, calls: u64, allocs: u64, bytes: u64) {
    let b = &site.info.budget;
    // Checked on every call: nothing here may allocate unless a budget is broken.
    let budgets = [
        (b.max_allocs_per_call, call.allocs, "max_allocs", "allocation", "in one call", false),
        (b.max_bytes_per_call, call.bytes, "max_bytes", "byte", "allocated in one call", false),
        (b.max_peak_bytes, call.peak_bytes, "max_peak_bytes", "byte", "live at the peak of one call", false),
        (b.max_allocs_total, allocs, "max_allocs_total", "allocation", "in", true),
        (b.max_bytes_total, bytes, "max_bytes_total", "byte", "allocated in", true),
    ];
    let over = budgets.into_iter().find(|(limit, value, ..)| limit.is_some_and(|limit| *value > limit));
    let Some((Some(limit), value, name, unit, what, total)) = over else { return };
    site.violations.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let what = if total { format!("{what} {calls} calls") } else { what.to_owned() };
    let info = &site.info;
    let unit = if value == 1 { unit.to_owned() } else { format!("{unit}s") };
    let message = format!(
        "memlint: `{}` ({}:{}) went over its budget `{name} = {limit}`: {value} {unit} {what}",
        qualified(info.module_path, info.name),
        info.file,
        info.line
    );
    if std::thread::panicking() {
        // Already unwinding: a second panic would abort. The violation is counted.
        return;
    }
    match budget_action() {
        BudgetAction::Panic => panic!("{message}"),
        BudgetAction::Report => eprintln!("{message}"),
    }
}

/// `module::name`.
pub(crate) fn qualified(module_path: &str, name: &str) -> String {
    format!("{module_path}::{name}")
}
