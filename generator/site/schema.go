package site

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"briefing/generator/diag"
	"briefing/generator/markup"

	"go.yaml.in/yaml/v3"
)

// A Field is one front-matter key a kind of page knows: the schema that
// parsing enforces and docs/front-matter.md documents (a test holds the
// two equal).
type Field struct {
	Key      string
	Required bool
	// Values is what the key holds, as the reference page says it.
	Values string
	Doc    string
}

// Schema is the front matter of each kind of page. A key not listed is an
// error; free keys go under params:, whose mapping templates read as
// .Params.
var Schema = map[Section][]Field{
	Home: {
		{"title", false, "text", "the site's name, in every page's header and title"},
		{"description", false, "text", "one sentence on the site, for search engines, feeds and the footer"},
		{"raw_html", false, "true or false", "let raw HTML in Markdown through unescaped (off by default)"},
		{"language", false, "a BCP 47 tag: en, ru, de-AT", "the language of the site's pages, for <html lang> (default en)"},
		{"params", false, "mapping", "free keys of your own, for your templates"},
	},
	Briefings: {
		{"title", true, "text", "the headline"},
		{"date", true, "YYYY-MM-DD (or with a time)", "when it was written; lists and feeds order by it"},
		{"dateline", false, "text", "where it was written"},
		{"summary", false, "text", "one or two sentences shown in lists, feeds and the page description"},
		{"tags", false, "list of words", "each tag gets a page at /tags/TAG/"},
		{"draft", false, "true or false", "drafts are built by serve, and by build only with --drafts"},
		{"params", false, "mapping", "free keys of your own, for your templates"},
	},
	Actors: {
		{"name", true, "text", "the name shown everywhere; mentions may use it"},
		{"kind", true, strings.Join(ActorKinds, " | "), "what sort of actor"},
		{"role", false, "text", "their position, shown with the name"},
		{"affiliation", false, "an actor's id", "the organisation or state they belong to"},
		{"aliases", false, "list of names", "other names a mention [[...]] may use"},
		{"params", false, "mapping", "free keys of your own, for your templates"},
	},
	Sources: {
		{"title", true, "text", "what the source is"},
		{"publisher", false, "an actor's id, or text", "who published it"},
		{"date", false, "YYYY-MM-DD", "when it was published; the default date of its claims"},
		{"url", false, "URL", "where it can be read"},
		{"reliability", true, "A | B | C | D | E | F", "Admiralty reliability of the source: A completely reliable … F cannot be judged"},
		{"credibility", false, "1 | 2 | 3 | 4 | 5 | 6", "Admiralty credibility of what it says, the default of its claims: 1 confirmed … 6 cannot be judged"},
		{"params", false, "mapping", "free keys of your own, for your templates"},
	},
}

// misnamed are keys written for another kind's or another tool's: the
// key meant, where edit distance would not find it.
var misnamed = map[Section]map[string]string{
	Actors:    {"title": "name", "type": "kind", "alias": "aliases", "org": "affiliation"},
	Briefings: {"tag": "tags", "description": "summary", "categories": "tags", "location": "dateline"},
	Sources:   {"name": "title", "link": "url", "author": "publisher", "grade": "reliability"},
	Home:      {"name": "title", "summary": "description"},
}

// unknownKey reports a key that pg's kind does not know, with the key
// most likely meant, which it returns ("" when none is near).
func (pg *Page) unknownKey(k *yaml.Node, fm yamlText) string {
	var keys []string
	for _, f := range Schema[pg.Section] {
		keys = append(keys, f.Key)
	}
	hint := "known keys: " + strings.Join(keys, ", ") + "; put keys of your own under params:"
	near := misnamed[pg.Section][k.Value]
	if near == "" {
		near = markup.Nearest(strings.ToLower(k.Value), keys)
	}
	if near != "" {
		hint = "did you mean " + strconv.Quote(near) + "?"
	}
	pg.fmError(k, fm, hint, "unknown front-matter key %q for %s", k.Value, kindName[pg.Section])
	return near
}

var kindName = map[Section]string{Home: "the home page", Briefings: "a briefing", Actors: "an actor", Sources: "a source"}

// required reports the required keys pg's front matter lacks (set holds
// the keys it has), at its first line; not those that an unknown key was
// reported as likely meaning (meant), which would say one mistake twice.
func (pg *Page) required(set map[string]*yaml.Node, meant map[string]bool) {
	for _, f := range Schema[pg.Section] {
		if !f.Required || meant[f.Key] {
			continue
		}
		if v := set[f.Key]; v != nil && !(v.Kind == yaml.ScalarNode && v.Value == "") {
			continue
		}
		pg.diags = append(pg.diags, diag.Diagnostic{Path: pg.Path, Line: fmLine - 1, Col: 1, Severity: diag.Error, // the opening ---
			Message: fmt.Sprintf("missing front-matter key %q: %s needs one", f.Key, kindName[pg.Section]),
			Hint:    "add a line " + f.Key + ": " + example(f)})
	}
}

func example(f Field) string {
	switch f.Key {
	case "date":
		return "2026-11-25"
	case "kind":
		return "person (or " + strings.Join(ActorKinds[1:], ", ") + ")"
	case "reliability":
		return "F (if it cannot be judged yet)"
	}
	return "…"
}

// known reports whether key is in the schema of sec.
func known(sec Section, key string) bool {
	return slices.ContainsFunc(Schema[sec], func(f Field) bool { return f.Key == key })
}

// SchemaReference is the front-matter reference as Markdown tables, one
// per kind of page: the part of docs/front-matter.md that a test holds
// equal to Schema.
func SchemaReference() string {
	var b strings.Builder
	for _, k := range []struct {
		sec   Section
		title string
	}{{Briefings, "Briefing — `content/briefings/**/*.md`"}, {Actors, "Actor — `content/actors/*.md`"},
		{Sources, "Source — `content/sources/*.md`"}, {Home, "Home page — `content/_index.md`"}} {
		fmt.Fprintf(&b, "### %s\n\n| key | required | value | what it is |\n|---|---|---|---|\n", k.title)
		for _, f := range Schema[k.sec] {
			req := "no"
			if f.Required {
				req = "**yes**"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Key, req, strings.ReplaceAll(f.Values, "|", "\\|"), f.Doc)
		}
		b.WriteString("\n")
	}
	return b.String()
}
