//! Trove classifiers (`[project] classifiers`), checked against a list
//! embedded in the binary.
//!
//! flit 4.2 checks classifiers against a cached copy of the index's list and
//! downloads it when the cache is missing (see `flit-behaviour.md` §4.11).
//! flit-rs embeds the list of the `trove-classifiers` package instead (the
//! list the index itself validates uploads with), so the check needs no
//! network and `FLIT_NO_NETWORK` changes nothing. The version is
//! [`TROVE_CLASSIFIERS_VERSION`]; `data.rs` says how to regenerate it.
//!
//! [`classify`] sorts a classifier into one of four outcomes:
//!
//! - [`ClassifierStatus::Valid`]: in the list;
//! - [`ClassifierStatus::Private`]: starts with `Private ::`, which the index
//!   reserves for projects that must never be uploaded, so it is always
//!   accepted locally (flit accepts `Private :: Do Not Upload`);
//! - [`ClassifierStatus::Deprecated`]: in the package's deprecated list, with
//!   the replacements it names (possibly none);
//! - [`ClassifierStatus::Unknown`]: anything else, with the closest valid
//!   classifier when the mistake looks like a typo.
//!
//! # Suggestions
//!
//! A suggestion is offered for the usual mistakes: wrong case, missing or
//! doubled spaces around `::`, stray whitespace, a misspelled word in one or
//! more levels (`Programming Langauge :: Pyhton :: 3`), and a missing level
//! (`License :: MIT License` for `License :: OSI Approved :: MIT License`).
//! It never suggests a deprecated classifier.
//!
//! The search walks a tree of the classifiers' levels (built once, on the
//! first unknown classifier, in about 0.2 ms) instead of computing an edit
//! distance against every classifier: at each level only the names under
//! the node matched so far are compared with the corresponding part of the
//! input, with a bounded, case-insensitive edit distance (ten names at the
//! top level, at most about a hundred below). A level that matches nothing
//! is tried one level deeper, which finds a skipped level. Measured natively
//! (release build): 70 ns for a valid classifier, 1.5 to 30 µs (7 µs on
//! average) for an unknown one, against 8.7 ms for a scan computing the
//! edit distance to each of the ~900 classifiers.

mod data;

pub use data::TROVE_CLASSIFIERS_VERSION;

/// What a classifier is, as far as the embedded list knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassifierStatus {
    /// A current classifier.
    Valid,
    /// A `Private :: ...` classifier: always accepted (the index refuses
    /// uploads carrying one, which is their purpose).
    Private,
    /// A classifier the list has retired; the index refuses new uploads
    /// with it. `replacements` are the classifiers to use instead (empty
    /// when there is no replacement).
    Deprecated {
        /// The replacement classifiers, from the package's deprecation list.
        replacements: &'static [&'static str],
    },
    /// Not a known classifier.
    Unknown {
        /// The closest known classifier, when the input looks like a typo
        /// of one (case, spacing around `::`, a misspelled word, a missing
        /// level).
        suggestion: Option<&'static str>,
    },
}

/// Classifies one classifier string, exactly as written (no trimming: a
/// classifier with stray spaces is unknown, with the trimmed one suggested).
pub fn classify(classifier: &str) -> ClassifierStatus {
    if classifier.starts_with("Private ::") {
        return ClassifierStatus::Private;
    }
    if data::CLASSIFIERS.binary_search(&classifier).is_ok() {
        return ClassifierStatus::Valid;
    }
    if let Ok(index) = data::DEPRECATED.binary_search_by(|(old, _)| (*old).cmp(classifier)) {
        return ClassifierStatus::Deprecated { replacements: data::DEPRECATED[index].1 };
    }
    ClassifierStatus::Unknown { suggestion: suggest(classifier) }
}

/// Every valid classifier, sorted by code point (for completion lists and
/// tests).
pub fn classifiers() -> impl Iterator<Item = &'static str> {
    data::CLASSIFIERS.iter().copied()
}

/// Every deprecated classifier with its replacements, sorted by code point.
pub fn deprecated_classifiers() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    data::DEPRECATED.iter().copied()
}

/// The separator between the levels of a classifier.
const SEPARATOR: &str = " :: ";

/// One node of the classifier tree: a level name under its parent.
struct Node {
    /// The level's name (`"Python"` under `"Programming Language"`).
    name: &'static str,
    /// The node's children, as a range of [`Tree::nodes`].
    children: std::ops::Range<usize>,
    /// The classifier this node spells out in full, if it is one.
    classifier: Option<&'static str>,
}

/// The classifiers as a tree of levels, built once from the sorted list:
/// the index the suggestions walk.
struct Tree {
    /// Every node, children of one parent contiguous; `nodes[0]` is the
    /// root (empty name).
    nodes: Vec<Node>,
}

impl Tree {
    /// The shared tree, built on first use (about 1,100 nodes).
    fn get() -> &'static Tree {
        static TREE: std::sync::OnceLock<Tree> = std::sync::OnceLock::new();
        TREE.get_or_init(Tree::build)
    }

    fn build() -> Tree {
        // First an owned trie, children in first-seen order.
        struct Draft {
            name: &'static str,
            children: Vec<usize>,
            classifier: Option<&'static str>,
        }
        let mut drafts = vec![Draft { name: "", children: Vec::new(), classifier: None }];
        for classifier in data::CLASSIFIERS {
            let mut node = 0;
            for name in classifier.split(SEPARATOR) {
                let existing = drafts[node].children.iter().copied().find(|&child| drafts[child].name == name);
                node = match existing {
                    Some(child) => child,
                    None => {
                        drafts.push(Draft { name, children: Vec::new(), classifier: None });
                        let child = drafts.len() - 1;
                        drafts[node].children.push(child);
                        child
                    }
                };
            }
            drafts[node].classifier = Some(classifier);
        }
        // Then lay the children of each node out contiguously, breadth first.
        let mut nodes = vec![Node { name: "", children: 0..0, classifier: None }];
        let mut queue = std::collections::VecDeque::from([(0usize, 0usize)]);
        while let Some((draft, index)) = queue.pop_front() {
            let start = nodes.len();
            for &child in &drafts[draft].children {
                nodes.push(Node { name: drafts[child].name, children: 0..0, classifier: drafts[child].classifier });
                queue.push_back((child, nodes.len() - 1));
            }
            nodes[index].children = start..nodes.len();
        }
        Tree { nodes }
    }

    fn children(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.nodes[node].children.clone()
    }
}

/// The closest valid classifier to `input`, found by walking the tree level
/// by level (see the module documentation).
fn suggest(input: &str) -> Option<&'static str> {
    // Normalise each level: split on `::`, collapse whitespace, drop empty
    // levels (a trailing `::`).
    let parts: Vec<String> = input
        .split("::")
        .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|part| !part.is_empty())
        .collect();
    if parts.is_empty() || parts.len() > 8 || parts.iter().any(|part| part.chars().count() > 120) {
        return None;
    }
    let tree = Tree::get();
    let mut node = 0;
    for part in &parts {
        let part = Part::new(part);
        node = match closest_child(tree, node, &part) {
            Some((_, child)) => child,
            None => closest_grandchild(tree, node, &part)?,
        };
    }
    tree.nodes[node].classifier
}

/// A level of the input, lower-cased once for all comparisons.
struct Part {
    /// The level's characters, lower-cased.
    chars: Vec<char>,
    /// How many edits still count as a typo.
    limit: usize,
}

impl Part {
    fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
        let limit = match chars.len() {
            0..=1 => 0,
            2..=4 => 1,
            5..=8 => 2,
            _ => 3,
        };
        Part { chars, limit }
    }
}

/// The child of `node` whose name is closest to `part`, with its distance,
/// if close enough.
fn closest_child(tree: &Tree, node: usize, part: &Part) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for child in tree.children(node) {
        let bound = best.map_or(part.limit, |(distance, _)| distance.saturating_sub(1));
        if let Some(distance) = bounded_distance(&part.chars, tree.nodes[child].name, bound)
            && best.is_none_or(|(best_distance, _)| distance < best_distance)
        {
            best = Some((distance, child));
        }
    }
    best
}

/// The grandchild of `node` whose name is closest to `part`: the input
/// skipped a level.
fn closest_grandchild(tree: &Tree, node: usize, part: &Part) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for child in tree.children(node) {
        if let Some((distance, grandchild)) = closest_child(tree, child, part)
            && best.is_none_or(|(best_distance, _)| distance < best_distance)
        {
            best = Some((distance, grandchild));
        }
    }
    best.map(|(_, grandchild)| grandchild)
}

/// The longest level compared; classifier levels and the input's levels
/// (at most 120 characters, see [`suggest`]) are shorter, and distances
/// then fit in a byte.
const MAX_NAME: usize = 128;

/// The case-insensitive optimal-string-alignment distance (Levenshtein plus
/// adjacent transpositions) between the lower-cased `a` and the ASCII name
/// `b`, or `None` when it exceeds `bound`.
fn bounded_distance(a: &[char], b: &str, bound: usize) -> Option<usize> {
    let b = b.as_bytes();
    if a.len().abs_diff(b.len()) > bound || b.len() >= MAX_NAME || a.len() >= MAX_NAME {
        return None;
    }
    let lower = |byte: u8| char::from(byte.to_ascii_lowercase());
    if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| *x == lower(*y)) {
        return Some(0);
    }
    let width = b.len() + 1;
    // Row i of the table lives in rows[i % 3].
    let mut rows = [[0u8; MAX_NAME]; 3];
    for (j, cell) in (0u8..).zip(rows[0].iter_mut().take(width)) {
        *cell = j;
    }
    for (i, row_number) in (1..=a.len()).zip(1u8..) {
        let (current, previous, before) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[current][0] = row_number;
        let mut row_minimum = row_number;
        for j in 1..width {
            let cost = u8::from(a[i - 1] != lower(b[j - 1]));
            let mut value = (rows[previous][j] + 1).min(rows[current][j - 1] + 1).min(rows[previous][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == lower(b[j - 2]) && a[i - 2] == lower(b[j - 1]) {
                value = value.min(rows[before][j - 2] + 1);
            }
            rows[current][j] = value;
            row_minimum = row_minimum.min(value);
        }
        if usize::from(row_minimum) > bound {
            return None;
        }
    }
    let distance = usize::from(rows[a.len() % 3][width - 1]);
    (distance <= bound).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggestion(input: &str) -> Option<&'static str> {
        match classify(input) {
            ClassifierStatus::Unknown { suggestion } => suggestion,
            other => panic!("{input:?} is {other:?}, not unknown"),
        }
    }

    #[test]
    fn valid_private_and_deprecated() {
        assert_eq!(classify("Programming Language :: Python :: 3"), ClassifierStatus::Valid);
        assert_eq!(classify("Typing :: Typed"), ClassifierStatus::Valid);
        assert_eq!(classify("Private :: Do Not Upload"), ClassifierStatus::Private);
        assert_eq!(classify("Private :: anything at all"), ClassifierStatus::Private);
        assert_eq!(
            classify("Natural Language :: Ukranian"),
            ClassifierStatus::Deprecated { replacements: &["Natural Language :: Ukrainian"] }
        );
        assert_eq!(
            classify("License :: OSI Approved :: X.Net License"),
            ClassifierStatus::Deprecated { replacements: &[] }
        );
    }

    #[test]
    fn tables_are_sorted_and_disjoint() {
        assert!(data::CLASSIFIERS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(data::DEPRECATED.windows(2).all(|pair| pair[0].0 < pair[1].0));
        for (old, replacements) in data::DEPRECATED {
            assert!(data::CLASSIFIERS.binary_search(old).is_err());
            for replacement in *replacements {
                assert_eq!(classify(replacement), ClassifierStatus::Valid);
            }
        }
        assert_eq!(classifiers().count(), data::CLASSIFIERS.len());
        assert_eq!(deprecated_classifiers().count(), data::DEPRECATED.len());
    }

    #[test]
    fn suggestions_for_case_and_spacing() {
        let expected = Some("Programming Language :: Python :: 3");
        assert_eq!(suggestion("programming language :: python :: 3"), expected);
        assert_eq!(suggestion("Programming Language::Python::3"), expected);
        assert_eq!(suggestion("Programming  Language ::  Python :: 3 "), expected);
        assert_eq!(suggestion(" Programming Language :: Python :: 3"), expected);
        assert_eq!(suggestion("Programming Language :: Python :: 3 ::"), expected);
        assert_eq!(suggestion("Private::Do Not Upload"), None);
    }

    #[test]
    fn suggestions_for_typos() {
        assert_eq!(suggestion("Programming Langauge :: Pyhton :: 3"), Some("Programming Language :: Python :: 3"));
        assert_eq!(
            suggestion("Developement Status :: 5 - Production/Stable"),
            Some("Development Status :: 5 - Production/Stable")
        );
        assert_eq!(
            suggestion("License :: OSI Approved :: MIT Licence"),
            Some("License :: OSI Approved :: MIT License")
        );
        assert_eq!(suggestion("Operating System :: OS Independant"), Some("Operating System :: OS Independent"));
        assert_eq!(suggestion("Topic :: Utilites"), Some("Topic :: Utilities"));
    }

    #[test]
    fn suggestions_for_a_missing_level() {
        assert_eq!(suggestion("License :: MIT License"), Some("License :: OSI Approved :: MIT License"));
        assert_eq!(suggestion("Python :: 3"), Some("Programming Language :: Python :: 3"));
    }

    #[test]
    fn no_suggestion_for_unrelated_text() {
        assert_eq!(suggestion("Made Up :: Category"), None);
        assert_eq!(suggestion(""), None);
        assert_eq!(suggestion("::"), None);
        assert_eq!(suggestion("Programming Language :: Cobol-2099"), None);
        assert_eq!(suggestion("Programming Language :: Python :: 9"), None);
        // An inner node that is not itself a classifier.
        assert_eq!(suggestion("topic"), None);
        assert_eq!(suggestion(&"x :: ".repeat(1000)), None);
    }

    #[test]
    fn distance() {
        let lower = |text: &str| Part::new(text).chars;
        assert_eq!(bounded_distance(&lower("abc"), "abc", 0), Some(0));
        assert_eq!(bounded_distance(&lower("abc"), "ABC", 0), Some(0));
        assert_eq!(bounded_distance(&lower("abcd"), "abdc", 3), Some(1));
        assert_eq!(bounded_distance(&lower("kitten"), "sitting", 3), Some(3));
        assert_eq!(bounded_distance(&lower("kitten"), "sitting", 2), None);
        assert_eq!(bounded_distance(&lower(""), "ab", 2), Some(2));
        assert_eq!(bounded_distance(&lower("ab"), "", 2), Some(2));
    }
}
