// Package markup is the briefing annotation syntax as a goldmark v1 extension.
//
// It adds three things to CommonMark + GFM, following the CommonMark generic
// directives proposal and Obsidian wikilinks:
//
//	[[target]]  [[prefix:target|label]]        a Wikilink to an actor, claim, source or briefing
//	:claim[words]{#id by=a src=s,t status=…}   an inline Claim; the words stay in the sentence
//	:caveat[words]{on=claim by=analyst}        an inline Caveat
//	:::caveat{on=a,b by=analyst}               a block Caveat, closed by a line of at least
//	…                                          as many colons; longer fences nest shorter ones
//	:::
//
// Parsing checks syntax and vocabulary only: attribute names, the values of
// status, credibility, likelihood, confidence, date and lang, and id slugs. Every
// problem is recorded as a Problem with its byte offset in the source; use
// Problems to read them after parsing. Whether a name resolves to anything is
// the site's business: the renderers ask a Resolver what each node resolved
// to and only print that, so the parsed tree is never written to and may be
// shared by several resolved sites; a node the Resolver does not know renders
// as plain, clearly marked text.
package markup

import (
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// DefaultMaxDepth is how deep claims and caveats nest when the site does
// not say otherwise (SPEC §3).
const DefaultMaxDepth = 8

// Extension adds the annotation syntax and its renderers to a goldmark.Markdown.
type Extension struct {
	// Resolver tells the renderers what nodes resolved to; nil renders
	// every node unresolved, which is enough for a Markdown that only parses.
	Resolver Resolver
	// MaxDepth is how deep claims and caveats, inline and block, may nest
	// inside one another; 0 means DefaultMaxDepth. An opening past it is a
	// problem and it stays plain text, so that no input nests without bound.
	MaxDepth int
	// BasePath is put before every root-relative link and image
	// destination, /img/map.svg becoming /sub/img/map.svg: a site's
	// author writes paths from the site's root wherever it is published.
	// "" and "/" change nothing.
	BasePath string
	// HeadingIDs gives headings ids of their own (see HeadingIDPrefix),
	// in place of goldmark's parser.WithAutoHeadingID, and h2 to h4 a
	// link to themselves.
	HeadingIDs bool
	// Defer, when set, is called in place of writing what a node's HTML
	// takes from the resolved site, for a body rendered before the site
	// is resolved (see Renderer.Defer).
	Defer func(w util.BufWriter, n ast.Node, entering bool)
}

// Resolver tells the renderers what each node resolved to; nil means
// unresolved.
type Resolver interface {
	WikilinkLink(*Wikilink) *Link
	ClaimView(*Claim) *ClaimView
	CaveatView(*CaveatAttrs) *CaveatView
}

// Extend implements goldmark.Extender.
func (e Extension) Extend(m goldmark.Markdown) {
	depth := e.MaxDepth
	if depth <= 0 {
		depth = DefaultMaxDepth
	}
	m.Parser().AddOptions(
		parser.WithInlineParsers(
			// Before the link parser (200): "[[" and "]{" are ours.
			util.Prioritized(wikilinkParser{}, 150),
			util.Prioritized(directiveOpenParser{maxDepth: depth}, 150),
			util.Prioritized(directiveCloseParser{}, 150),
		),
		parser.WithBlockParsers(util.Prioritized(containerParser{maxDepth: depth}, 90)),
		// After link reference definitions (100), before GFM tables (200).
		parser.WithParagraphTransformers(util.Prioritized(tableGuard{}, 150), util.Prioritized(misspelt{}, 150)),
		parser.WithASTTransformers(util.Prioritized(qualifying{}, 200), util.Prioritized(wrappingTables{}, 200), util.Prioritized(inLinks{}, 200), util.Prioritized(htmlBlocks{}, 200)),
	)
	site := Renderer{Resolver: e.Resolver, Defer: e.Defer}
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(site, 100), util.Prioritized(newLinkRenderer(e.BasePath, site), 100)))
	if e.HeadingIDs {
		// After goldmark's own ids, which it gives while parsing, so that
		// these replace them.
		m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(headingIDs{}, 100)))
		m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(headingRenderer{}, 100)))
	}
}

var problemsKey = parser.NewContextKey()

// Problem is a syntax or vocabulary error found while parsing.
type Problem struct {
	Pos     int // byte offset in the parsed source
	Message string
	Hint    string
	// Warning marks what may be meant as written: text that looks like
	// markup gone wrong, kept as text.
	Warning bool
}

func report(pc parser.Context, pos int, hint, format string, args ...any) {
	list, _ := pc.Get(problemsKey).(*[]Problem)
	if list == nil {
		list = &[]Problem{}
		pc.Set(problemsKey, list)
	}
	*list = append(*list, Problem{Pos: pos, Message: fmt.Sprintf(format, args...), Hint: hint})
}

func warn(pc parser.Context, pos int, hint, format string, args ...any) {
	report(pc, pos, hint, format, args...)
	list := pc.Get(problemsKey).(*[]Problem)
	(*list)[len(*list)-1].Warning = true
}

func reportTooDeep(pc parser.Context, pos, maxDepth int) {
	report(pc, pos, "close an enclosing claim or caveat before opening another; this one is kept as plain text",
		"claims and caveats nest at most %d deep", maxDepth)
}

// Problems returns what the parse that used pc found wrong, in source order
// of discovery.
func Problems(pc parser.Context) []Problem {
	if list, _ := pc.Get(problemsKey).(*[]Problem); list != nil {
		return *list
	}
	return nil
}
