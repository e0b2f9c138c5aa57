package build_test

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"briefing/generator/build"
	"briefing/generator/corpus"

	"golang.org/x/net/html"
)

// linkAttrs are the attributes of an HTML page that lead somewhere: each
// element's attributes holding one URL. SVG's <a> and <use> give theirs
// as href or, in older SVG, xlink:href (parsed into the xlink namespace).
var linkAttrs = map[string][]string{
	"a": {"href"}, "area": {"href"}, "link": {"href"}, "script": {"src"}, "img": {"src"},
	"source": {"src"}, "iframe": {"src"}, "video": {"src", "poster"}, "audio": {"src"},
	"form": {"action"}, "use": {"href"}, "image": {"href"}, "object": {"data"}, "embed": {"src"},
}

// metaURL reports whether a <meta> element's content is the URL of a page
// or an image of the site: Open Graph's and Twitter's.
func metaURL(n *html.Node) bool {
	for _, a := range n.Attr {
		if (a.Key == "property" || a.Key == "name") && slices.Contains([]string{"og:url", "og:image", "twitter:image", "twitter:url"}, a.Val) {
			return true
		}
	}
	return false
}

// pageLink is one URL of one page.
type pageLink struct{ from, href string }

// scan parses an HTML page and returns the ids its elements have and the
// URLs they lead to, srcset candidates included.
func scan(name string, data []byte) (ids map[string]bool, links []pageLink, err error) {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	ids = map[string]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			wanted := linkAttrs[n.Data]
			if n.Data == "meta" && metaURL(n) {
				wanted = []string{"content"}
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "id" && a.Namespace == "":
					ids[a.Val] = true
				case a.Key == "srcset":
					for cand := range strings.SplitSeq(a.Val, ",") {
						if f := strings.Fields(cand); len(f) > 0 {
							links = append(links, pageLink{name, f[0]})
						}
					}
				case a.Namespace == "xlink" && a.Key == "href",
					a.Namespace == "" && slices.Contains(wanted, a.Key):
					links = append(links, pageLink{name, a.Val})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return ids, links, nil
}

// brokenLinks lists every internal link or asset of the HTML pages of a
// built site (files by output path) that leads to no output file, or
// whose #fragment names no id on the page it leads to. A link is
// resolved against its page's own URL as a browser resolves it, for a
// site published at the path base; a folder's URL leads to its
// index.html. Links to other hosts, with a scheme (https:, mailto:,
// data:) or climbing above the base path are checked only for the last:
// they are broken.
func brokenLinks(files map[string][]byte, base string) []string {
	return brokenLinksAt(files, base, "")
}

// brokenLinksAt is brokenLinks for a site published at host too: absolute
// http(s) URLs of that host (canonical links, Open Graph) are followed as
// internal ones.
func brokenLinksAt(files map[string][]byte, base, host string) []string {
	ids := map[string]map[string]bool{}
	var links []pageLink
	var out []string
	for _, name := range sortedKeys(files) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pageIDs, pageLinks, err := scan(name, files[name])
		if err != nil {
			out = append(out, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		ids[name] = pageIDs
		links = append(links, pageLinks...)
	}
	root := &url.URL{Scheme: "https", Host: "site.test", Path: base}
	for _, l := range links {
		href := strings.TrimSpace(l.href)
		ref, err := url.Parse(href)
		if err != nil {
			out = append(out, fmt.Sprintf("%s: %q is not a URL: %v", l.from, l.href, err))
			continue
		}
		ours := host != "" && ref.Host == host && (ref.Scheme == "https" || ref.Scheme == "http")
		if (ref.Scheme != "" || ref.Host != "") && !ours {
			continue // another host, mailto:, data:
		}
		// The page's own URL: a folder's for its index.html.
		dir := strings.TrimSuffix(l.from, "index.html")
		page := root.ResolveReference(&url.URL{Path: dir})
		if dir != "" && !strings.HasSuffix(dir, "/") {
			page = root.ResolveReference(&url.URL{Path: l.from})
		}
		target := page.ResolveReference(ref)
		rel, ok := strings.CutPrefix(target.Path, base)
		if !ok && target.Path+"/" != base {
			out = append(out, fmt.Sprintf("%s: %q leads outside the base path %s", l.from, l.href, base))
			continue
		}
		file := rel
		if file == "" || strings.HasSuffix(file, "/") {
			file = path.Join(file, "index.html")
		}
		if _, exists := files[file]; !exists {
			out = append(out, fmt.Sprintf("%s: %q leads to %s, which is not in the output", l.from, l.href, file))
			continue
		}
		if ref.Fragment != "" && strings.HasSuffix(file, ".html") && !ids[file][ref.Fragment] {
			out = append(out, fmt.Sprintf("%s: %q names the id %q, which %s does not have", l.from, l.href, ref.Fragment, file))
		}
	}
	return out
}

// TestLinkCheck builds the sample site and a generated site of 200
// briefings, at a domain's root and under a sub path, and follows every
// internal link and asset of every page: none may be broken.
func TestLinkCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds four sites")
	}
	gen := t.TempDir()
	if err := corpus.Write(gen, 200, 7); err != nil {
		t.Fatal(err)
	}
	for _, site := range []struct{ name, src string }{{"sample", "../.."}, {"corpus", gen}} {
		for _, baseURL := range []string{"", "https://briefings.example/sub/path/"} {
			t.Run(site.name+map[bool]string{true: "-root", false: "-sub"}[baseURL == ""], func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "public")
				res := build.ToDir(build.Options{Src: site.src, Builtin: builtin, BaseURL: baseURL}, out)
				if res.Failed() {
					t.Fatal(res.Diags)
				}
				for _, d := range res.Diags {
					if strings.Contains(d.Message, "leads nowhere") {
						t.Errorf("the build reports a broken link: %s", d)
					}
				}
				base, _ := build.BasePath(baseURL)
				files := tree(t, out)
				pages := 0
				for name := range files {
					if strings.HasSuffix(name, ".html") {
						pages++
					}
				}
				if pages < 40 {
					t.Fatalf("only %d pages built", pages)
				}
				host := ""
				if u, _ := url.Parse(baseURL); baseURL != "" {
					host = u.Host
				}
				broken := brokenLinksAt(files, base, host)
				for i, b := range broken {
					if i == 20 {
						t.Errorf("… and %d more", len(broken)-i)
						break
					}
					t.Error(b)
				}
			})
		}
	}
}

// TestLinkCheckFinds: the checker itself finds what is broken, so that
// its silence above means something.
func TestLinkCheckFinds(t *testing.T) {
	files := map[string][]byte{
		"index.html": []byte(`<!doctype html><title>x</title><main id="main">
<a href="/sub/a/">ok</a> <a href="a/#x">ok</a> <a href="#main">ok</a> <a href="https://example.org/">other host</a>
<a href="/sub/b/">no page</a> <a href="/sub/a/#y">no id</a> <a href="../up/">above the base</a>
<img src="/sub/img/x.png" srcset="/sub/img/x.png 1x, /sub/img/y.png 2x">
<svg><a href="/sub/svg-new/"><text>t</text></a><a xlink:href="/sub/svg-old/"><text>t</text></a></svg>
<link rel="stylesheet" href="/sub/css/nope.css"><script src="/sub/js/nope.js"></script>
<a href="/sub/a/?q=1#x">query</a> <a href="/sub/t%C3%A9/">encoded</a></main>
<link rel="canonical" href="https://site.test/sub/gone/"><meta property="og:image" content="https://site.test/sub/img/og.png">
<a href="https://site.test/sub/a/">ours, absolute</a> <a href="https://elsewhere.test/sub/gone/">another host</a>`),
		"a/index.html":  []byte(`<p id="x">x</p>`),
		"img/x.png":     nil,
		"té/index.html": []byte(`<p>t</p>`),
	}
	got := brokenLinksAt(files, "/sub/", "site.test")
	want := []string{`"https://site.test/sub/gone/"`, `"https://site.test/sub/img/og.png"`, `"/sub/b/"`, `"/sub/a/#y"`, `"../up/"`, `"/sub/img/y.png"`, `"/sub/svg-new/"`, `"/sub/svg-old/"`, `"/sub/css/nope.css"`, `"/sub/js/nope.js"`}
	if len(got) != len(want) {
		t.Errorf("found %d broken links, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, w) }) {
			t.Errorf("did not find %s", w)
		}
	}
}
