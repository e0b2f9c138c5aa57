// Package site turns the files of a briefing site into one resolved Model.
//
// The flow is one way: Load reads content/, templates/ and static/ from an
// fs.FS; Parse turns each content file into a Page (front matter decoded with
// positions, body parsed by goldmark with the markup extension), on all
// cores; Resolve builds the Model only after every page is parsed: it
// assigns ids, resolves every reference, fills backlinks and relations in
// both directions, grades claims, and reports every problem as a diagnostic
// with its file, line and column. Rendering is the render package's job; the
// Model is what it reads.
//
// Parsing is per file and depends on nothing else, so a watcher may keep the
// parsed pages of unchanged files and call Resolve again with a changed set.
// A parsed Page is never written after parsing, so several Models may share
// it. A Model is written only by Patch, which swaps in new parses of pages
// whose references did not change, and by Update, which, for a model
// resolved with Options.Track, withdraws what changed pages put into the
// model and applies what they put in now, resolving again only the pages
// that named what changed: the model it leaves is the one Resolve makes of
// the same pages, at the cost of the edit instead of the site. Markdown is
// rendered lazily, on first use, so that a server rendering one page
// renders only what that page shows.
//
// A build, which resolves the site once and shows each body once, parses
// with ParseLean instead: a briefing's tree is dropped once parsed, its
// body rendered as it is parsed into Bodies, with holes the Model fills in
// when the page is written, and Shed then drops what the pages no longer
// need. Its pages are the bytes a kept tree gives.
package site

import (
	"bytes"
	"html/template"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"briefing/generator/diag"
	"briefing/generator/markup"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
)

// Section is where a page lives: content/briefings, actors, sources, or the
// home page's _index.md.
type Section string

// The sections.
const (
	Home      Section = ""
	Briefings Section = "briefings"
	Actors    Section = "actors"
	Sources   Section = "sources"
	Other     Section = "?" // a file in content/ that is none of the above
)

// Page is one parsed content file. The section-specific fields are set by
// the front matter of that section; the rest stay zero.
type Page struct {
	Path    string // slash path relative to the site folder, e.g. content/actors/peskov.md
	Section Section
	ID      string // file name without .md; the briefing slug, actor id or source id
	Params  map[string]any

	// Briefing
	Title    string
	Date     time.Time
	Dateline string
	Summary  string
	Tags     []string
	tagSlugs []string // Tags as URL segments
	tagPos   []int    // file offsets of Tags
	Draft    bool

	// Actor
	Name        string
	ActorKind   string
	Role        string
	Affiliation markup.Ref
	Aliases     []string

	// Source
	Publisher   markup.Ref
	SourceURL   string // the url: of the front matter
	Reliability string
	Credibility int

	// Home page
	Description string
	Language    string // a BCP 47 tag, in its canonical form
	RawHTML     bool

	// What the body holds, in document order.
	Claims    []*markup.Claim
	Caveats   []ast.Node // *markup.Caveat or *markup.InlineCaveat
	Wikilinks []*markup.Wikilink

	// tree is the goldmark document of the body, never written after
	// parsing; nil for a briefing parsed by ParseLean. markdown is the
	// body, which its segments point into. Both are the model's own (see
	// Model.Doc): a site's templates read the body as HTML, TOC and text,
	// which a build and the server make alike.
	tree     ast.Node
	markdown []byte
	lean     bool // parsed by ParseLean: tree is not kept
	// shed: markdown, src, lines and the words of claims and caveats are
	// dropped, and the body is read again when shown (see Model.Shed).
	shed    bool
	bodySum uint64 // XXH3 of markdown, when shed
	// rendered is the body rendered while it was parsed, when it was
	// (see Bodies).
	rendered *renderedBody

	src []byte // the whole file, as it is read
	// saved is the file as saved, where src had to differ from it to be
	// read (a lone CR made a line feed, a forbidden character a space):
	// FreezeIDs writes ids into it, leaving the rest as the author had it.
	saved   []byte
	bodyOff int
	lines   []int32 // offsets of line starts in src
	marks   []int32 // characters before every markEvery-th byte of src
	diags   diag.List
	// draftDiags are among diags and reported even when the page is a
	// skipped draft.
	draftDiags diag.List
	// claimOf maps each wikilink inside a claim's words to that claim.
	claimOf map[*markup.Wikilink]*markup.Claim
	// links are the body's links and images and its raw HTML, for
	// checking where they lead (see Model.Links).
	links []pageLink
	// anchors are the ids of the body's headings.
	anchors []string
	// plain is the text of a briefing's body, for its search entry.
	plain *markup.Plain
}

// Model is the resolved site: every entity, linked both ways.
type Model struct {
	Title       string
	Description string
	// Language is the BCP 47 tag of the site's language, from the home
	// page's language: key; "en" when it has none.
	Language string
	Intro    *Page // content/_index.md, may be nil
	BasePath string
	// BaseURL is where the site is published, e.g. https://host/sub/path/,
	// or "" when the build was not told.
	BaseURL string
	RawHTML bool

	Briefings []*Briefing // newest first
	Actors    []*Actor    // by name
	Sources   []*Source   // by title
	Claims    []*Claim    // newest first, then id
	Caveats   []*Caveat   // newest first, then id
	Tags      []*Tag      // by slug

	Drafts int // skipped drafts

	briefings map[string]*Briefing
	actors    map[string]*Actor
	sources   map[string]*Source
	claims    map[string]*Claim
	caveats   map[string]*Caveat

	// actorNames maps lower-cased ids, aliases and names to actors.
	actorNames map[string][]*Actor
	md         goldmark.Markdown
	away       goldmark.Markdown                 // md for words shown away from their page (see writeChildren)
	read       func(path string) ([]byte, error) // the site's files, after Shed
	intro      lazyHTML
	opts       Options
	track      *tracker // what Update needs; nil unless Options.Track
}

// lazyText is plain text computed on first use.
type lazyText struct {
	once  sync.Once
	s     string
	short string // s cut for lists, where the owner keeps one
}

// lazyHTML is Markdown rendered on first use, at most once, so that a server
// rendering one page renders only the Markdown that page shows.
type lazyHTML struct {
	once sync.Once
	html template.HTML
}

func (l *lazyHTML) get(render func(*bytes.Buffer)) template.HTML {
	l.once.Do(func() {
		var buf bytes.Buffer
		render(&buf)
		l.html = template.HTML(buf.String())
	})
	return l.html
}

// AbsURL is the address of the site path p (below the base, e.g.
// "claims/x/") for use outside the site: feeds, the sitemap, canonical
// links. Without a BaseURL it is the path from the domain root, which is
// all a build that was not told its address can give.
func (m *Model) AbsURL(p string) string {
	p = strings.TrimPrefix(p, "/")
	if m.BaseURL == "" {
		return m.BasePath + p
	}
	return m.BaseURL + p
}

// document renders a whole page body.
func (m *Model) document(l *lazyHTML, pg *Page) template.HTML {
	return l.get(func(buf *bytes.Buffer) { m.writeDoc(buf, pg) })
}

// children renders what a node contains, without the node's own markup.
func (m *Model) children(l *lazyHTML, n ast.Node, src []byte) template.HTML {
	return l.get(func(buf *bytes.Buffer) { m.writeChildren(buf, n, src) })
}

// IntroHTML is the body of content/_index.md.
func (m *Model) IntroHTML() template.HTML {
	if m.Intro == nil {
		return ""
	}
	return m.document(&m.intro, m.Intro)
}

// HTML is the briefing's body.
func (b *Briefing) HTML() template.HTML { return b.m.document(&b.body, b.Page) }

// HTML is the actor's profile text.
func (a *Actor) HTML() template.HTML { return a.m.document(&a.body, a.Page) }

// HTML is the source's description.
func (s *Source) HTML() template.HTML { return s.m.document(&s.body, s.Page) }

// Words is the claim's wording as HTML.
func (c *Claim) Words() template.HTML { return c.m.children(&c.words, c.Node, c.Page.markdown) }

// HTML is the caveat's text.
func (cv *Caveat) HTML() template.HTML { return cv.m.children(&cv.body, cv.Node, cv.Page.markdown) }

// Names reports whether the briefing's text names a by a wikilink, as
// opposed to mentioning a only through its claims and caveats.
func (b *Briefing) Names(a *Actor) bool { return slices.Contains(b.wlActors, a) }

// Briefing is a resolved briefing.
type Briefing struct {
	*Page
	URL     string
	Claims  []*Claim  // defined here, in order
	Caveats []*Caveat // written here, in order
	Actors  []*Actor  // named in its text, saying or subject of its own claims, or writing its caveats; by name
	Sources []*Source // cited, by title
	Cited   []*Claim  // claims of other briefings referenced here
	TagList []*Tag
	m       *Model
	body    lazyHTML
	rank    int // index in Model.Briefings

	// What its own wikilinks name, and every claim that appears in it:
	// what Actors, Sources and Cited are made of.
	wlActors  []*Actor
	wlSources []*Source
	linked    []*Claim
	appearing []*Claim
	dead      bool  // removed from the model by Update
	unix      int64 // Date, as the lists are ordered by
}

// Actor is a resolved actor.
type Actor struct {
	*Page
	URL         string
	Affiliate   *Actor   // the actor named by affiliation, if any
	Members     []*Actor // actors whose affiliation is this one
	Published   []*Source
	ClaimsBy    []*Claim    // newest first
	ClaimsAbout []*Claim    // newest first
	Mentioned   []*Briefing // newest first
	Caveats     []*Caveat   // written by this actor
	Cited       int         // claims by + claims about + briefings mentioning
	m           *Model
	body        lazyHTML
	rank        int         // index in Model.Actors
	used        atomic.Bool // something refers to it
	uses        int         // how many references, when tracked
	dead        bool
	sortKey     string // the name lower-cased
}

// Source is a resolved source.
type Source struct {
	*Page
	URL             string
	PublisherActor  *Actor
	PublisherName   string
	Claims          []*Claim // newest first
	ReliabilityText string
	CredibilityText string
	m               *Model
	body            lazyHTML
	used            atomic.Bool // something refers to it
	uses            int         // how many references, when tracked
	dead            bool
	sortKey         string // the title lower-cased
	web             bool   // see Web
}

// Web reports whether the source's address (SourceURL) is on the web, one
// a search engine can follow: http or https, with a host.
func (s *Source) Web() bool { return s.web }

// Claim is a resolved claim.
type Claim struct {
	ID          string
	URL         string
	Node        *markup.Claim
	Page        *Page     // where it is written
	Briefing    *Briefing // the same page when it is a briefing
	text        lazyText
	flat        lazyText // text with linked claims as ids
	By          []*Actor
	About       []*Actor
	Sources     []*Source
	Status      string
	lang        string // Node.Lang, beside what a list of claims reads
	Credibility int
	Likelihood  string
	Confidence  string
	Date        time.Time
	Grade       Grade

	Contradicts, Supports, Updates         []*Claim
	ContradictedBy, SupportedBy, UpdatedBy []*Claim
	Caveats                                []*Caveat
	AppearsIn                              []*Briefing // home first, then by date
	m                                      *Model
	words                                  lazyHTML
	linkedBy                               []*Briefing // briefings whose wikilinks name it
	// circle is the claims of a circle of updates this claim is the
	// lowest id of, by id, from markCircles; nil for any other claim.
	circle   []*Claim
	dead     bool
	moved    bool  // resolved again by Update and dated anew
	prevUnix int64 // unix before Update resolved it again
	unix     int64 // Date, as the lists are ordered by
}

// Caveat is a resolved analyst caveat.
type Caveat struct {
	ID       string
	URL      string
	Node     ast.Node
	Attrs    *markup.CaveatAttrs
	Page     *Page
	Briefing *Briefing
	text     lazyText
	On       []*Claim
	By       []*Actor
	Date     time.Time
	m        *Model
	body     lazyHTML
	seq      int // index among its page's caveats
	dead     bool
	unix     int64 // Date, as the lists are ordered by
}

// Tag groups briefings.
type Tag struct {
	Name      string
	Slug      string // the folder of its page, as written to disk
	URL       string // percent-encoded
	Briefings []*Briefing
	first     *Page // where Name is spelled so
	firstPos  int
}

// Grade is a claim's Admiralty grade: its best source's reliability letter and
// its credibility digit.
type Grade struct {
	Reliability string // A–F, empty without a source
	Credibility int    // 1–6, 0 when unknown
	// Default: the credibility is the one the source gives its claims,
	// not judged for this claim. Said in the title, so that "unverified
	// A2" does not read as "probably true" said of this claim.
	Default bool
}

// String is e.g. B3, or "" when ungraded.
func (g Grade) String() string {
	if g.Reliability == "" && g.Credibility == 0 {
		return ""
	}
	r, c := g.Reliability, "?"
	if r == "" {
		r = "?"
	}
	if g.Credibility > 0 {
		c = string(rune('0' + g.Credibility))
	}
	return r + c
}

// Title is the words behind the grade.
func (g Grade) Title() string {
	if t, ok := gradeTitles[g]; ok {
		return t
	}
	return g.title()
}

// Grades is every grade a source can give a claim.
func Grades() []Grade {
	var out []Grade
	for _, r := range []string{"", "A", "B", "C", "D", "E", "F"} {
		for c := range 7 {
			for _, d := range []bool{false, true} {
				out = append(out, Grade{Reliability: r, Credibility: c, Default: d})
			}
		}
	}
	return out
}

// gradeTitles holds the title of every grade of Grades, made once: every
// listed claim shows one.
var gradeTitles = func() map[Grade]string {
	out := map[Grade]string{}
	for _, g := range Grades() {
		out[g] = g.title()
	}
	return out
}()

func (g Grade) title() string {
	r := ReliabilityText[g.Reliability]
	if r == "" {
		r = "reliability not given"
	}
	c := "credibility not given"
	if g.Credibility > 0 {
		c = CredibilityText[g.Credibility]
	}
	if g.Default {
		c += " (the source's usual credibility, not judged for this claim)"
	}
	return r + "; " + c
}

// The Admiralty code's words.
var (
	ReliabilityText = map[string]string{
		"A": "A: completely reliable",
		"B": "B: usually reliable",
		"C": "C: fairly reliable",
		"D": "D: not usually reliable",
		"E": "E: unreliable",
		"F": "F: reliability cannot be judged",
	}
	CredibilityText = map[int]string{
		1: "1: confirmed by other sources",
		2: "2: probably true",
		3: "3: possibly true",
		4: "4: doubtful",
		5: "5: improbable",
		6: "6: truth cannot be judged",
	}
)

// Dir is the dir attribute of the site's pages: rtl when its language is
// written right to left (language: ar), else empty, as left to right is
// every page's default.
func (m *Model) Dir() string {
	if markup.Direction(m.Language) == "rtl" {
		return "rtl"
	}
	return ""
}
