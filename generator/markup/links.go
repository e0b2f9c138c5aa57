package markup

import (
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// linkRenderer renders links and images as goldmark does, with the site's
// base path put before every root-relative destination: an author writes
// [map](/img/map.svg) for the site's own root, and a site published at
// https://host/sub/ finds it at /sub/img/map.svg. The parsed tree is
// shared by every model and never written, so a link's destination is
// changed on a copy of the node, which goldmark's own renderer then prints
// with its escaping and its filter of dangerous URLs; an image is printed
// here, as goldmark prints it.
//
// An image's description is written by it too: goldmark's leaves out
// what is not text, so a mention in it (![[[Orlov]] at the talks](…))
// lost its words; here it is the mention's words, which the site
// decides (through site), as a mention among a link's words is.
type linkRenderer struct {
	base string // "/sub/path/", or "" for a site at the root
	site Renderer
	html *html.Renderer
	link renderer.NodeRendererFunc
	str  renderer.NodeRendererFunc
}

func newLinkRenderer(base string, site Renderer) *linkRenderer {
	if base == "/" {
		base = ""
	}
	return &linkRenderer{base: base, site: site, html: html.NewRenderer().(*html.Renderer)}
}

// SetOption implements renderer.SetOptioner: goldmark's renderer behind
// this one obeys the same options (html.WithUnsafe, html.WithXHTML) as
// the one it stands in for.
func (r *linkRenderer) SetOption(name renderer.OptionName, value any) {
	r.html.SetOption(name, value)
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	var rawHTML, htmlBlock renderer.NodeRendererFunc
	r.html.RegisterFuncs(capture{ast.KindLink: &r.link, ast.KindString: &r.str,
		ast.KindRawHTML: &rawHTML, ast.KindHTMLBlock: &htmlBlock})
	reg.Register(ast.KindImage, r.renderImage)
	if r.base == "" {
		return
	}
	if r.html.Unsafe {
		// Raw HTML is shown (a site that opted in): its URLs are the
		// author's as much as the Markdown's.
		reg.Register(ast.KindRawHTML, r.renderRebased(rawHTML))
		reg.Register(ast.KindHTMLBlock, r.renderRebased(htmlBlock))
	}
	reg.Register(ast.KindLink, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		n := node.(*ast.Link)
		if entering && IsRootRelative(n.Destination) {
			cp := *n
			cp.Destination = r.prefix(n.Destination)
			node = &cp
		}
		return r.link(w, src, node, entering)
	})
}

// renderImage is goldmark's, but for the base path and the description.
func (r *linkRenderer) renderImage(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	dest := n.Destination
	if r.base != "" && IsRootRelative(dest) {
		dest = r.prefix(dest)
	}
	_, _ = w.WriteString(`<img src="`)
	dest = util.URLEscape(dest, true)
	if r.html.Unsafe || !html.IsDangerousURL(dest) {
		_, _ = w.Write(util.EscapeHTML(dest))
	}
	_, _ = w.WriteString(`" alt="`)
	r.alt(w, src, n)
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		r.html.Writer.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	if n.Attributes() != nil {
		html.RenderAttributes(w, n, html.ImageAttributeFilter)
	}
	if r.html.XHTML {
		_, _ = w.WriteString(" />")
	} else {
		_, _ = w.WriteString(">")
	}
	return ast.WalkSkipChildren, nil
}

// alt writes the words of n's children as an attribute's value: text
// escaped as goldmark escapes it, a mention as its words (inLinks marks it
// so), a line break as one.
func (r *linkRenderer) alt(w util.BufWriter, src []byte, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			// Not goldmark's: it ends a line with <br>, read in an
			// attribute as those four letters.
			if c.IsRaw() {
				r.html.Writer.RawWrite(w, c.Value(src))
			} else {
				r.html.Writer.Write(w, c.Value(src))
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				_ = w.WriteByte('\n')
			}
		case *ast.String:
			_, _ = r.str(w, src, c, true)
		case *Wikilink:
			r.site.fromSite(w, c, true)
		default:
			r.alt(w, src, c)
		}
	}
}

func (r *linkRenderer) prefix(dest []byte) []byte {
	return append([]byte(r.base), dest[1:]...)
}

// capture is a registerer that keeps the functions of the kinds it holds.
type capture map[ast.NodeKind]*renderer.NodeRendererFunc

func (c capture) Register(k ast.NodeKind, f renderer.NodeRendererFunc) {
	if p := c[k]; p != nil {
		*p = f
	}
}

// IsRootRelative reports whether a link destination is a path from the
// site's root, /like/this: one slash, not two (//host/x names another
// host), and no scheme.
func IsRootRelative(dest []byte) bool {
	return len(dest) > 0 && dest[0] == '/' && (len(dest) == 1 || dest[1] != '/' && dest[1] != '\\')
}

// LinkTarget is where a link of the Markdown of a page leads inside the
// site, as a path below the site's root.
type LinkTarget struct {
	// Path is the target's path below the root, without a leading slash,
	// percent-decoded, cleaned: "claims/x/", "img/map.svg", "" for the
	// home page.
	Path     string
	Fragment string // after #, decoded; "" when none
}

// InternalTarget tells where dest, written in the Markdown of the page at
// page (a path below the root, such as "briefings/b/"), leads, and
// whether it is a link into the site at all: links with a scheme
// (https:, mailto:) or to another host are not, nor are empty ones.
// outside is set for a relative link that climbs above the root.
func InternalTarget(page, dest string) (t LinkTarget, internal, outside bool) {
	if dest == "" || strings.HasPrefix(dest, "//") || strings.HasPrefix(dest, `/\`) {
		return t, false, false
	}
	u, err := url.Parse(dest)
	if err != nil {
		// A destination url.Parse refuses is still a path a browser
		// follows; its bytes are looked for as written.
		u = &url.URL{Path: dest}
		if p, f, ok := strings.Cut(dest, "#"); ok {
			u.Path, u.Fragment = p, f
		}
	}
	if u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return t, false, false
	}
	t.Fragment = u.Fragment
	p := u.Path
	if p == "" {
		// "?q" or "#frag": this page.
		t.Path = page
		return t, true, false
	}
	if !strings.HasPrefix(p, "/") {
		// Relative to the page's folder, as a browser resolves it.
		joined := path.Join("/"+page, p)
		if climbs(page, p) {
			return t, true, true
		}
		p = folder(joined, u.Path)
	} else {
		p = folder(path.Clean(p), p)
	}
	t.Path = strings.TrimPrefix(p, "/")
	return t, true, false
}

// folder is the cleaned path clean of the written path p with the final
// slash that cleaning took off put back: a link to a folder, "x/", "..",
// ".", leads to its index page.
func folder(clean, p string) string {
	last := p[strings.LastIndexByte(p, '/')+1:]
	if clean != "/" && (last == "" || last == "." || last == "..") {
		return clean + "/"
	}
	return clean
}

// climbs reports whether the relative path rel, followed from the folder
// page, goes above the root.
func climbs(page, rel string) bool {
	depth := strings.Count(strings.Trim(page, "/"), "/") + 1
	if strings.Trim(page, "/") == "" {
		depth = 0
	}
	for seg := range strings.SplitSeq(rel, "/") {
		switch seg {
		case "..":
			if depth--; depth < 0 {
				return true
			}
		case ".", "":
		default:
			depth++
		}
	}
	return false
}

// Rooted is a relative link destination written in the Markdown of the
// page at page (a path below the root, such as "briefings/b/") made a
// path from the root, as a browser on that page would resolve it:
// "../c/" becomes "/briefings/c/", "#x" "/briefings/b/#x". The path is
// joined as written, percent-escapes and all, and query and fragment are
// kept. A claim's words and a caveat are shown on their own pages and
// in lists too, where a relative link would lead elsewhere; from the
// root it leads to the same place from every page, and with the base
// path put before it (see Extension.BasePath) from every host. ok is
// false for what is not relative: empty, root-relative, with a scheme or
// a host, or climbing above the root.
func Rooted(page, dest string) (rooted string, ok bool) {
	if dest == "" || dest[0] == '/' || dest[0] == '\\' || hasScheme(dest) {
		return "", false
	}
	p, rest := dest, ""
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		p, rest = dest[:i], dest[i:]
	}
	if p == "" {
		return "/" + page + rest, true
	}
	if climbs(page, p) {
		return "", false
	}
	return folder(path.Join("/"+page, p), p) + rest, true
}

// hasScheme reports whether dest begins with a URL scheme and its colon,
// such as https: or mailto:, before any slash, question mark or hash.
func hasScheme(dest string) bool {
	for i := 0; i < len(dest); i++ {
		c := dest[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case c == ':':
			return i > 0
		default:
			return false
		}
	}
	return false
}
