package serve

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"briefing/generator/build"
	"briefing/generator/corpus"
	"briefing/generator/site"

	"github.com/chromedp/cdproto/input"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// faultHost serves a built site as a static host would, except that a
// request whose path starts with a prefix given to hold waits until the
// test lets it go, and one given to fail gets an error status, as many
// times as asked: a slow or failing network, made without timing.
type faultHost struct {
	url  string
	mu   sync.Mutex
	held map[string]chan struct{}
	fail map[string]int
	seen map[string]int // requests by prefix held or failed, answered
}

func newFaultHost(t *testing.T, out string) *faultHost {
	t.Helper()
	h := &faultHost{held: map[string]chan struct{}{}, fail: map[string]int{}, seen: map[string]int{}}
	files := http.FileServer(http.Dir(out))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		var gate chan struct{}
		prefix := ""
		for p, ch := range h.held {
			if strings.HasPrefix(r.URL.Path, p) {
				gate, prefix = ch, p
			}
		}
		failing := false
		for p, n := range h.fail {
			if n > 0 && strings.HasPrefix(r.URL.Path, p) {
				h.fail[p]--
				failing, prefix = true, p
			}
		}
		h.mu.Unlock()
		if gate != nil {
			select {
			case <-gate:
			case <-r.Context().Done():
			}
		}
		// Every request reaches the host: a response the browser kept
		// would make a fault asked for here never happen.
		w.Header().Set("Cache-Control", "no-store")
		if failing {
			http.Error(w, "failed on purpose", http.StatusInternalServerError)
		} else {
			files.ServeHTTP(w, r)
		}
		if prefix != "" {
			h.mu.Lock()
			h.seen[prefix]++
			h.mu.Unlock()
		}
	}))
	t.Cleanup(func() {
		h.mu.Lock()
		for p, ch := range h.held {
			close(ch)
			delete(h.held, p)
		}
		h.mu.Unlock()
		srv.Close()
	})
	h.url = srv.URL
	return h
}

// hold makes requests under prefix wait until release.
func (h *faultHost) hold(prefix string) {
	h.mu.Lock()
	h.held[prefix] = make(chan struct{})
	h.mu.Unlock()
}

func (h *faultHost) release(prefix string) {
	h.mu.Lock()
	if ch, ok := h.held[prefix]; ok {
		close(ch)
		delete(h.held, prefix)
	}
	h.mu.Unlock()
}

// failNext makes the next n requests under prefix fail.
func (h *faultHost) failNext(prefix string, n int) {
	h.mu.Lock()
	h.fail[prefix] = n
	h.mu.Unlock()
}

// answered is how many requests under prefix were held or failed and
// have been answered.
func (h *faultHost) answered(prefix string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seen[prefix]
}

// waitAnswered waits until n requests under prefix have been answered.
func (h *faultHost) waitAnswered(t *testing.T, prefix string, n int) {
	t.Helper()
	for range 500 {
		if h.answered(prefix) >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d requests under %s answered, want %d", h.answered(prefix), prefix, n)
}

// trackRejections counts, on every page the browser opens from now on,
// the promises rejected with no handler: an error the reader never hears
// of, in window.__rejected.
func trackRejections(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__rejected = 0; addEventListener("unhandledrejection", () => window.__rejected++);`,
	}); err != nil {
		t.Fatal(err)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, script string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script))
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return v
}

// stays checks that script stays true while the page has a moment to act
// on what it was last sent: an answer that must change nothing.
func stays(t *testing.T, ctx context.Context, what, script string) {
	t.Helper()
	for range 10 {
		if !evalJS[bool](t, ctx, script) {
			t.Fatalf("%s: no longer so", what)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// filterSite builds a generated site whose claims index has several pages
// and serves it from a faultHost.
func filterSite(t *testing.T) (*faultHost, *site.Model) {
	t.Helper()
	src := t.TempDir()
	if err := corpus.Write(src, 40, 2); err != nil {
		t.Fatal(err)
	}
	return hostBuilt(t, src)
}

// hostSite writes files, by slash path, into a new site, builds it and
// serves it from a faultHost.
func hostSite(t *testing.T, files map[string]string) *faultHost {
	t.Helper()
	src := t.TempDir()
	for name, text := range files {
		write(t, src, name, text)
	}
	host, _ := hostBuilt(t, src)
	return host
}

// hostBuilt builds the site in src and serves it from a faultHost.
func hostBuilt(t *testing.T, src string) (*faultHost, *site.Model) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	res := build.ToDir(build.Options{Src: src, Builtin: builtin}, out)
	if res.Failed() {
		t.Fatal(res.Diags)
	}
	return newFaultHost(t, out), res.Model
}

// filterView is what a reader of the claims filter sees.
const filterView = `JSON.stringify({
	server: document.querySelector(".claims-page").offsetParent !== null,
	results: [...document.querySelectorAll(".claims-results .claim-item")].filter(e => e.offsetParent !== null).length,
	status: document.querySelector(".filter-status").textContent,
	address: location.pathname + location.search,
	form: ["actor", "reliability", "credibility", "tag", "from", "to"].map(f => document.querySelector("#f-" + f).value).join("|"),
})`

// TestClaimsFilterFaults: the claims filter on a slow or failing network,
// and with an address it cannot apply. A filter whose data arrives after
// the reader cleared it does not come back; going forward to the
// unfiltered list clears the form; an actor the site does not have, or a
// date that is none, is left out, said so, and dropped from the address;
// a failed load is said, asked for again at the next change, and leaves
// no unhandled error; the filtered list marks claims as dir="auto", as the
// server's does.
func TestClaimsFilterFaults(t *testing.T) {
	ctx := browserFor(t, 2*time.Minute)
	host, m := filterSite(t)
	trackRejections(t, ctx)
	var actor *site.Actor
	for _, a := range m.Actors {
		if len(a.ClaimsBy) > 0 && (actor == nil || len(a.ClaimsBy) > len(actor.ClaimsBy)) {
			actor = a
		}
	}
	if actor == nil {
		t.Fatal("no actor has claims")
	}
	view := func() string { return evalJS[string](t, ctx, filterView) }
	waitView := func(what, cond string) {
		t.Helper()
		waitJS(t, ctx, what, "(() => { const v = "+filterView+"; return "+cond+"; })() ", 10*time.Second)
	}

	// A slow filter, cleared while it loads.
	host.hold("/claims/filter")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(host.url+"/claims/?actor="+url.QueryEscape(actor.ID))); err != nil {
		t.Fatal(err)
	}
	waitView("loading", `JSON.parse(v).status === "Loading…"`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".claims-filter form").reset(), true`)); err != nil {
		t.Fatal(err)
	}
	waitView("cleared", `JSON.parse(v).address === "/claims/" && JSON.parse(v).server`)
	host.release("/claims/filter")
	host.waitAnswered(t, "/claims/filter", 1)
	stays(t, ctx, "the unfiltered list after a late answer", `(() => { const v = JSON.parse(`+filterView+`); return v.server && v.results === 0 && v.address === "/claims/"; })()`)

	// Forward to the unfiltered list clears the form. The reliability
	// with the most claims fills more than one page.
	counts := map[string]int{}
	best := ""
	for _, c := range m.Claims {
		counts[c.Grade.Reliability]++
		if best == "" || counts[c.Grade.Reliability] > counts[best] {
			best = c.Grade.Reliability
		}
	}
	if counts[best] <= 100 {
		t.Fatalf("no reliability has more than a page of claims: %v", counts)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(host.url+"/claims/?reliability="+best)); err != nil {
		t.Fatal(err)
	}
	waitView("filtered", `JSON.parse(v).status === "`+fmt.Sprint(counts[best])+` claims match."`)
	if err := chromedp.Do(ctx, chromedp.Click(`.claims-results nav.pager a[rel="next"]`)); err != nil {
		t.Fatal(err)
	}
	waitView("page 2", `JSON.parse(v).address.includes("page=2")`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".claims-filter form").reset(), true`)); err != nil {
		t.Fatal(err)
	}
	waitView("cleared", `JSON.parse(v).address === "/claims/"`)
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	waitView("back", `JSON.parse(v).form === "|`+best+`||||"`)
	if err := chromedp.Do(ctx, chromedp.NavigateForward()); err != nil {
		t.Fatal(err)
	}
	waitView("forward", `JSON.parse(v).address === "/claims/" && JSON.parse(v).server`)
	if v := view(); !strings.Contains(v, `"form":"|||||"`) {
		t.Errorf("forward to the unfiltered list, the form still filters: %s", v)
	}

	// An address the site cannot apply.
	if err := chromedp.Do(ctx, chromedp.Navigate(host.url+"/claims/?actor=no-such-actor&from=2026-02-30&tag="+url.QueryEscape("t&amp;"))); err != nil {
		t.Fatal(err)
	}
	waitView("left out", `JSON.parse(v).status.includes("Left out of the filter")`)
	v := view()
	for _, want := range []string{`"server":true`, `"address":"/claims/"`, `no-such-actor`, `2026-02-30`, `"form":"|||||"`} {
		if !strings.Contains(v, want) {
			t.Errorf("an address the site cannot apply: %s lacks %s", v, want)
		}
	}
	// A date Date.UTC would roll over is no date, beside one that is.
	if err := chromedp.Do(ctx, chromedp.Navigate(host.url+"/claims/?from=2000-01-01&to=2026-13-45")); err != nil {
		t.Fatal(err)
	}
	waitView("one date left out", `JSON.parse(v).status.includes("Left out of the filter") && JSON.parse(v).status.includes("match")`)
	if v := view(); !strings.Contains(v, `"address":"/claims/?from=2000-01-01"`) || !strings.Contains(v, `2026-13-45`) {
		t.Errorf("a date that is none beside one that is: %s", v)
	}

	// A failed load, then a change that asks again.
	host.failNext("/claims/filter.json", 1)
	if err := chromedp.Do(ctx, chromedp.Navigate(host.url+"/claims/?actor="+url.QueryEscape(actor.ID))); err != nil {
		t.Fatal(err)
	}
	waitView("failed", `JSON.parse(v).status.includes("could not be loaded")`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const f = document.querySelector("#f-from"); f.value = "2000-01-01"; f.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	waitView("loaded again", `JSON.parse(v).status.endsWith("match.") && JSON.parse(v).results > 0`)
	if n := evalJS[int](t, ctx, `window.__rejected`); n != 0 {
		t.Errorf("%d promises rejected with no handler", n)
	}
	if dirs := evalJS[[]string](t, ctx, `[...new Set([...document.querySelectorAll(".claims-results a.claim-words")].map(a => a.getAttribute("dir")))]`); len(dirs) != 1 || dirs[0] != "auto" {
		t.Errorf("the filtered list's claims have dir %q, want \"auto\" as the server's", dirs)
	}
}

// TestSearchFaults: a "Show more" whose results fail to load can be pressed
// again and then shows them, with no unhandled error; a query whose index
// fails to load does not leave the last query's results on screen.
func TestSearchFaults(t *testing.T) {
	ctx := browserFor(t, 90*time.Second)
	host, m := filterSite(t)
	trackRejections(t, ctx)
	// A word in more claims than a group shows at first.
	word := ""
	for _, w := range []string{"talks", "corridor", "ceasefire", "minister", "envoy", "statement"} {
		n := 0
		for _, c := range m.Claims {
			if strings.Contains(strings.ToLower(c.Text()), w) {
				n++
			}
		}
		if n > 20 {
			word = w
			break
		}
	}
	if word == "" {
		t.Fatal("no word is in enough claims")
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(host.url+"/search/?q="+word+"%20")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "results", `document.querySelector("#search-results[data-query]") !== null`, 10*time.Second)
	// A claim's words are laid out by their own script, as on its pages.
	if dirs := evalJS[[]string](t, ctx, `[...new Set([...document.querySelectorAll(".group-c q")].map(q => q.getAttribute("dir")))]`); len(dirs) != 1 || dirs[0] != "auto" {
		t.Errorf("claims' words in the results have dir %q, want \"auto\"", dirs)
	}
	items := `document.querySelectorAll(".group-c .search-list li").length`
	before := evalJS[int](t, ctx, items)
	host.failNext("/search/f/", 1000)
	if err := chromedp.Do(ctx, chromedp.Click(".group-c .search-more")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "failed more", `document.querySelector(".group-c .search-more").textContent.includes("try again") && !document.querySelector(".group-c .search-more").disabled`, 10*time.Second)
	if focused := evalJS[string](t, ctx, `document.activeElement.className`); focused != "search-more" {
		t.Errorf("after a failed Show more, focus is on %q", focused)
	}
	host.failNext("/search/f/", 0)
	if err := chromedp.Do(ctx, chromedp.Click(".group-c .search-more")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "more", items+` > `+fmt.Sprint(before), 10*time.Second)
	// The results that failed are the ones shown next, none skipped:
	// pressed until it goes, Show more has shown as many as the group
	// counts.
	for evalJS[bool](t, ctx, `document.querySelector(".group-c .search-more") !== null`) {
		n := evalJS[int](t, ctx, items)
		if err := chromedp.Do(ctx, chromedp.Click(".group-c .search-more")); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "more", items+` > `+fmt.Sprint(n), 10*time.Second)
	}
	count := evalJS[string](t, ctx, `document.querySelector(".group-c h2 .count").textContent`)
	if shown := evalJS[int](t, ctx, items); count != fmt.Sprintf("(%d)", shown) {
		t.Errorf("Show more, pressed until it went, showed %d claims of %s", shown, count)
	}
	if n := evalJS[int](t, ctx, `window.__rejected`); n != 0 {
		t.Errorf("%d promises rejected with no handler", n)
	}

	// A query whose results fail to load (an actor's name: no actor's
	// result has been fetched yet): the last query's results go.
	host.failNext("/search/f/a", 1000)
	name := strings.Fields(m.Actors[0].Name)[0]
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const i = document.querySelector("#search-q"); i.value = %q; i.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, name+" "))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "failed search", `document.querySelector("#search-status").textContent.includes("could not be loaded")`, 10*time.Second)
	if n := evalJS[int](t, ctx, `document.querySelectorAll("#search-results li").length`); n != 0 {
		t.Errorf("a failed search left %d results of the last query on screen", n)
	}
}

// nestedClaims is a site of one briefing, with body, whose claims are
// said by alpha and beta and sourced to s1.
func nestedClaims(body string) map[string]string {
	return map[string]string{
		"content/actors/alpha.md": "---\nname: Alpha\nkind: person\n---\n",
		"content/actors/beta.md":  "---\nname: Beta\nkind: person\n---\n",
		"content/sources/s1.md":   "---\ntitle: S1\nreliability: B\ncredibility: 2\n---\n",
		"content/briefings/b.md":  "---\ntitle: Nested\ndate: 2026-01-01\n---\n\n" + body,
	}
}

// TestNestedClaimCards: a claim inside another claim's words shows its own
// card, not the outer claim's over it, on hover, on focus and by a tap;
// Escape on it leaves the outer claim's card to show when focus comes to
// the outer mark; Escape with focus inside a card sends focus back to its
// mark, not to the top of the page.
func TestNestedClaimCards(t *testing.T) {
	ctx := browser(t)
	host := hostSite(t, nestedClaims("Lead words :claim[outer says :claim[inner words]{#inner by=beta src=s1 status=refuted} and more]{#outer by=alpha src=s1 status=disputed}.\n\n"+
		"Another line of text below the claims, long enough to wrap on a phone and keep the sheet off them.\n"))
	shown := func(id string) bool {
		return evalJS[bool](t, ctx, fmt.Sprintf(`getComputedStyle(document.querySelector("#%s > .claim-card")).display !== "none"`, id))
	}
	// The page must have focus for focus events to fire: a click on its corner.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(host.url+"/briefings/b/"), chromedp.WaitVisible("#claim-inner"), chromedp.MouseClickXY(2, 2)); err != nil {
		t.Fatal(err)
	}
	// Hover.
	x, y := markCentre(ctx, t, "claim-inner")
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "inner card on hover", `getComputedStyle(document.querySelector("#claim-inner > .claim-card")).display !== "none"`, 5*time.Second)
	if shown("claim-outer") {
		t.Error("hovering the inner claim shows the outer claim's card too")
	}
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 5, 5)); err != nil {
		t.Fatal(err)
	}
	// Focus, Escape, then the outer mark.
	evalJS[bool](t, ctx, `document.querySelector("#claim-inner > .claim-mark").focus(), true`)
	if !shown("claim-inner") || shown("claim-outer") {
		t.Errorf("focus on the inner mark: inner card %v, outer card %v", shown("claim-inner"), shown("claim-outer"))
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	if shown("claim-inner") || shown("claim-outer") {
		t.Errorf("after Escape: inner card %v, outer card %v", shown("claim-inner"), shown("claim-outer"))
	}
	evalJS[bool](t, ctx, `document.querySelector("#claim-outer > .claim-mark").focus(), true`)
	if !shown("claim-outer") {
		t.Error("focus on the outer mark after Escape on the inner one: its card stays shut")
	}
	// Escape inside a card.
	evalJS[bool](t, ctx, `document.querySelector("#claim-outer > .claim-card a").focus(), true`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	if got := evalJS[string](t, ctx, `document.activeElement.closest(".claim") ? document.activeElement.closest(".claim").id + " " + document.activeElement.className : document.activeElement.tagName`); got != "claim-outer claim-mark" {
		t.Errorf("Escape inside a card left focus on %q, want the outer claim's mark", got)
	}
	if shown("claim-outer") {
		t.Error("Escape inside the outer card left it shown")
	}

	// A tap on a phone.
	if err := chromedp.Do(ctx, phone(390), chromedp.Navigate(host.url+"/briefings/b/"), chromedp.WaitVisible("#claim-inner")); err != nil {
		t.Fatal(err)
	}
	x, y = markCentre(ctx, t, "claim-inner")
	if err := tap(ctx, x, y); err != nil {
		t.Fatal(err)
	}
	if st := waitCard(ctx, t, "claim-inner", true); !st.Open {
		t.Fatal("a tap on the inner mark did not open its card")
	}
	if shown("claim-outer") {
		t.Error("a tap on the inner mark shows the outer claim's card as well")
	}
	top := evalJS[string](t, ctx, `(() => { const r = document.querySelector("#claim-inner > .claim-card").getBoundingClientRect();
		const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return e.closest(".claim-card") ? e.closest(".claim-card").id : e.tagName; })()`)
	if top != "claim-inner-card" {
		t.Errorf("on top of the inner claim's card is %q", top)
	}
}

// TestClaimsFilterLeftOutFirstPage: when the filter leaves out every value
// of an address, the page number goes with them: the list shown is the
// server's first page.
func TestClaimsFilterLeftOutFirstPage(t *testing.T) {
	ctx := browserFor(t, time.Minute)
	host, _ := filterSite(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(host.url+"/claims/?actor=ghost&page=3")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "left out", `document.querySelector(".filter-status").textContent.includes("Left out")`, 10*time.Second)
	if got := evalJS[string](t, ctx, `location.pathname + location.search`); strings.Contains(got, "page=") {
		t.Errorf("after every filter was left out the address is %q, showing the unfiltered first page", got)
	}
}

// TestNestedCardPlace: on a wide screen a claim's card starts below its own
// mark (cards.js place), a claim inside another's words too: focus on the
// inner mark reaches the outer claim's focusin listener as well, which
// must place the outer card, not the first card inside the outer claim.
func TestNestedCardPlace(t *testing.T) {
	ctx := browser(t)
	host := hostSite(t, nestedClaims("Lead words that go on for a while here :claim[outer says many things before :claim[inner words]{#inner by=beta src=s1 status=refuted} and more words after it too]{#outer by=alpha src=s1 status=disputed}.\n"))
	// The page must have focus for focusin to fire: a click on its corner.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(host.url+"/briefings/b/"),
		chromedp.WaitVisible("#claim-inner"), chromedp.MouseClickXY(2, 2)); err != nil {
		t.Fatal(err)
	}
	// Where place() should put the card of claim id: below its mark, kept
	// inside the paragraph.
	check := func(id string) {
		t.Helper()
		evalJS[bool](t, ctx, fmt.Sprintf(`document.querySelector("#claim-%s > .claim-mark").focus(), true`, id))
		got := evalJS[[]float64](t, ctx, fmt.Sprintf(`(() => {
			const c = document.querySelector("#claim-%s > .claim-card"), m = document.querySelector("#claim-%s > .claim-mark");
			const box = c.offsetParent.getBoundingClientRect(), r = c.getBoundingClientRect();
			const want = Math.max(box.left, Math.min(box.right - r.width, m.getBoundingClientRect().left));
			return [r.left, want];
		})()`, id, id))
		if math.Abs(got[0]-got[1]) > 2 {
			t.Errorf("focus on the %s mark: its card starts at x=%.0f, want x=%.0f (below its mark)", id, got[0], got[1])
		}
		evalJS[bool](t, ctx, `document.activeElement.blur(), true`)
	}
	check("inner")
	check("outer")
}

// TestSearchProfileWords: an actor found by a word of its profile, which
// its result does not show, says where the word is.
func TestSearchProfileWords(t *testing.T) {
	ctx := browser(t)
	host := hostSite(t, map[string]string{
		"content/actors/a.md":    "---\nname: Ana Ferraz\nkind: person\n---\nBorn in Zanzibar.\n",
		"content/sources/s.md":   "---\ntitle: S\nreliability: C\n---\nA wire service in Quito.\n",
		"content/briefings/b.md": "---\ntitle: B\ndate: 2026-11-24\n---\n:claim[words]{by=a src=s}\n",
	})
	for q, want := range map[string]string{"zanzibar": ".group-a", "quito": ".group-s"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(host.url+"/search/?q="+q+"%20")); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "results", `document.querySelector("#search-results[data-query]") !== null`, 10*time.Second)
		text := evalJS[string](t, ctx, `(document.querySelector("`+want+` li") || {textContent: "no result"}).textContent`)
		if !strings.Contains(text, "the words are in its") {
			t.Errorf("%s: the result reads %q", q, text)
		}
	}
}

// TestLongWordsFitPhones: a word longer than a phone's line (a chemical
// name, a URL) in a briefing's title, a claim's words, a source's address
// or an actor's alias widens no page at 390 px; the claim's page, whose briefing list is a grid, scrolled
// sideways before.
func TestLongWordsFitPhones(t *testing.T) {
	ctx := browser(t)
	long := strings.Repeat("Pneumonoultramicroscopicsilicovolcanoconiosis", 4)
	files := nestedClaims("He said :claim[the " + long + " is here]{#c1 by=alpha src=s1} at https://example.org/" + long + "\n")
	files["content/briefings/b.md"] = strings.Replace(files["content/briefings/b.md"], "title: Nested", "title: Long "+long+" words", 1)
	// In the facts list too, which a phone shows as one column.
	files["content/sources/s1.md"] = "---\ntitle: S1\nreliability: B\ncredibility: 2\nurl: https://example.org/" + long + "\n---\n"
	files["content/actors/alpha.md"] = "---\nname: Alpha\nkind: person\naliases: [" + long + "]\n---\n"
	host := hostSite(t, files)
	for _, p := range []string{"/briefings/b/", "/claims/c1/", "/actors/alpha/", "/sources/s1/", "/briefings/", "/claims/"} {
		if err := chromedp.Do(ctx, phone(390), chromedp.Navigate(host.url+p), chromedp.WaitVisible("main")); err != nil {
			t.Fatal(err)
		}
		if w := evalJS[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s is %d px wide at 390 px", p, w)
		}
	}
}

// TestWideTablesFitPaper: printed, a table wider than the paper (many
// columns, long words, an address) is laid out within the page's width,
// where on screen it scrolls inside its box: paper cannot scroll, and
// what passed its edge was cut off. The viewport is A4's width inside the
// print stylesheet's margins (210 mm − 2 × 1.8 cm, at 96 px an inch).
func TestWideTablesFitPaper(t *testing.T) {
	ctx := browser(t)
	long := strings.Repeat("Pneumonoultramicroscopicsilicovolcanoconiosis", 2)
	head := "| " + strings.Repeat("Column heading | ", 9) + "\n|" + strings.Repeat("---|", 9) + "\n"
	row := "| " + long + " | https://example.org/" + long + " | " + strings.Repeat("word ", 40) + "|" + strings.Repeat(" cell text |", 6) + "\n"
	files := nestedClaims("Before the table :claim[it was said]{#c1 by=alpha src=s1}.\n\n" + head + row + row)
	files["content/sources/s1.md"] = "---\ntitle: S1 " + long + "\nreliability: B\ncredibility: 2\npublisher: " + long + "\nurl: https://example.org/" + long + "\n---\n"
	host := hostSite(t, files)
	const width = 658
	for _, p := range []string{"/briefings/b/", "/sources/", "/sources/s1/", "/claims/c1/"} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(host.url+p), colourScheme("light", true), chromedp.WaitReady("main")); err != nil {
			t.Fatal(err)
		}
		if !evalJS[bool](t, ctx, `matchMedia("print").matches`) {
			t.Fatal("print media is not emulated")
		}
		over := evalJS[[]string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll("table")].filter(e => e.getBoundingClientRect().right > %d + 1).map(e => e.className + " " + Math.round(e.getBoundingClientRect().right))`, width))
		if len(over) > 0 {
			t.Errorf("%s printed: tables past the paper's edge (right edge in px): %v", p, over)
		}
		if w := evalJS[int](t, ctx, `document.documentElement.scrollWidth`); w > width {
			t.Errorf("%s printed is %d px wide on %d px of paper", p, w, width)
		}
	}
}
