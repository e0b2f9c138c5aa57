package markup

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Node kinds of the annotation syntax.
var (
	KindWikilink     = ast.NewNodeKind("Wikilink")
	KindClaim        = ast.NewNodeKind("Claim")
	KindCaveat       = ast.NewNodeKind("Caveat")
	KindInlineCaveat = ast.NewNodeKind("InlineCaveat")
)

// Ref is a name written in the source, with the byte offset where it starts.
type Ref struct {
	Name string
	Pos  int
}

// Link is a resolved reference as the renderers print it.
type Link struct {
	Href  string
	Text  string
	Title string // shown on hover; may be empty
	Kind  string // actor, claim, source, briefing, caveat
	// Status is the status of the claim a link leads to, shown as a badge
	// beside it where a reader weighs the claim in passing (a wikilink,
	// a relation); empty elsewhere.
	Status string
	// Lang is the language of a claim's words, for the link that shows
	// them.
	Lang string
}

// Wikilink is [[prefix:target|label]].
type Wikilink struct {
	ast.BaseInline
	Prefix string // "", actor, claim, source or briefing
	Target string
	Label  string // empty when the link has none
	// InLink is set when the wikilink is among a Markdown link's words,
	// where a link of its own would nest: it is written as its words.
	InLink bool
}

// Kind implements ast.Node.
func (*Wikilink) Kind() ast.NodeKind { return KindWikilink }

// Dump implements ast.Node.
func (n *Wikilink) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Prefix": n.Prefix, "Target": n.Target, "Label": n.Label}, nil)
}

// Display is what the link says: its label, else the name of what it
// resolved to (l, may be nil), else its target as written.
func (n *Wikilink) Display(l *Link) string {
	if n.Label != "" {
		return n.Label
	}
	if l != nil && l.Text != "" {
		return l.Text
	}
	return n.Target
}

// Claim is :claim[words]{attributes}; its children are the words.
type Claim struct {
	ast.BaseInline
	ID     string // explicit #id, or the derived id once the site has set it
	IDPos  int
	AutoID bool // ID was derived, not written
	// AttrPos is the offset of the attribute block, for problems about a
	// missing attribute.
	AttrPos     int
	By          []Ref
	Src         []Ref
	About       []Ref
	Status      string // unverified when not written
	Credibility int    // 0 when not written
	Likelihood  string
	Confidence  string
	Date        string // YYYY-MM-DD, empty when not written
	Contradicts []Ref
	Supports    []Ref
	Updates     []Ref
	// Lang is the BCP 47 tag of the words' language, in its canonical
	// form; empty when not written.
	Lang    string
	LangPos int
	// Origin is the node a site resolved, when this one is of the same
	// body parsed again to be rendered; nil otherwise.
	Origin *Claim
}

// Kind implements ast.Node.
func (*Claim) Kind() ast.NodeKind { return KindClaim }

// Dump implements ast.Node.
func (n *Claim) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"ID": n.ID, "By": refNames(n.By), "Src": refNames(n.Src), "Status": n.Status}, nil)
}

// ClaimView is what a claim's inline marker shows.
type ClaimView struct {
	Href       string
	Anchor     string // element id on the briefing page
	Status     string
	Grade      string // e.g. B3; empty when there is no source
	GradeTitle string // the words behind the grade
	By         []Link
	Sources    []Link // Title carries each source's grade
	Caveats    []Link
	// Notes are the numbers of its sources in the list of sources its
	// page cites, for print, where the card is not shown: end notes.
	Notes []int
	// Relations are the claims it contradicts, supports or updates and
	// those that do so to it, by kind in the order of RelationKinds;
	// kinds without claims are left out.
	Relations []Relation
	// Newer is the latest claim that updates this one, Older the latest
	// one this one updates; nil when there is none.
	Newer, Older *Dated
	// Lang is the words' language; Dir their direction: rtl or ltr when
	// Lang says, else auto, so that a quotation in another script is
	// isolated from the sentence around it.
	Lang, Dir string
	// Likelihood and Confidence are the analyst's judgement of the
	// claim, as the claim's attributes give them; empty when not given.
	Likelihood, Confidence string
}

// Relation is the claims related to one claim in one way.
type Relation struct {
	Kind   string // one of RelationKinds
	Claims []Link // with their Status
}

// RelationKinds are the ways claims relate, in the order cards list them,
// each with the words that introduce the claims related so.
var RelationKinds = []struct{ Kind, Label string }{
	{"contradicted-by", "Contradicted by"}, {"contradicts", "Contradicts"},
	{"updated-by", "Updated by"}, {"updates", "Updates"},
	{"supported-by", "Supported by"}, {"supports", "Supports"},
}

// RelationLabel is the words that introduce the claims related by kind.
func RelationLabel(kind string) string {
	for _, k := range RelationKinds {
		if k.Kind == kind {
			return k.Label
		}
	}
	return kind
}

// Dated is a link to a claim with the date it was made.
type Dated struct {
	Link
	ISODate string // YYYY-MM-DD; empty when undated
	Date    string // as a reader reads it, e.g. 23 Nov
}

// CaveatAttrs are the attributes both caveat forms share.
type CaveatAttrs struct {
	ID      string
	IDPos   int
	AutoID  bool
	AttrPos int
	On      []Ref
	By      []Ref
	// Origin is as Claim's.
	Origin *CaveatAttrs
}

// CaveatView is what a rendered caveat links to.
type CaveatView struct {
	Anchor string
	Href   string
	On     []Link
	By     []Link
}

// Caveat is the block form :::caveat{…} … :::.
type Caveat struct {
	ast.BaseBlock
	CaveatAttrs
	fence  int
	closed bool
	depth  int // 1 for a caveat in no other, else one more than the one around it
}

// Kind implements ast.Node.
func (*Caveat) Kind() ast.NodeKind { return KindCaveat }

// Dump implements ast.Node.
func (n *Caveat) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"ID": n.ID, "On": refNames(n.On)}, nil)
}

// InlineCaveat is :caveat[words]{…}.
type InlineCaveat struct {
	ast.BaseInline
	CaveatAttrs
}

// Kind implements ast.Node.
func (*InlineCaveat) Kind() ast.NodeKind { return KindInlineCaveat }

// Dump implements ast.Node.
func (n *InlineCaveat) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"ID": n.ID, "On": refNames(n.On)}, nil)
}

// Attrs returns the caveat attributes of either caveat form, or nil.
func Attrs(n ast.Node) *CaveatAttrs {
	switch n := n.(type) {
	case *Caveat:
		return &n.CaveatAttrs
	case *InlineCaveat:
		return &n.CaveatAttrs
	}
	return nil
}

func refNames(refs []Ref) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.Name
	}
	return strings.Join(names, ",")
}

// Vocabularies of the claim attributes, in the order the SPEC lists them.
var (
	Statuses    = []string{"unverified", "corroborated", "disputed", "refuted"}
	Likelihoods = []string{"almost-no-chance", "very-unlikely", "unlikely", "roughly-even-chance", "likely", "very-likely", "almost-certain"}
	Confidences = []string{"low", "moderate", "high"}
)

// LikelihoodWords says each likelihood with the range of probability it
// stands for (ICD 203).
var LikelihoodWords = map[string]string{
	"almost-no-chance":    "almost no chance (1–5%)",
	"very-unlikely":       "very unlikely (5–20%)",
	"unlikely":            "unlikely (20–45%)",
	"roughly-even-chance": "roughly even chance (45–55%)",
	"likely":              "likely (55–80%)",
	"very-likely":         "very likely (80–95%)",
	"almost-certain":      "almost certain (95–99%)",
}
