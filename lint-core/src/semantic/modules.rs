//! Module paths: where a path written in a module leads, from the crate's
//! root (`[]`) down (`["a", "b"]` for `crate::a::b`).

/// The module (or item) `path` names when written in the module `from`:
/// `crate::a` from the root, `self::a` and `super::a` from `from`; a path
/// starting with another name is relative to `from` (2018 paths: a child
/// module). `None` when it climbs above the root, needs `from` unknown,
/// or leads into another crate (`::other::f`, [`crate::semantic::ty::CallKey::other_crate`]).
pub fn absolute(path: &[String], from: Option<&[String]>) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    if first == "crate" {
        return Some(rest.to_vec());
    }
    if first.starts_with("::") {
        return None;
    }
    let mut at = from?.to_vec();
    let mut rest = path;
    if first == "self" {
        rest = &path[1..];
    }
    while let Some((head, tail)) = rest.split_first() {
        if head != "super" {
            break;
        }
        at.pop()?;
        rest = tail;
    }
    at.extend(rest.iter().cloned());
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::absolute;

    fn path(s: &str) -> Vec<String> {
        s.split("::").filter(|p| !p.is_empty()).map(str::to_owned).collect()
    }

    #[test]
    fn paths_lead_from_the_module_they_are_written_in() {
        let from = path("a::b");
        let cases = [
            ("crate::x::f", Some("x::f")),
            ("self::f", Some("a::b::f")),
            ("super::f", Some("a::f")),
            ("super::super::f", Some("f")),
            ("super::super::super::f", None),
            ("c::f", Some("a::b::c::f")),
        ];
        for (written, expected) in cases {
            assert_eq!(absolute(&path(written), Some(&from)), expected.map(path), "{written}");
        }
        assert_eq!(absolute(&path("crate::f"), None), Some(path("f")));
        assert_eq!(absolute(&path("super::f"), None), None);
        assert_eq!(absolute(&["::shapes".to_owned(), "f".to_owned()], Some(&from)), None);
    }
}
