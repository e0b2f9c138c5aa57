package render

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"briefing/generator/site"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
)

var updateSyntax = flag.Bool("update-syntax", false, "write static/css/syntax.css again from chroma's styles")

// syntaxDarkStyle is the chroma style of code blocks in the dark colour
// scheme.
const syntaxDarkStyle = "github-dark"

// SyntaxCSS is the stylesheet of highlighted code, static/css/syntax.css:
// site.HighlightStyle on a light screen and in print, syntaxDarkStyle on a
// dark screen. The two media queries exclude each other, so that no token
// keeps a colour of the other scheme where its own style leaves it plain.
func SyntaxCSS() []byte {
	var buf bytes.Buffer
	f := html.New(html.WithClasses(true))
	light := styles.Get(site.HighlightStyle)
	// github's pseudo builtins (self, this) are grey at 4.49:1 on its
	// background; they take its comment colour, above 4.5:1 (TestSyntaxContrast).
	if s, err := light.Builder().Add(chroma.NameBuiltinPseudo, "#57606a").Build(); err == nil {
		light = s
	}
	buf.WriteString("@media not screen, (prefers-color-scheme: light) {\n")
	_ = f.WriteCSS(&buf, light)
	buf.WriteString("}\n@media screen and (prefers-color-scheme: dark) {\n")
	_ = f.WriteCSS(&buf, styles.Get(syntaxDarkStyle))
	buf.WriteString("}\n")
	return buf.Bytes()
}

// TestSyntaxCSSFile holds static/css/syntax.css to what chroma's HTML
// formatter writes of the styles (SyntaxCSS): the file is written once,
// with -update-syntax, and not by every build, because chroma's styles
// package parses every style it has when a program starts (6 ms and 2 MB
// a build). A new chroma with other colours fails this test until the
// file is written again.
func TestSyntaxCSSFile(t *testing.T) {
	const file = "../../static/css/syntax.css"
	want := SyntaxCSS()
	if *updateSyntax {
		if err := os.WriteFile(file, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what chroma writes of the styles; write it again with go test ./generator/render -run TestSyntaxCSSFile -update-syntax", file)
	}
}
