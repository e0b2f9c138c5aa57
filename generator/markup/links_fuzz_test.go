package markup_test

import (
	"bytes"
	"testing"

	"briefing/generator/markup"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// FuzzLinksAndHeadings: with a base path, heading ids and raw HTML shown,
// no input makes parsing or rendering panic, every heading id is unique,
// and every root-relative link or image carries the base path.
//
//	go test ./generator/markup -run '^$' -fuzz FuzzLinksAndHeadings -fuzztime 60s
func FuzzLinksAndHeadings(f *testing.F) {
	addCaseInputs(f)
	f.Add([]byte("## a\n## a\n## a-2\n<a href=/x>y</a>\n<img src='/i' srcset='/a 1x,/b 2x'>"))
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote,
		markup.Extension{BasePath: "/b/", HeadingIDs: true}), goldmark.WithRendererOptions(html.WithUnsafe()))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc := md.Parser().Parse(text.NewReader(src))
		var out bytes.Buffer
		if err := md.Renderer().Render(&out, src, doc); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *ast.Heading:
				if v, ok := n.AttributeString("id"); ok {
					id := string(v.([]byte))
					if ids[id] {
						t.Errorf("heading id %q twice", id)
					}
					ids[id] = true
				}
			case *ast.Link:
				if markup.IsRootRelative(n.Destination) && !bytes.Contains(out.Bytes(), append([]byte(`href="/b/`), n.Destination[1:min(len(n.Destination), 1)]...)) {
					t.Errorf("link %q rendered without the base path", n.Destination)
				}
			}
			return ast.WalkContinue, nil
		})
	})
}
