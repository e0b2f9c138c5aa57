package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"briefing/generator/build"
	"briefing/generator/corpus"
	"briefing/generator/render"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// page is one page of a built site being served.
type page struct {
	site string // which site it is of
	base string // the server's address
	path string // output path, as render.Paths gives it
	kind string
	key  string // what the page stands for: its kind, narrowed, a later page
}

func (p page) url() string { return p.base + "/" + strings.TrimSuffix(p.path, "index.html") }

func (p page) String() string { return p.site + ": " + p.path }

// serveSite builds the site at src into a new folder and serves it on
// loopback as a static host would. It returns one page of every kind: the
// first page of each kind, of each kind narrowed (the claims of one
// status) and of each kind's later pages, from render.Paths, so that a new
// kind of page is covered without a change here; and every briefing.
func serveSite(t *testing.T, name, src string) []page {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	res := build.ToDir(build.Options{Src: src, Builtin: builtin}, out)
	if res.Failed() {
		t.Fatalf("%s does not build: %v", src, res.Diags)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	t.Cleanup(srv.Close)
	seen := map[string]bool{}
	var pages []page
	for _, p := range render.Paths(res.Model, 0) {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		d := render.Lookup(res.Model, p)
		if d == nil {
			t.Fatalf("render.Paths lists %s, which render.Lookup does not know", p)
		}
		key := d.Kind
		if d.Status != "" {
			key += " by status"
		}
		if d.Pager.Number > 1 {
			key += " later page"
		}
		if d.Kind == "briefing" { // every briefing: their Markdown varies most
			key = p
		}
		if !seen[key] {
			seen[key] = true
			pages = append(pages, page{name, srv.URL, p, d.Kind, key})
		}
	}
	return pages
}

// sample serves the sample site (the repository's content/), and fails
// when it lacks a kind of page.
func sample(t *testing.T) []page {
	t.Helper()
	pages := serveSite(t, "sample", "../..")
	for _, k := range render.Kinds {
		if k != "briefing" && !slices.ContainsFunc(pages, func(p page) bool { return p.kind == k }) {
			t.Errorf("the sample site has no page of kind %s", k)
		}
	}
	return pages
}

// colourScheme emulates the system's colour scheme, and print media when
// print is set.
func colourScheme(scheme string, print bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		media := ""
		if print {
			media = "print"
		}
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Media:    media,
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// axeViolation is what the test reports of one axe-core violation.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// TestAxe runs axe-core (BRIEFING_AXE, the axe.min.js that .ci/run
// installs) in Chromium over one page of every kind of the sample site
// and the later pages of a generated site's long lists, in the light and
// the dark colour scheme: no serious or critical violation.
func TestAxe(t *testing.T) {
	axePath := os.Getenv("BRIEFING_AXE")
	if axePath == "" {
		if os.Getenv("BRIEFING_BROWSER_TESTS") == "required" {
			t.Fatal("BRIEFING_AXE must name axe.min.js: .ci/run installs axe-core")
		}
		t.Skip("set BRIEFING_AXE to axe-core's axe.min.js to run the accessibility checks")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	pages := sample(t)
	// The sample's lists are short: the later pages of long ones come
	// from a generated site.
	corp := t.TempDir()
	if err := corpus.Write(corp, 12, 3); err != nil {
		t.Fatal(err)
	}
	for _, p := range serveSite(t, "corpus", corp) {
		if strings.HasSuffix(p.key, " later page") {
			pages = append(pages, p)
		}
	}
	t.Logf("checking %d pages: %v", len(pages), pages)
	// A page takes about half a second in each scheme; a slow machine
	// gets ample time.
	ctx := browserFor(t, time.Minute+time.Duration(len(pages))*10*time.Second)
	const run = `axe.run(document, {resultTypes: ["violations"]}).then(r =>
		JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical")))`
	for _, scheme := range []string{"light", "dark"} {
		if err := chromedp.Do(ctx, colourScheme(scheme, false)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if err := chromedp.Do(ctx, chromedp.Navigate(p.url())); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			// The scheme in force is the one asked for.
			dark, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`matchMedia("(prefers-color-scheme: dark)").matches`))
			if err != nil || dark != (scheme == "dark") {
				t.Fatalf("%s: prefers-color-scheme: dark is %v (%v), want it %v", p, dark, err, scheme == "dark")
			}
			if scheme == "light" {
				structure(ctx, t, p.String())
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(axe))); err != nil {
				t.Fatalf("%s: injecting axe-core: %v", p, err)
			}
			found, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: running axe-core: %v", p, err)
			}
			var vs []axeViolation
			if err := json.Unmarshal([]byte(found), &vs); err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				var b strings.Builder
				fmt.Fprintf(&b, "%s, %s scheme: %s (%s): %s", p, scheme, v.ID, v.Impact, v.Help)
				for _, n := range v.Nodes {
					fmt.Fprintf(&b, "\n\t%v %s\n\t\t%s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n\t\t"))
				}
				t.Error(b.String())
			}
		}
	}
}

// structure checks what axe-core leaves to best practice, on the page
// loaded: the landmarks, one h1, headings that skip no level, and a skip
// link that, followed from the keyboard, moves the focus to the main content.
func structure(ctx context.Context, t *testing.T, p string) {
	t.Helper()
	const check = `(() => {
		const problems = [];
		for (const sel of ["body > header", "header nav", "body > main#main", "body > footer"]) {
			if (document.querySelectorAll(sel).length !== 1) problems.push("not one " + sel);
		}
		const h1 = document.querySelectorAll("h1").length;
		if (h1 !== 1) problems.push(h1 + " h1 elements");
		let last = 0;
		for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
			const level = +h.tagName[1];
			if (level > last + 1) problems.push(h.tagName + " " + JSON.stringify(h.textContent) + " after h" + last);
			last = level;
		}
		const ids = new Set();
		for (const e of document.querySelectorAll("[id]")) {
			if (ids.has(e.id)) problems.push("duplicate id " + e.id);
			ids.add(e.id);
		}
		return problems;
	})()`
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](check))
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	for _, m := range problems {
		t.Errorf("%s: %s", p, m)
	}
	// The first Tab shows the skip link; Enter moves the focus to main.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const a = document.activeElement, r = a.getBoundingClientRect();
		return a.matches("a.skip") && r.left >= 0 && r.top >= 0 && r.width > 0 && getComputedStyle(a).outlineStyle !== "none";
	})()`))
	if err != nil || !visible {
		t.Errorf("%s: the first Tab does not show the skip link with a focus outline (%v)", p, err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	onMain, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.id === "main" && location.hash === "#main"`))
	if err != nil || !onMain {
		t.Errorf("%s: the skip link does not move the focus to main (%v)", p, err)
	}
}

// TestScreenshots saves screenshots of the home page, every briefing, a
// claim and an actor at two phones' widths (360 and 390 px) and a
// desktop's, light and dark, and printed, into the folder BRIEFING_SHOTS,
// for a person to look at. It asserts nothing but that they can be taken,
// and skips without the folder.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("BRIEFING_SHOTS")
	if dir == "" {
		t.Skip("set BRIEFING_SHOTS to a folder to save screenshots into")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := browserFor(t, 5*time.Minute)
	shots := map[string]page{}
	for _, p := range sample(t) {
		switch p.kind {
		case "briefing": // every one
			shots[strings.Split(p.path, "/")[1]] = p
		case "home", "claim", "actor":
			shots[p.kind] = p
		}
	}
	for name, p := range shots {
		for _, scheme := range []string{"light", "dark"} {
			for _, width := range []int64{360, 390, 1280} {
				if err := chromedp.Do(ctx,
					chromedp.EmulateViewport(width, 900),
					colourScheme(scheme, false),
					chromedp.Navigate(p.url()),
				); err != nil {
					t.Fatal(err)
				}
				img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				save(t, dir, fmt.Sprintf("%s-%d-%s.png", name, width, scheme), img)
				if p.kind != "briefing" || width != 1280 {
					continue
				}
				// A claim's card, opened from the keyboard, with its focus.
				for range 60 {
					if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
						t.Fatal(err)
					}
					on, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.matches(".claim-mark")`))
					if err != nil {
						t.Fatal(err)
					}
					if on {
						break
					}
				}
				img, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				save(t, dir, fmt.Sprintf("%s-%d-%s-focus.png", name, width, scheme), img)
			}
		}
		if err := chromedp.Do(ctx, colourScheme("light", true), chromedp.Navigate(p.url())); err != nil {
			t.Fatal(err)
		}
		pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF())
		if err != nil {
			t.Fatal(err)
		}
		save(t, dir, name+"-print.pdf", pdf)
	}
}

func save(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}
