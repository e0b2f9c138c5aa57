package render

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The colour schemes of static/css/style.css: the custom properties of
// :root at the top level, overridden by those of :root inside the at-rule.
var schemes = []struct{ name, media string }{
	{"light", ""},
	{"dark", "@media screen and (prefers-color-scheme: dark)"},
	{"print", "@media print"},
}

// Text colours are read on every surface; --badge-ink on every status.
var (
	texts    = []string{"--ink", "--muted", "--accent", "--visited", "--focus", "--caveat-ink"}
	surfaces = []string{"--paper", "--header-bg", "--card-bg", "--caveat-bg", "--tag-bg", "--code-bg",
		"--hl-unverified", "--hl-corroborated", "--hl-disputed", "--hl-refuted", "--mark-bg"}
	badges = []string{"--unverified", "--corroborated", "--disputed", "--refuted", "--draft"}
	// Lines that tell a claim's status (besides its mark's words) need the
	// 3:1 of graphics against the page; rules and shadows are decoration.
	lines      = []string{"--line-unverified", "--line-corroborated", "--line-disputed", "--line-refuted"}
	decoration = []string{"--rule", "--caveat-rule", "--shadow"}
)

// TestContrast computes the WCAG contrast ratio of every pair of colours
// that style.css puts together, in each scheme: at least 4.5:1 for text and
// focus outlines, 3:1 for status lines. A colour custom property that is in
// none of the lists above fails too, so that a new colour is checked.
func TestContrast(t *testing.T) {
	css, err := os.ReadFile("../../static/css/style.css")
	if err != nil {
		t.Fatal(err)
	}
	rules := parseCSS(string(css))
	base := rootProperties(rules, "")
	known := slices.Concat(texts, surfaces, badges, lines, decoration, []string{"--badge-ink"})
	for name, v := range base {
		if _, ok := parseColour(v); ok && !slices.Contains(known, name) {
			t.Errorf("%s: %s is a colour in no contrast pair; add it to a list in contrast_test.go", name, v)
		}
	}
	// A colour written into a rule instead of a property would escape the
	// check, and stay the same in the dark scheme.
	for _, r := range rules {
		if r.selector == ":root" {
			continue
		}
		for k, v := range r.props {
			if literalColour(v) {
				t.Errorf("%s { %s: %s }: a colour outside the :root properties; declare it there, in both schemes", r.selector, k, v)
			}
		}
	}
	for _, s := range schemes {
		props := map[string]string{}
		for k, v := range base {
			props[k] = v
		}
		if s.media != "" {
			over := rootProperties(rules, s.media)
			if len(over) == 0 {
				t.Errorf("%s: no :root properties in %q", s.name, s.media)
			}
			for k, v := range over {
				props[k] = v
			}
		}
		colour := func(name string) rgb {
			v := props[name]
			for strings.HasPrefix(v, "var(") { // one property set to another
				v = props[strings.TrimSuffix(strings.TrimPrefix(v, "var("), ")")]
			}
			c, ok := parseColour(v)
			if !ok {
				t.Fatalf("%s: %s is %q, not a #rrggbb colour", s.name, name, props[name])
			}
			return c
		}
		check := func(fg, bg string, min float64) {
			if r := contrast(colour(fg), colour(bg)); r < min {
				t.Errorf("%s scheme: %s %s on %s %s has contrast %.2f:1, below %.1f:1", s.name, fg, props[fg], bg, props[bg], r, min)
			}
		}
		for _, fg := range texts {
			for _, bg := range surfaces {
				check(fg, bg, 4.5)
			}
		}
		for _, bg := range badges {
			check("--badge-ink", bg, 4.5)
		}
		for _, l := range lines {
			check(l, "--paper", 3)
		}
	}
}

// TestSyntaxContrast checks the code styles that SyntaxCSS writes, one for
// each scheme: every token colour against its own background, or the code
// block's, at 4.5:1 or more.
func TestSyntaxContrast(t *testing.T) {
	rules := parseCSS(string(SyntaxCSS()))
	medias := map[string]bool{}
	for _, r := range rules {
		if len(r.within) > 0 {
			medias[r.within[0]] = true
		}
	}
	for _, want := range []string{"@media not screen, (prefers-color-scheme: light)", "@media screen and (prefers-color-scheme: dark)"} {
		if !medias[want] {
			t.Errorf("syntax.css has no block %q; it has %v", want, medias)
		}
	}
	for media := range medias {
		var bg rgb
		found := false
		for _, r := range rules {
			if r.selector == ".chroma" && slices.Equal(r.within, []string{media}) {
				bg, found = parseColour(r.props["background-color"])
			}
		}
		if !found {
			t.Fatalf("%s: no .chroma background", media)
		}
		for _, r := range rules {
			if !slices.Equal(r.within, []string{media}) {
				continue
			}
			// Line numbers are not written (code blocks have none), and
			// whitespace shows no colour.
			if strings.HasSuffix(r.selector, " .ln") || strings.HasSuffix(r.selector, " .lnt") || strings.HasSuffix(r.selector, " .w") {
				continue
			}
			fg, ok := parseColour(r.props["color"])
			if !ok {
				continue
			}
			back := bg
			if c, ok := parseColour(r.props["background-color"]); ok {
				back = c
			}
			if c := contrast(fg, back); c < 4.5 {
				t.Errorf("%s: %s: %s on %s has contrast %.2f:1", media, r.selector, r.props["color"], back, c)
			}
		}
	}
}

// TestContrastFails makes sure the ratio is computed as WCAG defines it.
func TestContrastFails(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21}, {"#ffffff", "#ffffff", 1}, {"#777777", "#ffffff", 4.48}, {"#767676", "#fff", 4.54},
	} {
		a, _ := parseColour(c.a)
		b, _ := parseColour(c.b)
		if got := contrast(a, b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}

// cssRule is one rule of a stylesheet: its selector, the at-rules it is
// nested in, and its declarations.
type cssRule struct {
	selector string
	within   []string
	props    map[string]string
}

// parseCSS reads the rules of a stylesheet that, like ours, has no braces
// or semicolons inside strings.
func parseCSS(css string) []cssRule {
	for {
		i := strings.Index(css, "/*")
		if i < 0 {
			break
		}
		j := strings.Index(css[i+2:], "*/")
		if j < 0 {
			css = css[:i]
			break
		}
		css = css[:i] + " " + css[i+2+j+2:]
	}
	var rules []cssRule
	var stack []string  // preludes of the open blocks
	var open []*cssRule // the rule of each open block, nil for an at-rule
	var text strings.Builder
	declare := func() {
		d := strings.TrimSpace(text.String())
		text.Reset()
		if d == "" || len(open) == 0 || open[len(open)-1] == nil {
			return
		}
		if k, v, ok := strings.Cut(d, ":"); ok {
			open[len(open)-1].props[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	for _, c := range css {
		switch c {
		case '{':
			prelude := strings.Join(strings.Fields(text.String()), " ")
			text.Reset()
			var r *cssRule
			if !strings.HasPrefix(prelude, "@") {
				r = &cssRule{selector: prelude, props: map[string]string{}}
				for _, s := range stack {
					if strings.HasPrefix(s, "@") {
						r.within = append(r.within, s)
					}
				}
			}
			stack = append(stack, prelude)
			open = append(open, r)
		case '}':
			declare()
			if len(open) == 0 {
				continue
			}
			if r := open[len(open)-1]; r != nil {
				rules = append(rules, *r)
			}
			stack, open = stack[:len(stack)-1], open[:len(open)-1]
		case ';':
			declare()
		default:
			text.WriteRune(c)
		}
	}
	return rules
}

// rootProperties is the custom properties of the :root rules directly
// inside the at-rule media ("" for the top level).
func rootProperties(rules []cssRule, media string) map[string]string {
	props := map[string]string{}
	for _, r := range rules {
		if r.selector != ":root" || (media == "") != (len(r.within) == 0) || media != "" && !slices.Equal(r.within, []string{media}) {
			continue
		}
		for k, v := range r.props {
			if strings.HasPrefix(k, "--") {
				props[k] = v
			}
		}
	}
	return props
}

// literalColour reports whether a declared value names a colour itself
// (#hex, rgb(), hsl() and the like, or a colour keyword) rather than by a
// custom property.
func literalColour(v string) bool {
	v = strings.ToLower(v)
	if strings.Contains(v, "#") {
		return true
	}
	for _, f := range []string{"rgb(", "rgba(", "hsl(", "hsla(", "hwb(", "lab(", "lch(", "oklab(", "oklch(", "color(", "color-mix("} {
		if strings.Contains(v, f) {
			return true
		}
	}
	for _, w := range strings.FieldsFunc(v, func(r rune) bool { return !('a' <= r && r <= 'z') }) {
		switch w {
		case "white", "black", "red", "green", "blue", "gray", "grey", "yellow", "orange", "purple", "silver", "navy", "maroon":
			return true
		}
	}
	return false
}

type rgb [3]float64

func (c rgb) String() string {
	return fmt.Sprintf("#%02x%02x%02x", int(c[0]*255+.5), int(c[1]*255+.5), int(c[2]*255+.5))
}

// parseColour reads #rgb or #rrggbb.
func parseColour(s string) (rgb, bool) {
	s, ok := strings.CutPrefix(strings.TrimSpace(s), "#")
	if !ok {
		return rgb{}, false
	}
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	n, err := strconv.ParseUint(s, 16, 32)
	if len(s) != 6 || err != nil {
		return rgb{}, false
	}
	return rgb{float64(n>>16) / 255, float64(n>>8&255) / 255, float64(n&255) / 255}, true
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b rgb) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + .05) / (min(la, lb) + .05)
}

func luminance(c rgb) float64 {
	var l [3]float64
	for i, v := range c {
		if v <= 0.04045 {
			l[i] = v / 12.92
		} else {
			l[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

// TestStyleSheetNests: every block of style.css is closed where it should
// be. A lost } (as a merge once left after a media query) does not break
// the file; it silently moves every later rule into the query.
func TestStyleSheetNests(t *testing.T) {
	css, err := os.ReadFile("../../static/css/style.css")
	if err != nil {
		t.Fatal(err)
	}
	depth, line, inComment := 0, 1, false
	for i := 0; i < len(css); i++ {
		switch c := css[i]; {
		case c == '\n':
			line++
		case inComment:
			if c == '*' && i+1 < len(css) && css[i+1] == '/' {
				inComment = false
				i++
			}
		case c == '/' && i+1 < len(css) && css[i+1] == '*':
			inComment = true
			i++
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth < 0 {
				t.Fatalf("line %d: } closes nothing", line)
			}
		case c == '@' && depth > 0 && strings.HasPrefix(string(css[i:]), "@media"):
			// Rules nest one deep in this file; a media query inside a
			// block is where a } went missing.
			t.Errorf("line %d: @media inside a block: a } is missing above", line)
		}
	}
	if depth != 0 {
		t.Errorf("%d blocks left open at the end", depth)
	}
}
