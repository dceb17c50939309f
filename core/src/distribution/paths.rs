//! Archive member names that would write outside the extraction directory
//! (or that mean different things on different systems), and symlink
//! targets that leave a directory.

/// Why `name` is not a safe member name, or `None`. A trailing `/` (a
/// directory entry) is fine.
pub(crate) fn unsafe_reason(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name.contains('\0') {
        return Some("it contains a NUL character");
    }
    if name.starts_with('/') {
        return Some("it is an absolute path");
    }
    if name.contains('\\') {
        return Some("it contains a backslash, which Windows reads as a directory separator");
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Some("it starts with a drive letter");
    }
    if name.split('/').any(|part| part == "..") {
        return Some("it contains a `..` component, which points outside the archive's directory");
    }
    None
}

/// Resolves the symlink target `target` of the member `link` (both
/// `/`-separated, `link` safe) lexically, as the extraction would see it.
/// Returns the components of the resolved path relative to the archive
/// root, or `None` if it is absolute or climbs above the root.
pub(crate) fn resolve_link(link: &str, target: &str) -> Option<Vec<String>> {
    if target.is_empty() || target.starts_with('/') || target.contains('\\') || target.contains('\0') {
        return None;
    }
    let bytes = target.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return None;
    }
    let mut parts: Vec<String> = link.trim_end_matches('/').split('/').map(str::to_owned).collect();
    parts.pop(); // the link itself
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other.to_owned()),
        }
    }
    Some(parts)
}

/// The components of a member name, without empty and `.` parts (`./a//b/`
/// gives `a`, `b`).
pub(crate) fn components(name: &str) -> Vec<&str> {
    name.split('/').filter(|part| !part.is_empty() && *part != ".").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names() {
        for safe in ["a", "a/b", "a/b/", "a..b/c", "./a"] {
            assert_eq!(unsafe_reason(safe), None, "{safe}");
        }
        for unsafe_name in ["", "/etc/passwd", "../x", "a/../../x", "a\\b", "C:x", "c:/x", "a\0b", "a/.."] {
            assert!(unsafe_reason(unsafe_name).is_some(), "{unsafe_name}");
        }
    }

    #[test]
    fn link_resolution() {
        assert_eq!(resolve_link("top/a/link", "../b/c"), Some(vec!["top".into(), "b".into(), "c".into()]));
        assert_eq!(resolve_link("top/link", "../x"), Some(vec!["x".into()]));
        assert_eq!(resolve_link("top/link", "../../x"), None);
        assert_eq!(resolve_link("top/link", "/etc"), None);
        assert_eq!(resolve_link("top/link", "./sub/."), Some(vec!["top".into(), "sub".into()]));
    }
}
