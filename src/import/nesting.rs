//! HTML parsed with a bound on the parser's own work: html5ever is fed a page (or a feed
//! item's HTML) in chunks, building dom_query's tree through a sink that records how deep
//! each node lands and how many it makes; once a node lands deeper than [`MAX_HTML_DEPTH`],
//! or the nodes outgrow the source read so far, the feeding stops and the document is
//! refused. Every HTML parse of the importers goes through here.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use dom_query::{Document, NodeId};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::TokenizerOpts;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeBuilderOpts, TreeSink};
use html5ever::{Attribute, LocalName, ParseOpts, Parser, QualName, ns};

/// Deepest element nesting a page may have. Real pages stay below a few hundred; the tree
/// builder's steps look through its stack of open elements, and extraction walks the tree,
/// so work grows with the square of the depth (10,000 levels took minutes).
pub(crate) const MAX_HTML_DEPTH: usize = 1000;

/// Most nodes the parser may make per byte of source, beyond [`BASE_NODES`]. A page makes
/// well under one node per byte; formatting elements left open are reopened (cloned) by the
/// parser in every block after them, so `<p><b id=1>x</p><p><b id=2>x</p>...` makes a number
/// of nodes growing with the square of its length.
pub(crate) const NODES_PER_BYTE: usize = 8;

/// Nodes any page may make, whatever its length.
const BASE_NODES: usize = 20_000;

/// Most attributes one tag may have. The tokenizer compares each attribute of a tag with
/// every earlier one (to drop duplicates), so its work grows with the square of a tag's
/// attributes (20,000 in one tag took seconds) and no tree sink sees them before the tag
/// ends. Real tags have a few dozen at most.
pub(crate) const MAX_TAG_ATTRIBUTES: usize = 256;

/// How much of the source the parser is given at a time: once a chunk has gone over a bound,
/// no more is parsed, so the work done past the bound is at most one chunk's.
const CHUNK_BYTES: usize = 1024;

/// Which bound a parse went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    /// A node landed more than [`MAX_HTML_DEPTH`] deep.
    Depth,
    /// More than [`NODES_PER_BYTE`] nodes per byte read (beyond [`BASE_NODES`]).
    Nodes,
    /// A tag with more than [`MAX_TAG_ATTRIBUTES`] attributes.
    Attributes,
}

/// The parse stopped at a bound; nothing of the document is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refused {
    /// The bound it went over.
    pub(crate) bound: Bound,
    /// How much of the source had been given to the parser when it stopped.
    pub(crate) parsed_bytes: usize,
    /// How many nodes the parser had made by then.
    pub(crate) nodes: usize,
}

impl Refused {
    /// Why the document is refused, for the import report.
    pub(crate) fn reason(&self) -> String {
        match self.bound {
            Bound::Depth => format!(
                "elements nested more than {MAX_HTML_DEPTH} levels deep: refused, nothing of it imported"
            ),
            Bound::Nodes => format!(
                "formatting elements left open are reopened by the parser again and again (more than {NODES_PER_BYTE} elements per byte of the page): refused, nothing of it imported"
            ),
            Bound::Attributes => format!(
                "a tag with more than {MAX_TAG_ATTRIBUTES} attributes: refused, nothing of it imported"
            ),
        }
    }
}

/// A whole page, parsed as dom_query's `Document::from` parses it, within [`MAX_HTML_DEPTH`].
pub(crate) fn parse_page(html: &str) -> Result<Document, Refused> {
    parse_page_within(html, MAX_HTML_DEPTH)
}

/// A fragment (a feed item's HTML), parsed as dom_query's `Document::fragment` parses it
/// (in a `body`), within [`MAX_HTML_DEPTH`].
pub(crate) fn parse_fragment(html: &str) -> Result<Document, Refused> {
    parse_fragment_within(html, MAX_HTML_DEPTH)
}

fn parse_page_within(html: &str, limit: usize) -> Result<Document, Refused> {
    let sink = BoundedSink::new(Document::default(), limit);
    feed(html5ever::parse_document(sink, parse_opts(false)), html)
}

fn parse_fragment_within(html: &str, limit: usize) -> Result<Document, Refused> {
    let sink = BoundedSink::new(Document::fragment_sink(), limit);
    let context = QualName::new(None, ns!(html), LocalName::from("body"));
    let parser = html5ever::parse_fragment(sink, parse_opts(true), context, Vec::new(), false);
    feed(parser, html)
}

/// The options dom_query parses with (scripts off, so `<noscript>` content is parsed).
fn parse_opts(drop_doctype: bool) -> ParseOpts {
    ParseOpts {
        tokenizer: TokenizerOpts::default(),
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            drop_doctype,
            ..TreeBuilderOpts::default()
        },
    }
}

/// Gives `html` to the parser a chunk at a time, stopping as soon as the tree is too deep.
fn feed(mut parser: Parser<BoundedSink>, html: &str) -> Result<Document, Refused> {
    let mut rest = html;
    let mut tags = TagScan::default();
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        if !tags.read(chunk.as_bytes()) {
            let parsed_bytes = html.len() - rest.len();
            return Err(parser
                .tokenizer
                .sink
                .sink
                .stopped(Bound::Attributes, parsed_bytes));
        }
        parser.process(StrTendril::from_slice(chunk));
        rest = tail;
        let parsed_bytes = html.len() - rest.len();
        if let Some(stopped) = parser.tokenizer.sink.sink.over_bound(parsed_bytes) {
            return Err(stopped);
        }
    }
    let sink = parser.finish();
    if let Some(stopped) = sink.over_bound(html.len()) {
        return Err(stopped);
    }
    if sink.deepest_exceeds_limit() {
        return Err(sink.stopped(Bound::Depth, html.len()));
    }
    Ok(sink.document)
}

// ---

/// Where the tokenizer is, followed byte by byte ahead of the parser: the HTML standard's
/// tokenizer states for tags and their attributes, comments, and the elements whose content
/// is raw text (`script`, `style`, ...), where a `<` starts no tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum TagState {
    #[default]
    Text,
    TagOpen,
    /// After `<!`, with the dashes seen (two start a comment).
    MarkupOpen(u8),
    /// Inside `<!-- -->`: 1 after `-`, 2 after `--`, 3 after `--!`.
    Comment(u8),
    /// `<!DOCTYPE ...>`, `<?...>` and other bogus comments, up to `>`.
    Bogus,
    TagName,
    BeforeAttribute,
    AttributeName,
    AfterAttributeName,
    BeforeValue,
    Quoted(u8),
    Unquoted,
    /// Inside a raw-text element, with how much of its end tag (`</script`) was seen.
    RawText(u8),
}

/// The elements whose content the tokenizer reads as text up to their end tag.
const RAW_TEXT_ELEMENTS: [&[u8]; 8] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
];

/// Counts the attributes of the tag being read, ahead of the parser, so that a tag with too
/// many is refused before the tokenizer compares them with each other.
#[derive(Debug, Default)]
struct TagScan {
    state: TagState,
    attributes: usize,
    /// Whether the tag being read is an end tag.
    end_tag: bool,
    /// The tag's name, lower-cased, while it is short enough to be a raw-text element's.
    name: Vec<u8>,
    /// The raw-text element being read (an index into [`RAW_TEXT_ELEMENTS`]).
    raw: usize,
}

impl TagScan {
    /// Follows `bytes`; `false` once a tag has more than [`MAX_TAG_ATTRIBUTES`] attributes.
    fn read(&mut self, bytes: &[u8]) -> bool {
        use TagState::{
            AfterAttributeName, AttributeName, BeforeAttribute, BeforeValue, Bogus, Comment,
            MarkupOpen, Quoted, RawText, TagName, TagOpen, Text, Unquoted,
        };
        for &b in bytes {
            let space = b.is_ascii_whitespace();
            self.state = match (self.state, b) {
                (Text, b'<') => {
                    self.end_tag = false;
                    TagOpen
                }
                (Text, _) => Text,
                (TagOpen, b'!') => MarkupOpen(0),
                (TagOpen, b'?') => Bogus,
                (TagOpen, b'/') if !self.end_tag => {
                    self.end_tag = true;
                    TagOpen
                }
                (TagOpen, b) if b.is_ascii_alphabetic() => {
                    self.attributes = 0;
                    self.name.clear();
                    self.name.push(b.to_ascii_lowercase());
                    TagName
                }
                (TagOpen, b'<') => {
                    self.end_tag = false;
                    TagOpen
                }
                (TagOpen, _) => Text,
                (MarkupOpen(0), b'-') => MarkupOpen(1),
                (MarkupOpen(_), b'-') => Comment(0),
                (MarkupOpen(_) | Bogus, b'>') => Text,
                (MarkupOpen(_) | Bogus, _) => Bogus,
                (Comment(2 | 3), b'>') => Text,
                (Comment(3), b'-') => Comment(1),
                (Comment(d), b'-') => Comment((d + 1).min(2)),
                (Comment(2), b'!') => Comment(3),
                (Comment(_), _) => Comment(0),
                (TagName | BeforeAttribute | AttributeName | AfterAttributeName, b'>')
                | (BeforeValue | Unquoted, b'>') => self.tag_end(),
                (TagName, b'/') | (AttributeName | AfterAttributeName, b'/') => BeforeAttribute,
                (TagName, _) if space => BeforeAttribute,
                (TagName, b) => {
                    if self.name.len() <= 8 {
                        self.name.push(b.to_ascii_lowercase());
                    }
                    TagName
                }
                (BeforeAttribute, b'/') => BeforeAttribute,
                (BeforeAttribute, _) if space => BeforeAttribute,
                (AttributeName | AfterAttributeName, b'=') => BeforeValue,
                (AttributeName, _) if space => AfterAttributeName,
                (AttributeName, _) => AttributeName,
                (AfterAttributeName, _) if space => AfterAttributeName,
                (BeforeAttribute | AfterAttributeName, _) => {
                    self.attributes += 1;
                    if self.attributes > MAX_TAG_ATTRIBUTES {
                        return false;
                    }
                    AttributeName
                }
                (BeforeValue, b'"' | b'\'') => Quoted(b),
                (BeforeValue, _) if space => BeforeValue,
                (BeforeValue, _) => Unquoted,
                (Quoted(q), b) if b == q => BeforeAttribute,
                (Quoted(q), _) => Quoted(q),
                (Unquoted, _) if space => BeforeAttribute,
                (Unquoted, _) => Unquoted,
                (RawText(seen), b) => self.raw_text(seen, b),
            };
        }
        true
    }

    /// Where a tag's `>` leads: into a raw-text element's content after its start tag,
    /// else to text.
    fn tag_end(&mut self) -> TagState {
        let raw = RAW_TEXT_ELEMENTS
            .iter()
            .position(|name| *name == self.name.as_slice());
        match raw {
            Some(raw) if !self.end_tag => {
                self.raw = raw;
                TagState::RawText(0)
            }
            _ => TagState::Text,
        }
    }

    /// Inside a raw-text element: `seen` bytes of `</name` matched so far; once all are,
    /// the end tag is read as a tag.
    fn raw_text(&mut self, seen: u8, b: u8) -> TagState {
        let name = RAW_TEXT_ELEMENTS.get(self.raw).copied().unwrap_or_default();
        let expected = match seen {
            0 => Some(b'<'),
            1 => Some(b'/'),
            n => name.get(usize::from(n) - 2).copied(),
        };
        if expected == Some(b.to_ascii_lowercase()) {
            if usize::from(seen) + 1 == name.len() + 2 {
                self.end_tag = true;
                self.attributes = 0;
                self.name = name.to_vec();
                return TagState::TagName;
            }
            return TagState::RawText(seen + 1);
        }
        TagState::RawText(u8::from(b == b'<'))
    }
}

/// dom_query's tree builder with a depth recorded for every node placed in the tree. The
/// depth of a node is one more than its parent's; the root's children (the `html` element)
/// are at 0, and a template's contents count as inside the template.
struct BoundedSink {
    document: Document,
    limit: usize,
    depths: RefCell<HashMap<NodeId, usize>>,
    /// Template contents fragment to its template element, and back.
    template_of: RefCell<HashMap<NodeId, NodeId>>,
    contents_of: RefCell<HashMap<NodeId, NodeId>>,
    too_deep: Cell<bool>,
}

impl BoundedSink {
    fn new(document: Document, limit: usize) -> Self {
        Self {
            document,
            limit,
            depths: RefCell::default(),
            template_of: RefCell::default(),
            contents_of: RefCell::default(),
            too_deep: Cell::new(false),
        }
    }

    fn stopped(&self, bound: Bound, parsed_bytes: usize) -> Refused {
        Refused {
            bound,
            parsed_bytes,
            nodes: self.document.tree.len(),
        }
    }

    /// The bound the parse has gone over after reading `parsed_bytes`, if any.
    fn over_bound(&self, parsed_bytes: usize) -> Option<Refused> {
        let node_budget = BASE_NODES.saturating_add(parsed_bytes.saturating_mul(NODES_PER_BYTE));
        if self.too_deep.get() {
            Some(self.stopped(Bound::Depth, parsed_bytes))
        } else if self.document.tree.len() > node_budget {
            Some(self.stopped(Bound::Nodes, parsed_bytes))
        } else {
            None
        }
    }

    /// The depth a child of `parent` lands at.
    fn child_depth(&self, parent: &NodeId) -> usize {
        if *parent == self.document.tree.root_id() {
            return 0;
        }
        let parent = self
            .template_of
            .borrow()
            .get(parent)
            .copied()
            .unwrap_or(*parent);
        self.depths
            .borrow()
            .get(&parent)
            .map_or(0, |depth| depth + 1)
    }

    /// The depth a node placed just before `sibling` lands at.
    fn sibling_depth(&self, sibling: &NodeId) -> usize {
        self.depths.borrow().get(sibling).copied().unwrap_or(0)
    }

    fn place(&self, node: &NodeOrText<NodeId>, depth: usize) {
        if let NodeOrText::AppendNode(node) = node {
            self.depths.borrow_mut().insert(*node, depth);
            let element = || self.document.tree.get(node).is_some_and(|n| n.is_element());
            if depth > self.limit && element() {
                self.too_deep.set(true);
            }
        }
    }

    /// Whether any element of the finished tree is deeper than the limit, measured on the tree
    /// itself in one pass: moving children to a new parent (the adoption agency) can deepen
    /// a subtree without placing each node again.
    fn deepest_exceeds_limit(&self) -> bool {
        let tree = &self.document.tree;
        let contents_of = self.contents_of.borrow();
        let mut pending: Vec<(NodeId, usize)> = tree
            .child_ids_of_it(&tree.root_id(), false)
            .map(|child| (child, 0))
            .collect();
        while let Some((node, depth)) = pending.pop() {
            if depth > self.limit && tree.get(&node).is_some_and(|node| node.is_element()) {
                return true;
            }
            let contents = contents_of.get(&node).copied();
            pending.extend(contents.map(|contents| (contents, depth)));
            pending.extend(
                tree.child_ids_of_it(&node, false)
                    .map(|child| (child, depth + 1)),
            );
        }
        false
    }
}

impl TreeSink for BoundedSink {
    type Handle = NodeId;
    type Output = Self;
    type ElemName<'a>
        = <Document as TreeSink>::ElemName<'a>
    where
        Self: 'a;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.document.parse_error(msg);
    }

    fn get_document(&self) -> NodeId {
        self.document.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.document.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let template = flags.template;
        let element = self.document.create_element(name, attrs, flags);
        if template {
            let contents = self.document.get_template_contents(&element);
            self.template_of.borrow_mut().insert(contents, element);
            self.contents_of.borrow_mut().insert(element, contents);
        }
        element
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.document.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.document.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.place(&child, self.child_depth(parent));
        self.document.append(parent, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let depth = if self.document.tree.parent_of(element).is_some() {
            self.sibling_depth(element)
        } else {
            self.child_depth(prev_element)
        };
        self.place(&child, depth);
        self.document
            .append_based_on_parent_node(element, prev_element, child);
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.document
            .append_doctype_to_document(name, public_id, system_id);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.document.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.document.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.document.set_quirks_mode(mode);
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.place(&new_node, self.sibling_depth(sibling));
        self.document.append_before_sibling(sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.document.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.document.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let depth = self.child_depth(new_parent);
        for child in self.document.tree.child_ids_of_it(node, false) {
            self.place(&NodeOrText::AppendNode(child), depth);
        }
        self.document.reparent_children(node, new_parent);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.document
            .is_mathml_annotation_xml_integration_point(handle)
    }
}

#[cfg(test)]
mod nesting_tests {
    use super::*;

    fn tag_with(attributes: usize) -> String {
        let mut html = String::from("<p>before</p><div");
        for i in 0..attributes {
            html.push_str(&format!(" a{i}=\"v {i} > w\""));
        }
        html.push_str(">inside</div>");
        html
    }

    fn refusal(html: &str) -> Refused {
        match parse_page(html) {
            Ok(_) => panic!("parsed: {}", &html[..html.len().min(80)]),
            Err(refused) => refused,
        }
    }

    #[test]
    fn a_tag_with_too_many_attributes_is_refused_before_the_tokenizer_compares_them() {
        let refused = refusal(&tag_with(20_000));
        assert_eq!(refused.bound, Bound::Attributes);
        assert!(refused.parsed_bytes < 16 * 1024, "{}", refused.parsed_bytes);
        // Valueless, unquoted and slash-separated attributes count the same.
        let bare = format!("<div{}>", " x".repeat(MAX_TAG_ATTRIBUTES + 1));
        assert_eq!(refusal(&bare).bound, Bound::Attributes);
        let slashed = format!("<div{}>", "/a".repeat(MAX_TAG_ATTRIBUTES + 1));
        assert_eq!(refusal(&slashed).bound, Bound::Attributes);
        // What is not an attribute does not count: quoted values with spaces and '>', text
        // with '<' in it, and many tags of a few attributes each.
        let Ok(page) = parse_page(&tag_with(MAX_TAG_ATTRIBUTES)) else {
            panic!("a tag of {MAX_TAG_ATTRIBUTES} attributes is refused");
        };
        assert_eq!(
            page.select("div").attr("a255").as_deref(),
            Some("v 255 > w")
        );
        let script = format!(
            "<script>if (a<b {}) {{}}</script><p>after</p>",
            "&& x ".repeat(2_000)
        );
        assert!(parse_page(&script).is_ok(), "a script's text is no tag");
        let style = format!("<style>p<b {}</style>", "x ".repeat(2_000));
        assert!(parse_page(&style).is_ok(), "nor a style's");
        let comment = format!("<!-- <b {} -->", "x ".repeat(2_000));
        assert!(parse_page(&comment).is_ok(), "nor a comment's");
        // After the script's end tag, tags count again.
        let after = format!(
            "<script>x</script><div{}>",
            " a".repeat(MAX_TAG_ATTRIBUTES + 1)
        );
        assert_eq!(refusal(&after).bound, Bound::Attributes);
        let words = "a < b c d ".repeat(2_000);
        assert!(parse_page(&format!("<p>{words}</p>")).is_ok());
        assert!(parse_page(&"<i a b c>x</i>".repeat(5_000)).is_ok());
    }

    fn deep(piece: &str) -> String {
        piece.repeat(2_000)
    }

    #[test]
    fn depth_is_measured_on_the_tree_the_parser_builds() {
        // Each of these opens a div that stays open for the parser.
        assert!(parse_page(&deep("<div/>")).is_err(), "<div/>");
        assert!(
            parse_page(&deep("<div></span>")).is_err(),
            "a stray end tag closes nothing"
        );
        assert!(
            parse_page(&format!("<!-- x --!>{}", deep("<div>"))).is_err(),
            "a comment ends at --!>"
        );
        // These do not nest.
        assert!(parse_page(&deep("<div></div>")).is_ok());
        assert!(parse_page(&deep("<br/><img src=x>")).is_ok());
        assert!(parse_page(&format!("<svg>{}</svg>", deep("<path d='M0'/>"))).is_ok());
        assert!(parse_page(&format!("<!-- {} -->", deep("<div>"))).is_ok());
        assert!(
            parse_page(&deep("<div><span></div>")).is_ok(),
            "the div's end closes the span"
        );
    }

    #[test]
    fn the_limit_counts_levels_below_the_root_element() {
        let nested =
            |levels: usize| format!("{}text{}", "<div>".repeat(levels), "</div>".repeat(levels));
        // A fragment's divs sit in its `html` element (depth 0): 1001 divs reach 1001.
        assert!(parse_fragment_within(&nested(1001), 1000).is_err(),);
        assert!(parse_fragment_within(&nested(1001), 1001).is_ok());
        // A page's sit in `body` too.
        assert!(parse_page_within(&nested(1001), 1001).is_err(),);
        assert!(parse_page_within(&nested(1001), 1002).is_ok());
    }

    #[test]
    fn a_bounded_parse_builds_the_tree_dom_query_builds() {
        let page = "<!DOCTYPE html><html><head><title>T</title></head><body><table><b>x<tr><td>1<template><p>in</template></table><p>One<b>two<p>three</b>four<a href=x>link</a>é".repeat(3_000);
        assert!(page.len() > 2 * CHUNK_BYTES, "spans chunks");
        let bounded = parse_page(&page).unwrap();
        assert_eq!(bounded.html(), Document::from(page.as_str()).html());
        let fragment = "<p>Fire &amp; rescue<br>crews<b>arrived</p>".repeat(1_000);
        assert_eq!(
            parse_fragment(&fragment).unwrap().html(),
            Document::fragment(fragment.as_str()).html()
        );
    }

    /// `piece` 20,000 times, with `{i}` replaced by the repetition's number.
    fn repeated(piece: &str) -> String {
        (0..20_000)
            .map(|i| piece.replace("{i}", &i.to_string()))
            .collect()
    }

    #[test]
    fn every_way_of_growing_the_open_elements_is_stopped_early() {
        let depth = [
            "<div/>",
            "<div></span>",
            "<b>",
            "<font color=red>",
            "<a href=x>x<div>",
            "<b><div></b>",
            "<table><tr><td>",
            "<template>",
            "<div><template>",
            "<svg><g>",
            "<math><mrow>",
            "<ul><li><ul>",
        ];
        let nodes = ["<p><b id={i}>y</p>", "<div><b id={i}></div>"];
        let cases = depth
            .iter()
            .map(|piece| (piece, Bound::Depth))
            .chain(nodes.iter().map(|piece| (piece, Bound::Nodes)));
        for (piece, bound) in cases {
            let html = repeated(piece);
            for parsed in [parse_page(&html), parse_fragment(&html)] {
                let Err(stopped) = parsed else {
                    panic!("{piece} was parsed");
                };
                assert_eq!(stopped.bound, bound, "{piece}");
                // The work done: a few chunks of the source, and the nodes they may make.
                assert!(
                    stopped.parsed_bytes <= 16 * CHUNK_BYTES,
                    "{piece}: {stopped:?}"
                );
                assert!(
                    stopped.parsed_bytes * 5 < html.len(),
                    "{piece}: {stopped:?}"
                );
                let budget = BASE_NODES + NODES_PER_BYTE * (stopped.parsed_bytes + CHUNK_BYTES);
                assert!(stopped.nodes <= budget, "{piece}: {stopped:?}");
                if bound == Bound::Depth {
                    assert!(stopped.nodes < 10 * MAX_HTML_DEPTH, "{piece}: {stopped:?}");
                }
            }
        }
    }

    #[test]
    fn what_the_parser_closes_itself_does_not_nest() {
        for piece in [
            "<a>",
            "<table>",
            "<table><div>",
            "<select><option>",
            "<nobr>",
            "<p>x",
        ] {
            let html = repeated(piece);
            for parsed in [parse_page(&html), parse_fragment(&html)] {
                let document = parsed.unwrap_or_else(|stopped| panic!("{piece}: {stopped:?}"));
                assert!(document.tree.len() <= 2 * 20_000 + 10, "{piece}");
            }
        }
    }
}
