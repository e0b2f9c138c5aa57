package build_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"briefing/generator/render"
	"briefing/generator/site"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// BenchmarkStages measures each stage of a build on its own, over one
// generated corpus per size: load (read content/, templates/, static/),
// parse (front matter and Markdown, all cores), resolve, and render (every
// page executed, nothing written). A stage's input is made once, outside
// the timing, from the stages before it.
//
//	go test ./generator/build -run '^$' -bench Stages -benchtime 3x
//
// To profile one stage, e.g. load and parse at 10,000:
//
//	go test ./generator/build -run '^$' -bench 'Stages/briefings=10000/(load|parse)$' -benchtime 5x \
//	    -cpuprofile /tmp/cpu.out -memprofile /tmp/mem.out
func BenchmarkStages(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			dir := benchCorpus(b, n)
			load := func() *site.Files {
				fsys, err := site.OpenFS(dir)
				if err != nil {
					b.Fatal(err)
				}
				defer fsys.Close()
				files, err := site.Load(fsys)
				if err != nil {
					b.Fatal(err)
				}
				return files
			}
			files := load()
			b.Run("load", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					load()
				}
			})
			pages := site.Parse(files.Content)
			b.Run("parse", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					site.Parse(files.Content)
				}
			})
			opts := site.Options{BasePath: "/"}
			b.Run("resolve", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					site.Resolve(pages, opts)
				}
			})
			b.Run("render", func(b *testing.B) {
				b.ReportAllocs()
				pagesOut := 0
				for b.Loop() {
					// A fresh model each time: a model keeps the Markdown
					// it rendered, and a build renders it once.
					b.StopTimer()
					m, _ := site.Resolve(pages, opts)
					runtime.GC()
					b.StartTimer()
					r, diags := render.New(m, builtin, files.Templates)
					if len(diags) > 0 {
						b.Fatal(diags[0])
					}
					var mu sync.Mutex
					pagesOut = 0
					diags = r.Pages(m, r.Paths(m, 0), render.Output{Emit: func(string, []byte) error {
						mu.Lock()
						pagesOut++
						mu.Unlock()
						return nil
					}})
					if len(diags) > 0 {
						b.Fatal(diags[0])
					}
				}
				b.ReportMetric(float64(pagesOut), "pages")
			})
		})
	}
}

// BenchmarkFloor is the floor: goldmark with GFM and footnotes,
// and chroma highlighting code blocks with classes, parsing and rendering
// every briefing body of the corpus on all cores and writing nothing.
// A build can hardly be faster than the Markdown it must render.
//
//	go test ./generator/build -run '^$' -bench Floor -benchtime 3x
func BenchmarkFloor(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			bodies := briefingBodies(b, benchCorpus(b, n))
			md := floorMarkdown()
			b.ReportAllocs()
			for b.Loop() {
				floor(md, bodies)
			}
		})
	}
}

// briefingBodies reads every briefing below dir and returns the bodies,
// without front matter.
func briefingBodies(tb testing.TB, dir string) [][]byte {
	tb.Helper()
	var bodies [][]byte
	err := filepath.WalkDir(filepath.Join(dir, "content/briefings"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if i := bytes.Index(data[3:], []byte("\n---\n")); bytes.HasPrefix(data, []byte("---\n")) && i >= 0 {
			data = data[3+i+len("\n---\n"):]
		}
		bodies = append(bodies, data)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return bodies
}

// floorMarkdown is goldmark as a plain Markdown site would configure it:
// GFM, footnotes, and chroma with classes for fenced code, as
// goldmark-highlighting does.
func floorMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(floorCode{}, 100))),
	)
}

// floor parses and renders every body on all cores into a discarding
// writer.
func floor(md goldmark.Markdown, bodies [][]byte) {
	var wg sync.WaitGroup
	next := make(chan []byte)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			w := bufio.NewWriterSize(io.Discard, 64<<10)
			for body := range next {
				doc := md.Parser().Parse(text.NewReader(body))
				if err := md.Renderer().Render(w, body, doc); err != nil {
					panic(err)
				}
			}
		})
	}
	for _, body := range bodies {
		next <- body
	}
	close(next)
	wg.Wait()
}

// floorCode renders fenced code blocks through chroma.
type floorCode struct{}

var floorFormatter = chromahtml.New(chromahtml.WithClasses(true))

// RegisterFuncs implements renderer.NodeRenderer.
func (floorCode) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		n := node.(*ast.FencedCodeBlock)
		var code bytes.Buffer
		for i := range n.Lines().Len() {
			line := n.Lines().At(i)
			code.Write(line.Value(src))
		}
		lexer := lexers.Get(string(n.Language(src)))
		if lexer == nil {
			lexer = lexers.Fallback
		}
		it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String())
		if err != nil {
			return ast.WalkStop, err
		}
		return ast.WalkContinue, floorFormatter.Format(w, styles.Get(site.HighlightStyle), it)
	})
}
