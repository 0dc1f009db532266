//! Joins heap profiles with static findings: every program point's first
//! workspace frame (then its callers) is matched against the findings' spans
//! by file and line, preferring findings whose rule explains the reason the
//! stack allocated.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lint_core::{Diagnostic, Span};

use crate::called;
use crate::crates::{CallingLine, CrateShare, CrateTally};
use crate::frame::Frame;
use crate::profile::{Profile, ProgramPoint};
use crate::reason::{Reason, explained_by};
use crate::workspace::{Origin, Workspace};

/// How many callers of the first workspace frame are tried ("via callee").
const MAX_CALLERS: usize = 16;
/// How many workspace frames a reported stack keeps.
const STACK_FRAMES: usize = 6;

/// A static finding as the join sees it.
#[derive(Debug, Clone)]
pub struct FindingRef {
    /// The rule's name.
    pub rule: String,
    /// The file, absolute.
    pub file: PathBuf,
    /// The primary span and the labels' spans.
    pub spans: Vec<Span>,
}

impl FindingRef {
    /// A diagnostic whose `file` is relative to `root` (or absolute).
    pub fn of(d: &Diagnostic, root: &Path) -> FindingRef {
        let spans = std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span)).collect();
        FindingRef { rule: d.rule.to_string(), file: root.join(&d.file), spans }
    }
}

/// How an allocation stack was matched to a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    /// The first workspace frame is on a line of the finding.
    Exact,
    /// A caller of the first workspace frame is on a line of the finding.
    ViaCallee,
    /// The finding is elsewhere in the function of the first workspace frame.
    EnclosingFn,
}

impl MatchKind {
    /// `exact`, `via callee`, `enclosing function`.
    pub fn name(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::ViaCallee => "via callee",
            MatchKind::EnclosingFn => "enclosing function",
        }
    }
}

/// One frame of a reported stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackLine {
    /// The function as the profile names it.
    pub function: String,
    /// Workspace-relative path for workspace frames, else the profile's path ("" when unknown).
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// Whether the frame is workspace code.
    pub workspace: bool,
    /// Whether the frame shows the allocation's reason (the call the
    /// workspace line made, or the dependency function it called).
    pub reason: bool,
    /// The crate of a frame outside the workspace (`std`, `ignore`), when known.
    pub krate: Option<String>,
}

/// What a profile shows about one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Bytes allocated by the matched stacks.
    pub bytes: u64,
    /// Blocks allocated by the matched stacks.
    pub blocks: u64,
    /// The reason of the matched stack with the most blocks.
    pub reason: Reason,
    /// The closest match among the matched stacks.
    pub how: MatchKind,
    /// The matched stack with the most blocks, trimmed.
    pub stack: Vec<StackLine>,
}

/// An allocation site in workspace code that no finding explains.
#[derive(Debug, Clone, PartialEq)]
pub struct Hotspot {
    /// Workspace-relative file.
    pub file: String,
    /// Line of the first workspace frame.
    pub line: u32,
    /// The enclosing function.
    pub function: String,
    /// Why it allocates.
    pub reason: Reason,
    /// The library function that shows the reason (`from_elem`, `push`).
    pub detail: String,
    /// Bytes allocated.
    pub bytes: u64,
    /// Blocks allocated.
    pub blocks: u64,
    /// The stack with the most blocks, trimmed.
    pub stack: Vec<StackLine>,
}

/// Allocations grouped by (function, reason, file): line numbers are left
/// out so that edits which shift lines do not look like changes in a diff.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Site {
    /// The enclosing workspace function, or for allocations outside the
    /// workspace the innermost library function.
    pub function: String,
    /// Why it allocates.
    pub reason: Reason,
    /// Workspace-relative file; empty outside the workspace.
    pub file: String,
    /// Bytes allocated.
    pub bytes: u64,
    /// Blocks allocated.
    pub blocks: u64,
}

/// Totals over every profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Profiles joined.
    pub profiles: usize,
    /// Bytes allocated.
    pub bytes: u64,
    /// Blocks allocated.
    pub blocks: u64,
    /// Bytes live when the heap was at its largest (the sum over profiles
    /// of each one's peak).
    pub peak_bytes: u64,
    /// Blocks whose stack passed through Rust's allocator
    /// ([`crate::workspace::is_rust_allocator`]). Zero in a valgrind
    /// profile with blocks means the program's global allocator doesn't
    /// call `malloc` (jemalloc, mimalloc) and valgrind saw none of Rust's
    /// allocations.
    pub rust_allocator_blocks: u64,
    /// Bytes of stacks without any workspace frame.
    pub outside_bytes: u64,
    /// Blocks of stacks without any workspace frame.
    pub outside_blocks: u64,
    /// Of those, bytes of stacks that look cut short (no program or thread entry at their base).
    pub truncated_bytes: u64,
    /// Of those, blocks of stacks that look cut short.
    pub truncated_blocks: u64,
    /// Bytes memlint's runtime allocated for its own bookkeeping (a frame of
    /// it between the allocator and the first workspace frame: the first
    /// call of a `#[memtrack]` function, budget messages, reports); never
    /// blamed on the workspace frame below.
    pub memlint_bytes: u64,
    /// Blocks of those.
    pub memlint_blocks: u64,
    /// Bytes of stacks with no frame of Rust code with a file and line: a
    /// binary without line tables (stripped, or built without debug info).
    pub unlocated_bytes: u64,
    /// Blocks of those.
    pub unlocated_blocks: u64,
}

/// The result of [`join()`].
#[derive(Debug, Clone, Default)]
pub struct Join {
    /// Evidence per finding, in the order of the findings given (`None`: not exercised).
    pub evidence: Vec<Option<Evidence>>,
    /// Unexplained workspace allocation sites, most blocks first.
    pub hotspots: Vec<Hotspot>,
    /// Every allocation by site, for diffs; sorted by key.
    pub sites: Vec<Site>,
    /// Totals.
    pub totals: Totals,
    /// Allocations of stacks without a workspace frame, by the crate that
    /// made them ([`crate::crates::outside_crate`]), most blocks first.
    pub outside_crates: Vec<CrateShare>,
    /// Allocations made inside dependencies that workspace lines called
    /// (the hot spots and evidence of reason [`Reason::Dependency`]), by
    /// the called crate, each with the lines that called it.
    pub dependency_calls: Vec<CrateShare>,
}

/// Findings indexed by file and line.
struct Index<'f> {
    findings: &'f [FindingRef],
    by_line: HashMap<(usize, u32), Vec<usize>>,
    by_file: HashMap<usize, Vec<usize>>,
}

impl<'f> Index<'f> {
    fn new(findings: &'f [FindingRef], ws: &Workspace) -> Self {
        let mut by_line: HashMap<(usize, u32), Vec<usize>> = HashMap::new();
        let mut by_file: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            let Some(file) = ws.file_index(&f.file) else { continue };
            by_file.entry(file).or_default().push(i);
            for span in &f.spans {
                // A long span (a whole struct) counts at its first line only.
                let last = if span.end_line - span.line > 50 { span.line } else { span.end_line };
                for line in span.line..=last {
                    let at = by_line.entry((file, line)).or_default();
                    if at.last() != Some(&i) {
                        at.push(i);
                    }
                }
            }
        }
        Index { findings, by_line, by_file }
    }

    /// The finding on `line` that best explains `reason`.
    fn on_line(&self, file: usize, line: u32, column: Option<u32>, reason: Reason) -> Option<usize> {
        let candidates = self.by_line.get(&(file, line))?;
        let explaining: Vec<usize> = if reason == Reason::Other {
            // The stack's reason is unknown: only an unambiguous allocation finding.
            let allocating: Vec<usize> =
                candidates.iter().copied().filter(|&i| !explained_by(&self.findings[i].rule).is_empty()).collect();
            if allocating.len() == 1 { allocating } else { Vec::new() }
        } else {
            candidates.iter().copied().filter(|&i| explained_by(&self.findings[i].rule).contains(&reason)).collect()
        };
        let covers_column = |&i: &usize| {
            column.is_some_and(|c| {
                self.findings[i]
                    .spans
                    .iter()
                    .any(|s| s.line == line && s.end_line == line && s.column <= c && c < s.end_column)
            })
        };
        explaining.iter().copied().find(covers_column).or_else(|| explaining.first().copied())
    }

    /// The finding nearest to `line` that explains `reason`, of the
    /// function spanning `line`, whose spans lie on both sides of `line`
    /// (a `Vec::new()` above it, a `push` below it): the line tables placed
    /// the allocation inside the finding's code, off its exact lines. A
    /// finding wholly above or below is another binding's: in just,
    /// `evaluated.push` ran six lines above the `handles` vector's finding,
    /// whose code never ran.
    fn in_function(&self, ws: &Workspace, file: usize, line: u32, reason: Reason) -> Option<usize> {
        if reason == Reason::Other {
            return None;
        }
        let function = ws.enclosing_fn(file, line)?;
        self.by_file
            .get(&file)?
            .iter()
            .copied()
            .filter(|&i| explained_by(&self.findings[i].rule).contains(&reason))
            .filter_map(|i| {
                let lines: Vec<u32> = self.findings[i]
                    .spans
                    .iter()
                    .filter(|s| function.start <= s.line && s.line <= function.end)
                    .map(|s| s.line)
                    .collect();
                let (&first, &last) = (lines.iter().min()?, lines.iter().max()?);
                (first <= line && line <= last).then(|| (lines.iter().map(|l| l.abs_diff(line)).min(), i))
            })
            .min()
            .map(|(_, i)| i)
    }
}

/// Program and thread entry points: a stack that ends elsewhere was cut short.
const STACK_ROOTS: [&str; 13] = [
    "main",
    // valgrind's name for libc's start code, and exit handlers (atexit, TLS destructors).
    "(below main)",
    "exit",
    "lang_start",
    "lang_start_internal",
    "__rust_begin_short_backtrace",
    "_start",
    "__libc_start_main",
    "__libc_start_call_main",
    "start_thread",
    "clone",
    "clone3",
    "thread_start",
];

/// Matches every program point of `profiles` with `findings`.
pub fn join(profiles: &[Profile], findings: &[FindingRef], ws: &Workspace) -> Join {
    let index = Index::new(findings, ws);
    let mut out = Join { evidence: vec![None; findings.len()], ..Join::default() };
    let mut hotspots: BTreeMap<(usize, u32, Reason), Hotspot> = BTreeMap::new();
    let mut details: HashMap<(usize, u32, Reason), BTreeMap<String, DetailTally>> = HashMap::new();
    let mut sites: BTreeMap<(String, Reason, Option<usize>), (u64, u64)> = BTreeMap::new();
    let mut best_blocks = vec![0u64; findings.len()];
    let mut outside = CrateTally::default();
    let mut dependency_calls = CrateTally::default();
    for profile in profiles {
        out.totals.profiles += 1;
        let origins: Vec<Origin> = profile.frames.iter().map(|f| ws.origin(f)).collect();
        let rust_allocator: Vec<bool> = profile.frames.iter().map(crate::workspace::is_rust_allocator).collect();
        for point in &profile.points {
            out.totals.bytes += point.bytes;
            out.totals.blocks += point.blocks;
            out.totals.peak_bytes += point.peak_bytes;
            if point.frames.iter().any(|&f| rust_allocator[f]) {
                out.totals.rust_allocator_blocks += point.blocks;
            }
            // C frames may have lines (libc's debug info) where Rust's have none.
            let rust_line = |f: &Frame| f.source().is_some_and(|(file, ..)| file.ends_with(".rs"));
            if !point.frames.iter().any(|&f| rust_line(&profile.frames[f])) {
                out.totals.unlocated_bytes += point.bytes;
                out.totals.unlocated_blocks += point.blocks;
            }
            let walked = workspace_frames(point, &origins);
            if is_memlint_bookkeeping(point, &origins, walked.first().map(|w| w.0)) {
                out.totals.memlint_bytes += point.bytes;
                out.totals.memlint_blocks += point.blocks;
                let key = (outside_site_name(profile, point), crate::reason::of(&frames_of(profile, point)).0, None);
                let entry = sites.entry(key).or_default();
                entry.0 += point.bytes;
                entry.1 += point.blocks;
                continue;
            }
            let Some(&(first, file, line, column)) = walked.first() else {
                out.totals.outside_bytes += point.bytes;
                out.totals.outside_blocks += point.blocks;
                let frames = frames_of(profile, point);
                outside.add(crate::crates::outside_crate(&frames), point, None);
                let base = point.frames.last().map(|&f| profile.frames[f].short_name());
                if !base.is_some_and(|name| STACK_ROOTS.contains(&name)) {
                    out.totals.truncated_bytes += point.bytes;
                    out.totals.truncated_blocks += point.blocks;
                }
                let (reason, _) = crate::reason::of(&frames);
                let key = (outside_site_name(profile, point), reason, None);
                let entry = sites.entry(key).or_default();
                entry.0 += point.bytes;
                entry.1 += point.blocks;
                continue;
            };
            let library: Vec<&Frame> = point.frames[..first].iter().map(|&f| &profile.frames[f]).collect();
            let library_origins: Vec<Origin> = point.frames[..first].iter().map(|&f| origins[f]).collect();
            let (reason, shown) = called::cause(&library, &library_origins);
            let function = ws
                .enclosing_fn(file, line)
                .map_or_else(|| profile.frames[point.frames[first]].short_name().to_string(), |f| f.name);
            let entry = sites.entry((function.clone(), reason, Some(file))).or_default();
            entry.0 += point.bytes;
            entry.1 += point.blocks;

            let matched = index.on_line(file, line, column, reason).map(|i| (i, MatchKind::Exact)).or_else(|| {
                walked[1..]
                    .iter()
                    .take(MAX_CALLERS)
                    .find_map(|&(_, f, l, c)| index.on_line(f, l, c, reason))
                    .map(|i| (i, MatchKind::ViaCallee))
                    .or_else(|| index.in_function(ws, file, line, reason).map(|i| (i, MatchKind::EnclosingFn)))
            });
            // The dependency function the line called, named once for both
            // the crate table and the hot spot's detail.
            let called_name = match (reason, shown) {
                (Reason::Dependency, Some(called)) => {
                    let name = called::dependency_name(library[called]);
                    let krate =
                        crate::crates::crate_of(library[called]).unwrap_or_else(|| crate::crates::UNKNOWN.to_owned());
                    dependency_calls.add(krate, point, Some(CallingLine::new(ws.relative(file), line, name.clone())));
                    Some(name)
                }
                _ => None,
            };
            let callees = called::allocator_end(&library, &library_origins)..first;
            let stack = || trimmed_stack(profile, point, ws, &walked, callees.clone(), shown);
            match matched {
                Some((i, how)) => {
                    let evidence = out.evidence[i].get_or_insert_with(|| Evidence {
                        bytes: 0,
                        blocks: 0,
                        reason,
                        how,
                        stack: Vec::new(),
                    });
                    evidence.bytes += point.bytes;
                    evidence.blocks += point.blocks;
                    evidence.how = evidence.how.min(how);
                    if point.blocks > best_blocks[i] || evidence.stack.is_empty() {
                        best_blocks[i] = point.blocks;
                        evidence.reason = reason;
                        evidence.stack = stack();
                    }
                }
                None => {
                    let detail = match (called_name, shown) {
                        (Some(name), _) => name,
                        (None, Some(i)) => library[i].display_name(),
                        (None, None) => "???".to_string(),
                    };
                    let spot = hotspots.entry((file, line, reason)).or_insert_with(|| Hotspot {
                        file: ws.relative(file).to_string(),
                        line,
                        function,
                        reason,
                        detail: String::new(),
                        bytes: 0,
                        blocks: 0,
                        stack: Vec::new(),
                    });
                    spot.bytes += point.bytes;
                    spot.blocks += point.blocks;
                    let tally = details.entry((file, line, reason)).or_default().entry(detail).or_default();
                    tally.blocks += point.blocks;
                    if tally.stack.is_empty() || point.blocks > tally.largest {
                        tally.largest = point.blocks;
                        tally.stack = stack();
                    }
                }
            }
        }
    }
    // A line of several calls of one reason (a derive calling clap's
    // `help`, `add`, `group`, ...) shows the one with the most blocks, and
    // its largest stack.
    for (key, spot) in &mut hotspots {
        let Some(calls) = details.remove(key) else { continue };
        if let Some((detail, tally)) = calls.into_iter().max_by(|a, b| a.1.blocks.cmp(&b.1.blocks).then(b.0.cmp(&a.0)))
        {
            spot.detail = detail;
            spot.stack = tally.stack;
        }
    }
    out.hotspots = hotspots.into_values().collect();
    out.hotspots.sort_by(|a, b| {
        b.blocks.cmp(&a.blocks).then(b.bytes.cmp(&a.bytes)).then(a.file.cmp(&b.file)).then(a.line.cmp(&b.line))
    });
    out.sites = sites
        .into_iter()
        .map(|((function, reason, file), (bytes, blocks))| {
            let file = file.map_or_else(String::new, |f| ws.relative(f).to_string());
            Site { function, reason, file, bytes, blocks }
        })
        .collect();
    out.sites.sort();
    out.outside_crates = outside.shares();
    out.dependency_calls = dependency_calls.shares();
    out
}

/// What one call (a hot spot's detail) allocated on a line, and the stack
/// of its largest program point.
#[derive(Default)]
struct DetailTally {
    blocks: u64,
    largest: u64,
    stack: Vec<StackLine>,
}

/// Every frame of a stack, innermost first.
fn frames_of<'p>(profile: &'p Profile, point: &ProgramPoint) -> Vec<&'p Frame> {
    point.frames.iter().map(|&f| &profile.frames[f]).collect()
}

/// The site name of a stack without a workspace frame to name it: its
/// innermost function that is not the allocator.
fn outside_site_name(profile: &Profile, point: &ProgramPoint) -> String {
    point
        .frames
        .iter()
        .map(|&f| &profile.frames[f])
        .find(|f| {
            !crate::workspace::is_shim(&f.function)
                && !crate::workspace::is_rust_allocator(f)
                && !crate::crates::is_profiler(f)
                && f.function != "???"
                && f.function != "[root]"
        })
        .map_or_else(|| "???".to_string(), Frame::display_name)
}

/// Whether memlint's runtime made the allocation for its own bookkeeping: a
/// frame of it calls into the allocation between the allocator (the last
/// shim frame) and the first workspace frame (`first`, a position in the
/// stack). The workspace frame below is only where `#[memtrack]` put its
/// guard (the attribute's line), not code that allocates.
fn is_memlint_bookkeeping(point: &ProgramPoint, origins: &[Origin], first: Option<usize>) -> bool {
    let library = &point.frames[..first.unwrap_or(point.frames.len())];
    let callers = library.iter().rposition(|&f| origins[f] == Origin::Shim).map_or(0, |shim| shim + 1);
    library[callers..].iter().any(|&f| origins[f] == Origin::Memlint)
}

/// A workspace frame of a stack: (position in the stack, file, line, column).
type WorkspaceFrame = (usize, usize, u32, Option<u32>);

/// The workspace frames of a stack, innermost first.
fn workspace_frames(point: &ProgramPoint, origins: &[Origin]) -> Vec<WorkspaceFrame> {
    point
        .frames
        .iter()
        .enumerate()
        .filter_map(|(pos, &f)| match origins[f] {
            Origin::Workspace { file, line, column } => Some((pos, file, line, column)),
            _ => None,
        })
        .collect()
}

/// The frames the first workspace frame called (`callees`: positions in
/// the stack, the allocator left out), innermost first, the one that shows
/// the reason marked; then the first workspace frames.
fn trimmed_stack(
    profile: &Profile,
    point: &ProgramPoint,
    ws: &Workspace,
    walked: &[WorkspaceFrame],
    callees: std::ops::Range<usize>,
    shown: Option<usize>,
) -> Vec<StackLine> {
    let mut lines = Vec::new();
    for at in callees {
        let frame = &profile.frames[point.frames[at]];
        let (file, line, column) = frame.source().map_or((String::new(), 0, None), |(f, l, c)| (f.to_string(), l, c));
        // valgrind's placeholder for an inlined frame it can't name (LTO):
        // the file and line say where the code is.
        let function = if frame.is_unnamed_inline() { "(inlined)".to_string() } else { frame.function.clone() };
        lines.push(StackLine {
            function,
            file,
            line,
            column,
            workspace: false,
            reason: shown == Some(at),
            krate: crate::crates::crate_of(frame),
        });
    }
    for &(pos, file, line, column) in walked.iter().take(STACK_FRAMES) {
        let frame = &profile.frames[point.frames[pos]];
        // Unnamed under LTO: the workspace's own source says which function it is.
        let function = if frame.is_unnamed_inline() {
            ws.enclosing_fn(file, line).map_or_else(|| "(inlined)".to_string(), |f| f.name)
        } else {
            frame.function.clone()
        };
        lines.push(StackLine {
            function,
            file: ws.relative(file).to_string(),
            line,
            column,
            workspace: true,
            reason: false,
            krate: None,
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tempdir::Dir;

    const SOURCE: &str = "fn build(n: u32) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&helper(i));
    }
    s
}

fn helper(i: u32) -> String {
    i.to_string()
}
";

    /// A profile from stacks written innermost first, frames separated by `;`.
    fn profile(stacks: &[(u64, u64, &str)]) -> Profile {
        let mut ftbl = vec!["\"[root]\"".to_string()];
        let mut pps = Vec::new();
        for (bytes, blocks, stack) in stacks {
            let mut fs = Vec::new();
            for frame in stack.split(';') {
                ftbl.push(serde_json::to_string(frame.trim()).unwrap());
                fs.push((ftbl.len() - 1).to_string());
            }
            pps.push(format!("{{\"tb\":{bytes},\"tbk\":{blocks},\"fs\":[{}]}}", fs.join(",")));
        }
        let text = format!(
            "{{\"dhatFileVersion\":2,\"mode\":\"rust-heap\",\"pps\":[{}],\"ftbl\":[{}]}}",
            pps.join(","),
            ftbl.join(",")
        );
        Profile::parse(std::path::Path::new("t.json"), text.as_bytes()).unwrap()
    }

    fn span(line: u32, column: u32, end_column: u32) -> Span {
        Span { line, column, end_line: line, end_column, start: 0, end: 0 }
    }

    fn setup() -> (Dir, Workspace) {
        let dir = Dir::new("join");
        let file = dir.write("app/src/lib.rs", SOURCE);
        let ws = Workspace::new(dir.path(), [file]);
        (dir, ws)
    }

    fn finding(dir: &Dir, rule: &str, spans: Vec<Span>) -> FindingRef {
        FindingRef { rule: rule.to_string(), file: dir.path().join("app/src/lib.rs"), spans }
    }

    #[test]
    fn the_reason_picks_among_findings_on_one_line_and_callers_are_tried() {
        let (dir, ws) = setup();
        let findings = vec![
            finding(&dir, "string_push_without_capacity", vec![span(2, 17, 30), span(4, 9, 29)]),
            finding(&dir, "format_push_string", vec![span(4, 9, 29)]),
        ];
        let p = profile(&[
            // s.push_str grows the String: string_push_without_capacity, not format_push_string.
            (56, 3, "push_str (alloc/src/string.rs:1102:18); build (app/src/lib.rs:4:11); main (app/src/main.rs:1:1)"),
            // helper's to_string: no finding in helper; its caller's line has format_push_string.
            (
                80,
                10,
                "to_string (alloc/src/string.rs:2750:9); helper (app/src/lib.rs:10:7); build (app/src/lib.rs:4:23); main (x.rs:1)",
            ),
        ]);
        let join = join(&[p], &findings, &ws);
        let got: Vec<_> = join.evidence.iter().map(|e| e.as_ref().map(|e| (e.blocks, e.reason, e.how))).collect();
        assert_eq!(
            got,
            [Some((3, Reason::StringGrowth, MatchKind::Exact)), Some((10, Reason::ToString, MatchKind::ViaCallee))]
        );
        assert!(join.hotspots.is_empty());
        assert_eq!(join.totals.truncated_blocks, 0);
    }

    #[test]
    fn a_finding_around_the_line_matches_last_and_unexplained_sites_are_hot() {
        let (dir, ws) = setup();
        let findings = vec![finding(&dir, "string_push_without_capacity", vec![span(2, 17, 30), span(4, 9, 29)])];
        let p = profile(&[
            // Growth on line 3 (between the finding's lines): the enclosing function's finding.
            (16, 1, "push_str (alloc/src/string.rs:1102:18); build (app/src/lib.rs:3:5); main (m.rs:1)"),
            // Growth on line 6, below the finding's lines: another String's, a hot spot.
            (4, 1, "push_str (alloc/src/string.rs:1102:18); build (app/src/lib.rs:6:5); main (m.rs:1)"),
            // to_string in helper: nothing explains it.
            (80, 10, "to_string (alloc/src/string.rs:2750:9); helper (app/src/lib.rs:10:7); main (m.rs:1)"),
            // No workspace frame and no root: cut short.
            (8, 2, "malloc (in libc.so); grow_one (src/raw_vec/mod.rs:1:1); push (src/vec/mod.rs:9:1)"),
        ]);
        let join = join(&[p], &findings, &ws);
        let e = join.evidence[0].as_ref().unwrap();
        assert_eq!((e.blocks, e.how), (1, MatchKind::EnclosingFn));
        let spots: Vec<_> =
            join.hotspots.iter().map(|h| (h.function.as_str(), h.line, h.reason, h.detail.as_str())).collect();
        assert_eq!(
            spots,
            [("helper", 10, Reason::ToString, "to_string"), ("build", 6, Reason::StringGrowth, "push_str")]
        );
        assert_eq!((join.totals.outside_blocks, join.totals.truncated_blocks), (2, 2));
        assert_eq!(join.totals.blocks, 14);
        // Outside the workspace, by crate: dhat-rs's `src/raw_vec/mod.rs`
        // names none.
        let outside: Vec<(&str, u64, u64)> =
            join.outside_crates.iter().map(|c| (c.name.as_str(), c.amount.bytes, c.amount.blocks)).collect();
        assert_eq!(outside, [("(unknown)", 8, 2)]);
    }

    /// hyperfine under LTO: valgrind names inlined std frames
    /// `UnknownInlinedFun`; the reason's detail and the stack say where the
    /// code is instead, and the placeholder is never shown.
    #[test]
    fn unnamed_inlined_frames_are_shown_by_their_place() {
        let (dir, ws) = setup();
        let lib = dir.path().join("app/src/lib.rs");
        let stack = format!(
            "malloc (in /lib/vgpreload.so); UnknownInlinedFun (/rustc/h/library/std/src/sys/process/env.rs:120); build (app/src/lib.rs:6:5); UnknownInlinedFun ({}:4); main (m.rs:1)",
            lib.display()
        );
        let p = profile(&[(4096, 82, &stack)]);
        let join = join(&[p], &[], &ws);
        let h = &join.hotspots[0];
        assert_eq!((h.reason, h.detail.as_str()), (Reason::Other, "inlined code at std/src/sys/process/env.rs:120"));
        assert_eq!(h.stack[0].function, "(inlined)");
        // A workspace frame valgrind couldn't name is named by its source.
        assert_eq!(h.stack[2].function, "build");
        assert!(join.sites.iter().all(|s| !s.function.contains("UnknownInlinedFun")));
    }

    /// clap's derive on one line calls `help` 49 times and `group` once; the
    /// line's detail is the call with the most blocks, not the stack that
    /// happened to be largest or first.
    #[test]
    fn a_line_of_several_calls_shows_the_one_with_most_blocks() {
        let (_dir, ws) = setup();
        let dep = |f: &str| {
            format!("clap_builder::builder::{f} (/root/.cargo/registry/src/i/clap_builder-4.5.0/src/builder/arg.rs:9)")
        };
        let group = format!(
            "malloc (in /lib/vgpreload.so); {}; build (app/src/lib.rs:4:11); main (m.rs:1)",
            dep("Command::group")
        );
        let help =
            format!("malloc (in /lib/vgpreload.so); {}; build (app/src/lib.rs:4:11); main (m.rs:1)", dep("Arg::help"));
        let help_too = help.replace("main (m.rs:1)", "main (m.rs:2)");
        let p = profile(&[(900, 3, &group), (100, 2, &help), (100, 2, &help_too)]);
        let join = join(&[p], &[], &ws);
        let h = &join.hotspots[0];
        assert_eq!(
            (h.reason, h.detail.as_str(), h.blocks),
            (Reason::Dependency, "clap_builder::builder::Arg::help", 7)
        );
        assert!(h.stack.iter().any(|f| f.function.ends_with("Arg::help")), "{:?}", h.stack);
    }

    /// A stripped binary: no frame has a file and line, so no stack can be
    /// placed; the totals say how much of the profile that is.
    #[test]
    fn stacks_without_any_line_are_counted() {
        let (_dir, ws) = setup();
        let p = profile(&[
            (64, 4, "malloc (in /lib/vgpreload.so); ??? (in /target/release/app); ??? (in /target/release/app)"),
            (32, 1, "malloc (in /lib/vgpreload.so); ???; (below main) (csu/libc_start_call_main.h:58)"),
            (16, 1, "push_str (alloc/src/string.rs:1102:18); build (app/src/lib.rs:6:5); main (m.rs:1)"),
        ]);
        let join = join(&[p], &[], &ws);
        assert_eq!((join.totals.unlocated_blocks, join.totals.unlocated_bytes), (5, 96));
        assert_eq!(join.totals.blocks, 6);
    }

    #[test]
    fn an_unknown_reason_matches_only_an_unambiguous_finding() {
        let (dir, ws) = setup();
        let one = vec![finding(&dir, "needless_box", vec![span(10, 5, 18)])];
        let two = vec![
            finding(&dir, "needless_box", vec![span(10, 5, 18)]),
            finding(&dir, "redundant_clone", vec![span(10, 5, 18)]),
        ];
        let stack = "weird_alloc (some/lib.rs:1:1); helper (app/src/lib.rs:10:7); main (m.rs:1)";
        assert!(join(&[profile(&[(8, 1, stack)])], &one, &ws).evidence[0].is_some());
        assert!(join(&[profile(&[(8, 1, stack)])], &two, &ws).evidence.iter().all(Option::is_none));
    }

    #[test]
    fn memlints_bookkeeping_is_not_blamed_on_the_tracked_function() {
        let (_dir, ws) = setup();
        // As valgrind records them for a `#[memtrack] fn build` (line 1 is
        // its attribute's line here): the first call reads the environment,
        // and a call over budget formats its message.
        let first_call = "malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so); \
            alloc<std::alloc::System> (/src/memlint/memlint/src/alloc.rs:42); \
            __rustc::__rust_alloc (app/src/lib.rs:1:1); \
            to_vec<u8> (/rustc/abc/library/alloc/src/slice.rs:376); \
            std::env::_var_os (/rustc/abc/library/std/src/env.rs:264); \
            {closure#0} (/src/memlint/memlint/src/report.rs:153); \
            memlint::site::Site::register (/src/memlint/memlint/src/site.rs:67); \
            enter (/src/memlint/memlint/src/site.rs:119); \
            build (app/src/lib.rs:1:1); main (app/src/main.rs:1:1)";
        let over_budget = "malloc (in libc.so); __rust_alloc (???:0); \
            format (alloc/src/fmt.rs:639:5); \
            memlint::budget::check (memlint-0.1.0/src/budget.rs:71:19); \
            <memlint::site::Guard as core::ops::drop::Drop>::drop (memlint-0.1.0/src/site.rs:130:13); \
            drop_in_place<memlint::site::Guard> (/rustc/abc/library/core/src/ptr/mod.rs:804); \
            helper (app/src/lib.rs:11:1); main (app/src/main.rs:1:1)";
        // The user's own allocation passes through memlint's counting
        // allocator, which is the allocator, not bookkeeping.
        let users = "malloc (in libc.so); alloc<std::alloc::System> (memlint/src/alloc.rs:42:9); \
            __rustc::__rust_alloc (app/src/lib.rs:1:1); push_str (alloc/src/string.rs:1102:18); \
            build (app/src/lib.rs:4:11); main (app/src/main.rs:1:1)";
        let p = profile(&[(91, 1, first_call), (345, 4, over_budget), (56, 3, users)]);
        let join = join(&[p], &[], &ws);
        let spots: Vec<_> = join.hotspots.iter().map(|h| (h.function.as_str(), h.line, h.blocks)).collect();
        assert_eq!(spots, [("build", 4, 3)], "only the user's allocation is a hot spot");
        assert_eq!((join.totals.memlint_blocks, join.totals.memlint_bytes), (5, 436));
        assert_eq!((join.totals.outside_blocks, join.totals.truncated_blocks), (0, 0));
        let workspace_sites: Vec<_> =
            join.sites.iter().filter(|s| !s.file.is_empty()).map(|s| (s.function.as_str(), s.blocks)).collect();
        assert_eq!(workspace_sites, [("build", 3)]);
    }
}
