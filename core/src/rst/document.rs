//! The document the parser builds: a small element tree (enough for the
//! checks that look at siblings and children) and the registries of names,
//! references, substitutions and footnotes, with the checks docutils'
//! transforms make once parsing is done.

use std::collections::HashMap;

use super::{RstLevel, RstProblem};

/// A line number as docutils computes it (possibly 0 or negative, see
/// [`Document::wrap`]).
pub(super) trait LineNumber {
    fn number(self) -> isize;
}

impl LineNumber for usize {
    fn number(self) -> isize {
        isize::try_from(self).unwrap_or(isize::MAX)
    }
}

impl LineNumber for isize {
    fn number(self) -> isize {
        self
    }
}

/// An index into [`Document::nodes`].
pub(super) type NodeId = usize;

/// The kinds of element the checks need to tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Document,
    Section,
    Title,
    Decoration,
    Paragraph,
    LiteralBlock,
    DoctestBlock,
    LineBlock,
    BlockQuote,
    BulletList,
    EnumeratedList,
    ListItem,
    DefinitionList,
    Definition,
    FieldList,
    Field,
    FieldBody,
    OptionList,
    Description,
    Table,
    Entry,
    Transition,
    /// A comment; `empty` for `..` alone.
    Comment {
        empty: bool,
    },
    Target,
    Footnote,
    Citation,
    SubstitutionDefinition,
    /// A placeholder a transform replaces (`contents`, `sectnum`,
    /// `target-notes`).
    Pending,
    /// The placeholder of a `class` directive without content.
    PendingClass,
    Topic,
    /// The topic of a `contents` directive (removed when there are no
    /// sections to list).
    Contents,
    Sidebar,
    Admonition,
    /// Inline-level output of a directive in a substitution definition
    /// (image, reference, raw, text).
    Inline,
    Figure,
    Container,
    Compound,
    Rubric,
    MathBlock,
    /// A system message of the given level.
    Message(u8),
    /// An anonymous container docutils parses into (`nodes.Element()`).
    Element,
    /// Any other body element.
    Other,
}

impl Kind {
    /// `nodes.Invisible` (comments, substitution definitions, targets,
    /// pending elements).
    fn is_invisible(self) -> bool {
        matches!(
            self,
            Kind::Comment { .. } | Kind::SubstitutionDefinition | Kind::Target | Kind::Pending | Kind::PendingClass
        )
    }

    /// `nodes.PreBibliographic`.
    fn is_pre_bibliographic(self) -> bool {
        self.is_invisible() || matches!(self, Kind::Message(_) | Kind::Title | Kind::Decoration)
    }

    /// Siblings that do not count around a transition (comments are
    /// already stripped then, with the index's settings).
    fn is_ignored_by_transition(self) -> bool {
        matches!(
            self,
            Kind::Comment { .. }
                | Kind::Decoration
                | Kind::Pending
                | Kind::PendingClass
                | Kind::SubstitutionDefinition
                | Kind::Target
                | Kind::Title
        )
    }

    /// Containers in which topics, sidebars and tables of contents may not
    /// appear (`BasePseudoSection.invalid_parents`): body elements and
    /// their parts.
    pub(super) fn refuses_topics(self) -> bool {
        !matches!(self, Kind::Document | Kind::Section | Kind::Sidebar | Kind::Element | Kind::Decoration)
    }
}

/// One element.
pub(super) struct Node {
    pub(super) kind: Kind,
    pub(super) parent: Option<NodeId>,
    pub(super) children: Vec<NodeId>,
    /// The element's line, where docutils records one.
    pub(super) line: Option<usize>,
}

/// How a name is registered (`document.names` and `nametypes`).
struct NameEntry {
    /// The target, or `None` once the name is a duplicate that cannot be
    /// referenced.
    target: Option<usize>,
    /// Whether an explicit target has claimed the name.
    explicit: bool,
}

/// The registries' sizes at one point of the parse (see
/// [`Document::mark`]).
#[derive(Clone, Copy)]
pub(super) struct Mark {
    references: usize,
    substitution_uses: usize,
    anonymous_references: usize,
    anonymous_targets: usize,
}

/// What a registered target points at, for telling duplicates that agree
/// from duplicates that conflict.
#[derive(Clone, PartialEq, Eq)]
pub(super) enum Pointer {
    /// An external URI.
    Uri(String),
    /// Another target's name (an indirect target).
    Name(String),
    /// A place in this document.
    Here,
}

/// A reference to a named target, checked once parsing is done.
#[derive(Clone)]
pub(super) struct Reference {
    /// The normalised name referenced.
    pub(super) refname: String,
    /// The line docutils reports, if it knows one.
    pub(super) line: Option<usize>,
    /// A line to use when docutils knows none.
    pub(super) fallback_line: usize,
}

/// An indirect target (`.. _a: b_`), resolved once parsing is done.
struct Indirect {
    /// The target's own name (empty for an anonymous target).
    name: String,
    /// The name it points to.
    refname: String,
    line: usize,
    /// The message's `(id="...")` part.
    id: String,
    /// The registered target, for named targets.
    target: Option<usize>,
    /// The target's element, for explicit targets.
    node: Option<NodeId>,
}

/// A substitution definition.
pub(super) struct Substitution {
    /// The line of the definition.
    pub(super) line: usize,
    /// The named references in its content, replicated where it is used.
    pub(super) references: Vec<String>,
    /// The substitutions its content refers to.
    pub(super) nested: Vec<String>,
}

/// A substitution reference (`|name|`).
pub(super) struct SubstitutionUse {
    pub(super) name: String,
    pub(super) line: Option<usize>,
    pub(super) fallback_line: usize,
    /// The definition it appears in, if it appears in one.
    pub(super) in_definition: Option<String>,
}

/// The parsed document: tree, registries and messages.
pub(super) struct Document {
    pub(super) nodes: Vec<Node>,
    pub(super) problems: Vec<RstProblem>,
    names: HashMap<String, NameEntry>,
    targets: Vec<Pointer>,
    pub(super) references: Vec<Reference>,
    indirect: Vec<Indirect>,
    /// Lines of the anonymous references (`text`__).
    pub(super) anonymous_references: Vec<usize>,
    /// Lines of the anonymous targets (`__ uri`).
    pub(super) anonymous_targets: Vec<usize>,
    /// Definitions by whitespace-normalised name.
    pub(super) substitutions: HashMap<String, Substitution>,
    pub(super) substitution_uses: Vec<SubstitutionUse>,
    /// Auto-numbered footnotes: `Some(label)` for `[#label]`.
    pub(super) auto_footnotes: Vec<Option<String>>,
    /// Auto-numbered footnote references: `(label, line, fallback line)`;
    /// the label is empty for `[#]_`.
    pub(super) auto_footnote_references: Vec<(String, Option<usize>, usize)>,
    pub(super) symbol_footnotes: usize,
    pub(super) symbol_footnote_references: Vec<(Option<usize>, usize)>,
    /// Field elements: (field name as written, lines in the field body,
    /// line of the field), for the bibliographic-field checks.
    pub(super) fields: HashMap<NodeId, (String, usize, usize)>,
    /// The directive line of each `class` placeholder, for when docutils
    /// gives its message no line.
    pub(super) class_fallback: HashMap<NodeId, usize>,
    /// The `contents` topics with the `local` option.
    pub(super) local_contents: Vec<NodeId>,
    /// Internal targets (`.. _name:`), which render as anchors.
    pub(super) internal_targets: Vec<NodeId>,
    /// For each registered target, whether it still holds its name.
    named: Vec<bool>,
    /// For each registered target, the indirect target it is, if any.
    indirect_of: Vec<Option<usize>>,
    /// The top-level machine's position when parsing ended (for messages
    /// docutils gives no line), and the number of input lines.
    pub(super) end_position: isize,
    pub(super) line_count: usize,
}

impl Document {
    pub(super) fn new() -> Self {
        Document {
            nodes: vec![Node { kind: Kind::Document, parent: None, children: Vec::new(), line: None }],
            problems: Vec::new(),
            names: HashMap::new(),
            targets: Vec::new(),
            references: Vec::new(),
            indirect: Vec::new(),
            anonymous_references: Vec::new(),
            anonymous_targets: Vec::new(),
            substitutions: HashMap::new(),
            substitution_uses: Vec::new(),
            auto_footnotes: Vec::new(),
            auto_footnote_references: Vec::new(),
            symbol_footnotes: 0,
            symbol_footnote_references: Vec::new(),
            fields: HashMap::new(),
            indirect_of: Vec::new(),
            named: Vec::new(),
            internal_targets: Vec::new(),
            local_contents: Vec::new(),
            class_fallback: HashMap::new(),
            end_position: -1,
            line_count: 0,
        }
    }

    /// The root element.
    pub(super) const ROOT: NodeId = 0;

    /// A new detached element.
    pub(super) fn create(&mut self, kind: Kind, line: Option<usize>) -> NodeId {
        self.nodes.push(Node { kind, parent: None, children: Vec::new(), line });
        self.nodes.len() - 1
    }

    /// Appends `child` to `parent`.
    pub(super) fn append(&mut self, parent: NodeId, child: NodeId) {
        self.nodes[child].parent = Some(parent);
        self.nodes[parent].children.push(child);
    }

    /// Creates an element and appends it to `parent`.
    pub(super) fn add(&mut self, parent: NodeId, kind: Kind, line: Option<usize>) -> NodeId {
        let child = self.create(kind, line);
        self.append(parent, child);
        child
    }

    /// Whether `node` is in the document (its ancestors reach the root).
    pub(super) fn attached(&self, node: NodeId) -> bool {
        let mut current = node;
        for _ in 0..self.nodes.len() {
            if current == Self::ROOT {
                return true;
            }
            match self.nodes[current].parent {
                Some(parent) => current = parent,
                None => return false,
            }
        }
        false
    }

    /// A point to come back to when docutils discards parsed content
    /// (a failed directive's content): references in discarded content are
    /// never checked, since docutils checks the elements in the document.
    pub(super) fn mark(&self) -> Mark {
        Mark {
            references: self.references.len(),
            substitution_uses: self.substitution_uses.len(),
            anonymous_references: self.anonymous_references.len(),
            anonymous_targets: self.anonymous_targets.len(),
        }
    }

    /// Forgets the references registered since `mark`.
    pub(super) fn discard(&mut self, mark: Mark) {
        self.references.truncate(mark.references);
        self.substitution_uses.truncate(mark.substitution_uses);
        self.anonymous_references.truncate(mark.anonymous_references);
        self.anonymous_targets.truncate(mark.anonymous_targets);
    }

    pub(super) fn kind(&self, node: NodeId) -> Kind {
        self.nodes[node].kind
    }

    pub(super) fn children(&self, node: NodeId) -> &[NodeId] {
        &self.nodes[node].children
    }

    /// The sections from the outermost down to `node` itself
    /// (`section_hierarchy`).
    pub(super) fn section_hierarchy(&self, node: NodeId) -> Vec<NodeId> {
        let mut sections = Vec::new();
        let mut current = Some(node);
        while let Some(id) = current {
            if self.nodes[id].kind == Kind::Section {
                sections.push(id);
            }
            current = self.nodes[id].parent;
        }
        sections.reverse();
        sections
    }

    /// The line docutils gives a message about `node`: the first line
    /// recorded on it or an ancestor (`utils.get_source_line`).
    pub(super) fn line_of(&self, node: NodeId) -> Option<usize> {
        let mut current = Some(node);
        while let Some(id) = current {
            if let Some(line) = self.nodes[id].line {
                return Some(line);
            }
            current = self.nodes[id].parent;
        }
        None
    }

    /// The line docutils reports for a computed line number: its reporter
    /// looks lines up by index, so 0 and negative numbers (which docutils'
    /// arithmetic produces in a few odd cases) count from the end, as
    /// Python's negative indices do.
    pub(super) fn wrap(&self, line: isize) -> usize {
        if line >= 1 {
            line as usize
        } else {
            usize::try_from(self.line_count as isize + line).ok().filter(|&line| line >= 1).unwrap_or(1)
        }
    }

    /// The line docutils' reporter gives a message without one: that of
    /// the top-level machine's position, looked up as Python indexes a
    /// list (the position just past the end gives the line after the last;
    /// further positions give none).
    pub(super) fn reporter_line(&self, position: isize) -> Option<usize> {
        let length = self.line_count as isize;
        if (0..length).contains(&position) {
            Some(position as usize + 1)
        } else if position == length {
            Some(self.line_count + 1)
        } else if (-length..0).contains(&position) {
            Some((length + position) as usize + 1)
        } else {
            None
        }
    }

    /// Records a message at `line` (1-based, see [`Document::wrap`]).
    pub(super) fn report(&mut self, level: RstLevel, message: impl Into<String>, line: impl LineNumber) {
        let line = self.wrap(line.number());
        self.problems.push(RstProblem { line, level, message: message.into() });
    }

    /// Records a message and, as docutils does, places a message element in
    /// `parent`.
    pub(super) fn report_in(
        &mut self,
        parent: NodeId,
        level: RstLevel,
        message: impl Into<String>,
        line: impl LineNumber,
    ) {
        let line = self.wrap(line.number());
        self.report(level, message, line);
        self.add(parent, Kind::Message(level.number()), Some(line));
    }

    /// Registers `name` for a target pointing at `pointer`, with docutils'
    /// rules for duplicates (`document.set_duplicate_name`): two explicit
    /// targets with the same name and different destinations are a
    /// warning, and the name can no longer be referenced; other clashes
    /// are informational. Returns whether the name was kept for the
    /// target.
    pub(super) fn note_target(
        &mut self,
        name: &str,
        pointer: Pointer,
        explicit: bool,
        line: Option<usize>,
        fallback_line: usize,
    ) {
        self.targets.push(pointer.clone());
        self.indirect_of.push(None);
        self.named.push(true);
        let target = self.targets.len() - 1;
        let Some(entry) = self.names.get_mut(name) else {
            self.names.insert(name.to_owned(), NameEntry { target: Some(target), explicit });
            return;
        };
        // A target that loses its name to a clash keeps pointing where it
        // points but can no longer be named (docutils' "dupnames").
        let old = entry.target;
        let old_explicit = entry.explicit;
        entry.explicit = old_explicit || explicit;
        if let Some(old) = old
            && self.targets[old] == pointer
            && pointer != Pointer::Here
        {
            // Same destination: the old target keeps the name (info).
            self.named[target] = false;
            return;
        }
        let mut report = false;
        if explicit {
            if old_explicit {
                entry.target = None;
                self.named[target] = false;
                if let Some(old) = old {
                    self.named[old] = false;
                }
                report = true;
            } else {
                entry.target = Some(target);
                if let Some(old) = old {
                    self.named[old] = false;
                }
            }
        } else {
            self.named[target] = false;
            if !old_explicit {
                // Two implicit targets: neither can be referenced (info).
                entry.target = None;
                if let Some(old) = old {
                    self.named[old] = false;
                }
            }
        }
        if report {
            self.report(
                RstLevel::Warning,
                format!("Duplicate explicit target name: \"{name}\"."),
                line.unwrap_or(fallback_line),
            );
        }
    }

    /// Whether `name` is registered (`document.has_name`).
    pub(super) fn has_name(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }

    /// Whether the rendered body would be empty (only comments, targets,
    /// substitution definitions, placeholders, header and footer): the
    /// index's renderer then fails too.
    fn renders_nothing(&self) -> bool {
        self.nodes[Self::ROOT].children.iter().all(|&child| {
            !self.internal_targets.contains(&child)
                && matches!(
                    self.nodes[child].kind,
                    Kind::Comment { .. }
                        | Kind::Target
                        | Kind::SubstitutionDefinition
                        | Kind::Pending
                        | Kind::PendingClass
                        | Kind::Message(_)
                        | Kind::Decoration
                )
        })
    }

    /// Registers an indirect target (`.. _name: other_`), just after
    /// [`Document::note_target`] registered its name (if it has one).
    pub(super) fn note_indirect(&mut self, name: String, refname: String, line: usize, node: Option<NodeId>) {
        let id = if name.is_empty() {
            format!("user-content-target-{}", self.indirect.len() + 1)
        } else {
            format!("user-content-{}", make_id(&name))
        };
        let target = if name.is_empty() { None } else { self.targets.len().checked_sub(1) };
        if let Some(target) = target {
            self.indirect_of[target] = Some(self.indirect.len());
        }
        self.indirect.push(Indirect { name, refname, line, id, target, node });
    }

    /// Registers a reference to `refname`.
    pub(super) fn note_reference(&mut self, refname: String, line: Option<usize>, fallback_line: usize) {
        self.references.push(Reference { refname, line, fallback_line });
    }

    /// Runs the checks of docutils' transforms on the finished document and
    /// returns every problem, in line order.
    /// The checks run in the order of the transforms' priorities, since
    /// each one changes what the next sees.
    pub(super) fn finish(mut self) -> Vec<RstProblem> {
        self.check_class_directives(); // 210
        self.check_substitutions(); // 220
        self.check_bibliographic_fields(); // 340
        self.check_anonymous(); // 440
        let unresolved_indirect = self.check_indirect_targets(); // 460
        self.check_footnotes(); // 620
        self.remove_empty_contents(); // 720
        let renders_nothing = self.renders_nothing();
        self.strip_comments(); // 740
        self.check_transitions(); // 830
        self.check_references(&unresolved_indirect); // 850
        let mut problems = self.problems;
        problems.sort_by_key(|problem| problem.line);
        if problems.is_empty() && renders_nothing {
            problems.push(RstProblem {
                line: 1,
                level: RstLevel::Warning,
                message: "No content rendered from RST source.".to_owned(),
            });
        }
        problems
    }

    /// `universal.StripComments` (the index strips comments): removes the
    /// comments of the document and its sections.
    fn strip_comments(&mut self) {
        for id in 0..self.nodes.len() {
            if matches!(self.nodes[id].kind, Kind::Document | Kind::Section) {
                let children = std::mem::take(&mut self.nodes[id].children);
                let kept: Vec<NodeId> = children
                    .into_iter()
                    .filter(|&child| !matches!(self.nodes[child].kind, Kind::Comment { .. }))
                    .collect();
                self.nodes[id].children = kept;
            }
        }
    }

    /// `parts.Contents`: a table of contents with no section to list is
    /// removed (`local` ones list the sections of their own section).
    fn remove_empty_contents(&mut self) {
        let contents: Vec<NodeId> = (0..self.nodes.len()).filter(|&id| self.nodes[id].kind == Kind::Contents).collect();
        for id in contents {
            let Some(parent) = self.nodes[id].parent else { continue };
            let start = if self.local_contents.contains(&id) {
                let mut start = parent;
                while !matches!(self.nodes[start].kind, Kind::Section | Kind::Document) {
                    match self.nodes[start].parent {
                        Some(next) => start = next,
                        None => break,
                    }
                }
                start
            } else {
                Self::ROOT
            };
            let has_sections = self.nodes[start].children.iter().any(|&child| self.nodes[child].kind == Kind::Section);
            if !has_sections {
                self.nodes[parent].children.retain(|&child| child != id);
                self.nodes[id].parent = None;
            }
        }
    }

    /// `references.Substitutions`: every substitution reference must name a
    /// definition (exactly, or ignoring case); the named references inside
    /// a definition are copied to each place it is used; definitions that
    /// refer to themselves, directly or not, are reported, and so is each
    /// use of one.
    fn check_substitutions(&mut self) {
        let mut names: Vec<String> = self.substitutions.keys().cloned().collect();
        names.sort();
        let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, name)| (name.as_str(), i)).collect();
        let lowercase: HashMap<String, usize> =
            names.iter().enumerate().map(|(i, name)| (name.to_lowercase(), i)).collect();
        let resolve = |name: &str| -> Option<usize> {
            index.get(name).copied().or_else(|| lowercase.get(&name.to_lowercase()).copied())
        };
        let definitions: Vec<&Substitution> = names.iter().filter_map(|name| self.substitutions.get(name)).collect();
        let edges: Vec<Vec<usize>> = definitions
            .iter()
            .map(|definition| definition.nested.iter().filter_map(|nested| resolve(nested)).collect())
            .collect();
        let cyclic = cyclic_nodes(&edges);
        let mut problems = Vec::new();
        for (definition, &is_cyclic) in definitions.iter().zip(&cyclic) {
            if is_cyclic {
                problems.push(("Circular substitution definition detected:".to_owned(), definition.line));
            }
        }
        let mut copies = Vec::new();
        // Visits mark a definition with the number of the use being
        // expanded, so each expansion is linear in what it reaches.
        let mut visited = vec![usize::MAX; definitions.len()];
        for (number, usage) in self.substitution_uses.iter().enumerate() {
            let line = usage.line.unwrap_or(usage.fallback_line);
            let Some(key) = resolve(&usage.name) else {
                problems.push((format!("Undefined substitution referenced: \"{}\".", usage.name), line));
                continue;
            };
            if usage.in_definition.is_some() {
                // Expanded with the definition it appears in.
                continue;
            }
            let mut reached = Vec::new();
            let mut stack = vec![key];
            visited[key] = number;
            while let Some(current) = stack.pop() {
                reached.push(current);
                for &next in &edges[current] {
                    if visited[next] != number {
                        visited[next] = number;
                        stack.push(next);
                    }
                }
            }
            if reached.iter().any(|&definition| cyclic[definition]) {
                problems.push((format!("Circular substitution definition referenced: \"{}\".", usage.name), line));
                continue;
            }
            for definition in reached {
                for refname in &definitions[definition].references {
                    copies.push(Reference { refname: refname.clone(), line: usage.line, fallback_line: line });
                }
            }
        }
        self.references.extend(copies);
        for (message, line) in problems {
            self.report(RstLevel::Error, message, line);
        }
    }

    /// `references.AnonymousHyperlinks`: as many anonymous references as
    /// anonymous targets. docutils gives this message no line; it is
    /// reported at the first anonymous reference (or target).
    fn check_anonymous(&mut self) {
        let references = self.anonymous_references.len();
        let targets = self.anonymous_targets.len();
        if references != targets {
            // docutils reports the top-level machine's final line: the line
            // after the last when parsing stopped right at the end, no line
            // when it went further.
            let line = self.reporter_line(self.end_position).unwrap_or_else(|| {
                self.anonymous_references.iter().chain(&self.anonymous_targets).copied().min().unwrap_or(1)
            });
            self.report(
                RstLevel::Error,
                format!(
                    "Anonymous hyperlink mismatch: {references} references but {targets} targets.\n\
                     See \"backrefs\" attribute for IDs."
                ),
                line,
            );
        }
    }

    /// `references.IndirectHyperlinks`: an indirect target must point to a
    /// unique existing name, without a cycle. Following a chain, docutils
    /// reports the target whose name is missing (or the target where a
    /// cycle closes) and considers the rest of the chain resolved. Returns
    /// the names whose references were already reported through their
    /// target.
    fn check_indirect_targets(&mut self) -> Vec<String> {
        let mut failed = Vec::new();
        let indirect = std::mem::take(&mut self.indirect);
        let mut resolved = vec![false; indirect.len()];
        let mut problems = Vec::new();
        for start in 0..indirect.len() {
            if resolved[start] {
                continue;
            }
            let mut path = vec![start];
            let mut on_path: HashMap<usize, usize> = HashMap::from([(start, 0)]);
            while let Some(&current) = path.last() {
                let explanation = match self.names.get(&indirect[current].refname) {
                    None => Some((current, "which does not exist")),
                    Some(NameEntry { target: None, .. }) => {
                        Some((current, "which is a duplicate, and cannot be used as a unique reference"))
                    }
                    Some(NameEntry { target: Some(target), .. }) => match self.indirect_of[*target] {
                        Some(next) if !resolved[next] => {
                            if let Some(&position) = on_path.get(&next) {
                                Some((path[position], "forming a circular reference"))
                            } else {
                                on_path.insert(next, path.len());
                                path.push(next);
                                continue;
                            }
                        }
                        _ => None,
                    },
                };
                if let Some((culprit, explanation)) = explanation {
                    let target = &indirect[culprit];
                    let named = target.target.is_some_and(|index| self.named[index]);
                    let naming = if !named {
                        format!("(id=\"{}\")", target.id)
                    } else {
                        format!("\"{}\" (id=\"{}\")", target.name, target.id)
                    };
                    problems.push((
                        format!(
                            "Indirect hyperlink target {naming} refers to target \"{}\", {explanation}.",
                            target.refname
                        ),
                        target.line,
                    ));
                    if named {
                        failed.push(target.name.clone());
                    }
                }
                break;
            }
            for index in path {
                resolved[index] = true;
            }
        }
        for (message, line) in problems {
            self.report(RstLevel::Error, message, line);
        }
        // docutils replaces what refers to a failed target by "problematic"
        // elements, including indirect targets pointing to it (itself, for
        // a self-reference): they are no longer invisible targets.
        for target in &indirect {
            if failed.contains(&target.refname)
                && let Some(node) = target.node
            {
                self.nodes[node].kind = Kind::Other;
            }
        }
        self.indirect = indirect;
        failed
    }

    /// `references.Footnotes`: enough auto-numbered and symbol footnotes
    /// for their references.
    fn check_footnotes(&mut self) {
        let labels: Vec<&str> = self.auto_footnotes.iter().flatten().map(String::as_str).collect();
        let unlabelled = self.auto_footnotes.iter().filter(|label| label.is_none()).count();
        let mut available = unlabelled;
        let mut problem = None;
        let mut dangling = Vec::new();
        for (index, (label, line, fallback)) in self.auto_footnote_references.iter().enumerate() {
            if !label.is_empty() && labels.contains(&label.as_str()) {
                continue;
            }
            if available == 0 {
                // The labelled references left are checked as names.
                for (label, line, fallback) in &self.auto_footnote_references[index..] {
                    if !label.is_empty() && !labels.contains(&label.as_str()) {
                        dangling.push(Reference { refname: label.clone(), line: *line, fallback_line: *fallback });
                    }
                }
                let plural = if unlabelled > 1 { "s" } else { "" };
                problem = Some((
                    format!(
                        "Too many autonumbered footnote references: only {unlabelled} corresponding footnote{plural} available."
                    ),
                    line.unwrap_or(*fallback),
                ));
                break;
            }
            available -= 1;
        }
        self.references.extend(dangling);
        if let Some((message, line)) = problem {
            self.report(RstLevel::Error, message, line);
        }
        if let Some((line, fallback)) = self.symbol_footnote_references.get(self.symbol_footnotes) {
            let line = line.unwrap_or(*fallback);
            self.report(
                RstLevel::Error,
                format!(
                    "Too many symbol footnote references: only {} corresponding footnotes available.",
                    self.symbol_footnotes
                ),
                line,
            );
        }
    }

    /// `references.DanglingReferences`: every named reference must name a
    /// unique target.
    fn check_references(&mut self, through_failed_targets: &[String]) {
        let references = std::mem::take(&mut self.references);
        for reference in &references {
            if through_failed_targets.contains(&reference.refname) {
                continue;
            }
            let line = reference.line.unwrap_or(reference.fallback_line);
            match self.names.get(&reference.refname) {
                Some(NameEntry { target: Some(_), .. }) => {}
                Some(NameEntry { target: None, .. }) => self.report(
                    RstLevel::Error,
                    format!("Duplicate target name, cannot be used as a unique reference: \"{}\".", reference.refname),
                    line,
                ),
                None => {
                    self.report(RstLevel::Error, format!("Unknown target name: \"{}\".", reference.refname), line);
                }
            }
        }
    }

    /// `misc.ClassAttribute`: a `class` directive without content needs a
    /// visible element after it (a sibling, or a sibling of an ancestor).
    fn check_class_directives(&mut self) {
        let pending: Vec<NodeId> =
            (0..self.nodes.len()).filter(|&id| self.nodes[id].kind == Kind::PendingClass).collect();
        for id in pending {
            if self.nodes[id].parent.is_none() {
                continue;
            }
            let mut current = id;
            let mut found = false;
            'ascend: while let Some(parent) = self.nodes[current].parent {
                let siblings = &self.nodes[parent].children;
                let index = siblings.iter().position(|&child| child == current).unwrap_or(siblings.len());
                for &sibling in &siblings[index + 1..] {
                    let kind = self.nodes[sibling].kind;
                    if !(kind.is_invisible() || matches!(kind, Kind::Message(_))) {
                        found = true;
                        break 'ascend;
                    }
                }
                current = parent;
            }
            if found {
                // The placeholder is removed.
                if let Some(parent) = self.nodes[id].parent {
                    self.nodes[parent].children.retain(|&child| child != id);
                }
            } else {
                // The placeholder is replaced by the error message.
                self.nodes[id].kind = Kind::Message(3);
                // Without a line of its own, the message gets the top-level
                // machine's final line (when that is one past the end).
                let line = self.nodes[id].line.unwrap_or_else(|| {
                    self.reporter_line(self.end_position)
                        .unwrap_or_else(|| self.class_fallback.get(&id).copied().unwrap_or(1))
                });
                self.report(RstLevel::Error, "No suitable element following \"class\" directive", line);
            }
        }
    }

    /// `frontmatter.DocInfo`: a field list that is the document's first
    /// element holds bibliographic fields; the known ones must not be empty
    /// and most must hold a single paragraph.
    fn check_bibliographic_fields(&mut self) {
        const TEXT_FIELDS: &[&str] =
            &["author", "organization", "address", "contact", "version", "revision", "status", "date", "copyright"];
        let first =
            self.nodes[Self::ROOT].children.iter().copied().find(|&id| !self.nodes[id].kind.is_pre_bibliographic());
        let Some(list) = first.filter(|&id| self.nodes[id].kind == Kind::FieldList) else { return };
        let mut problems = Vec::new();
        let mut topics: Vec<String> = Vec::new();
        for &field in &self.nodes[list].children {
            let Some((name, body_lines, line)) = self.fields.get(&field) else { continue };
            let normalized = super::text::normalize_name(&name.chars().collect::<Vec<_>>());
            let Some(&body) = self.nodes[field].children.iter().find(|&&id| self.nodes[id].kind == Kind::FieldBody)
            else {
                continue;
            };
            let content = &self.nodes[body].children;
            let known = TEXT_FIELDS.contains(&normalized.as_str())
                || matches!(normalized.as_str(), "authors" | "dedication" | "abstract");
            if !known {
                continue;
            }
            if content.is_empty() {
                problems.push((format!("Cannot extract empty bibliographic field \"{name}\"."), *line));
                continue;
            }
            let kind = |id: NodeId| self.nodes[id].kind;
            if TEXT_FIELDS.contains(&normalized.as_str()) {
                let single_paragraph = content.len() == 1 && kind(content[0]) == Kind::Paragraph;
                // "A. Name" parses as an enumerated list; docutils re-parses
                // a one-line body as a paragraph.
                let initial = kind(content[0]) == Kind::EnumeratedList && *body_lines <= 1;
                if !single_paragraph && !initial {
                    let tags: Vec<String> = content
                        .iter()
                        .filter(|&&id| !matches!(kind(id), Kind::Message(_)))
                        .map(|&id| format!("<{}>", tag_name(kind(id))))
                        .collect();
                    let described = if tags.len() > 1 {
                        format!("[{}]", tags.join(", "))
                    } else {
                        format!("a {}", tags.first().map_or("", String::as_str))
                    };
                    problems.push((
                        format!("Bibliographic field \"{name}\"\nmust contain a single <paragraph>, not {described}."),
                        *line,
                    ));
                }
            } else if normalized == "authors" {
                let paragraph_items = |list: NodeId| {
                    let items: Vec<NodeId> = self.nodes[list]
                        .children
                        .iter()
                        .copied()
                        .filter(|&item| !matches!(kind(item), Kind::Comment { .. }))
                        .collect();
                    !items.is_empty()
                        && items.iter().all(|&item| {
                            let inner = &self.nodes[item].children;
                            inner.len() == 1 && kind(inner[0]) == Kind::Paragraph
                        })
                };
                let valid = if content.len() == 1 {
                    match kind(content[0]) {
                        Kind::Paragraph => true,
                        Kind::BulletList => paragraph_items(content[0]),
                        _ => false,
                    }
                } else {
                    content.iter().all(|&id| matches!(kind(id), Kind::Paragraph | Kind::Comment { .. }))
                        && content.iter().any(|&id| kind(id) == Kind::Paragraph)
                };
                if !valid {
                    problems.push((
                        format!(
                            "Cannot extract \"{name}\" from bibliographic field:\n\
                             Bibliographic field \"{name}\" must contain either\n \
                             a single paragraph (with author names separated by a character from the set \";,\"),\n \
                             multiple paragraphs (one per author),\n \
                             or a bullet list with one author name per item.\n\
                             Note: Leading initials can cause (mis)recognizing names as enumerated list."
                        ),
                        *line,
                    ));
                }
            } else if topics.contains(&normalized) {
                problems.push((format!("There can only be one \"{name}\" field."), *line));
            } else {
                topics.push(normalized);
            }
        }
        for (message, line) in problems {
            self.report(RstLevel::Warning, message, line);
        }
    }

    /// `nodes.transition.validate_position` and `misc.Transitions`: a
    /// transition may not begin or end the document or a section, nor
    /// follow another transition. As docutils does, a transition at the end
    /// of a section moves after it, and each warning is inserted after its
    /// transition (so a later transition no longer directly follows it).
    fn check_transitions(&mut self) {
        self.visit_transitions(Self::ROOT, 0);
    }

    fn visit_transitions(&mut self, container: NodeId, depth: usize) {
        if depth > 256 {
            return;
        }
        let mut index = 0;
        while index < self.nodes[container].children.len() {
            let child = self.nodes[container].children[index];
            match self.nodes[child].kind {
                Kind::Section => self.visit_transitions(child, depth + 1),
                Kind::Transition => self.check_transition(child, container, index),
                _ => {}
            }
            index += 1;
        }
    }

    fn check_transition(&mut self, node: NodeId, parent: NodeId, index: usize) {
        let line = self.nodes[node].line.unwrap_or(1);
        let children = &self.nodes[parent].children;
        let ignored = |id: &NodeId| self.nodes[*id].kind.is_ignored_by_transition();
        let after_transition = index > 0 && self.nodes[children[index - 1]].kind == Kind::Transition;
        let at_start = children[..index].iter().all(ignored);
        let at_end = children[index + 1..].iter().all(ignored);
        let mut parent = parent;
        if at_end {
            match self.moved_to(parent) {
                Some((new_parent, position)) => {
                    self.nodes[parent].children.retain(|&id| id != node);
                    self.nodes[new_parent].children.insert(position, node);
                    self.nodes[node].parent = Some(new_parent);
                    parent = new_parent;
                }
                None => self.warn_transition(node, "Transition at the end of the document.", line),
            }
        }
        if at_start {
            let place = if parent == Self::ROOT { "document" } else { "section" };
            self.warn_transition(node, &format!("Transition at the start of the {place}."), line);
        } else if after_transition {
            self.warn_transition(node, "At least one body element should separate transitions.", line);
        }
    }

    /// Reports a transition warning and inserts its message after the
    /// transition.
    fn warn_transition(&mut self, node: NodeId, message: &str, line: usize) {
        self.report(RstLevel::Warning, message, line);
        let Some(parent) = self.nodes[node].parent else { return };
        let position = self.nodes[parent].children.iter().position(|&id| id == node).map_or(0, |index| index + 1);
        let warning = self.create(Kind::Message(2), Some(line));
        self.nodes[warning].parent = Some(parent);
        self.nodes[parent].children.insert(position, warning);
    }

    /// Where a transition at the end of `node` moves to: the nearest
    /// ancestor in which something follows, and the position after `node`'s
    /// branch there (`None` at the end of the document).
    fn moved_to(&self, node: NodeId) -> Option<(NodeId, usize)> {
        let mut current = node;
        while let Some(parent) = self.nodes[current].parent {
            let children = &self.nodes[parent].children;
            let position = children.iter().position(|&id| id == current)?;
            if position + 1 < children.len() {
                return Some((parent, position + 1));
            }
            current = parent;
        }
        None
    }
}

/// The nodes of a graph that lie on a cycle (Tarjan's strongly connected
/// components, without recursion: a component of several nodes, or a node
/// with an edge to itself).
fn cyclic_nodes(edges: &[Vec<usize>]) -> Vec<bool> {
    let count = edges.len();
    let mut order = vec![usize::MAX; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut cyclic = vec![false; count];
    let mut next_order = 0;
    for root in 0..count {
        if order[root] != usize::MAX {
            continue;
        }
        // (node, index of the next edge to look at)
        let mut work = vec![(root, 0usize)];
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if let Some(&next) = edges[node].get(*edge) {
                *edge += 1;
                if order[next] == usize::MAX {
                    order[next] = next_order;
                    low[next] = next_order;
                    next_order += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                let loops = component.len() > 1 || edges[node].contains(&node);
                for member in component {
                    cyclic[member] = loops;
                }
            }
        }
    }
    cyclic
}

/// An approximation of `nodes.make_id` for identifiers in messages: lower
/// case, runs of other characters as one hyphen, no hyphen at the end.
fn make_id(name: &str) -> String {
    let mut id = String::new();
    let mut pending_hyphen = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if pending_hyphen && !id.is_empty() {
                id.push('-');
            }
            pending_hyphen = false;
            id.push(c);
        } else if c.is_ascii() || !c.is_alphanumeric() {
            pending_hyphen = true;
        }
    }
    id
}

/// The docutils element name of a kind, for messages.
fn tag_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Paragraph => "paragraph",
        Kind::LiteralBlock => "literal_block",
        Kind::DoctestBlock => "doctest_block",
        Kind::LineBlock => "line_block",
        Kind::BlockQuote => "block_quote",
        Kind::BulletList => "bullet_list",
        Kind::EnumeratedList => "enumerated_list",
        Kind::DefinitionList => "definition_list",
        Kind::FieldList => "field_list",
        Kind::OptionList => "option_list",
        Kind::Table => "table",
        Kind::Comment { .. } => "comment",
        Kind::Target => "target",
        Kind::Footnote => "footnote",
        Kind::Citation => "citation",
        Kind::SubstitutionDefinition => "substitution_definition",
        Kind::Pending | Kind::PendingClass => "pending",
        Kind::Topic => "topic",
        Kind::Sidebar => "sidebar",
        Kind::Figure => "figure",
        Kind::Container => "container",
        Kind::Compound => "compound",
        Kind::Rubric => "rubric",
        Kind::MathBlock => "math_block",
        Kind::Transition => "transition",
        _ => "element",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 0
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        assert_eq!(cyclic_nodes(&edges), vec![true, true, true, true, false]);
        let chain: Vec<Vec<usize>> = (0..10_000).map(|i| if i + 1 < 10_000 { vec![i + 1] } else { vec![] }).collect();
        assert!(cyclic_nodes(&chain).iter().all(|&cyclic| !cyclic));
    }

    #[test]
    fn wrapped_lines() {
        let mut document = Document::new();
        document.line_count = 10;
        assert_eq!(document.wrap(3), 3);
        assert_eq!(document.wrap(0), 10);
        assert_eq!(document.wrap(-2), 8);
        assert_eq!(document.reporter_line(9), Some(10));
        assert_eq!(document.reporter_line(10), Some(11));
        assert_eq!(document.reporter_line(11), None);
        assert_eq!(document.reporter_line(-1), Some(10));
    }

    #[test]
    fn ids() {
        assert_eq!(make_id("Foo Bar_baz"), "foo-bar-baz");
        assert_eq!(make_id("a--b-"), "a-b");
    }
}
