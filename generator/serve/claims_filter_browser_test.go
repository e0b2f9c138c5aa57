package serve

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"briefing/generator/site"

	"github.com/chromedp/chromedp"
)

// TestClaimsFilterByActor opens the claims index of one status narrowed to
// one actor by its address, on a built site served as a static host would,
// and checks that exactly the matching claims of the whole site are shown,
// not only those of the page; then narrows it further by the source's
// reliability from the form and checks the list and the address follow.
func TestClaimsFilterByActor(t *testing.T) {
	ctx := browserFor(t, 90*time.Second)
	host, m := filterSite(t)

	// The actor with the most disputed claims, and what the filter must
	// show for it: the site's claims in the index's order.
	const status = "disputed"
	want := func(a *site.Actor, reliability string) []string {
		var ids []string
		for _, c := range m.Claims {
			if c.Status == status && slices.Contains(c.By, a) && (reliability == "" || c.Grade.Reliability == reliability) {
				ids = append(ids, c.ID)
			}
		}
		return ids
	}
	var actor *site.Actor
	for _, a := range m.Actors {
		if actor == nil || len(want(a, "")) > len(want(actor, "")) {
			actor = a
		}
	}
	all := want(actor, "")
	if len(all) < 2 || len(m.Claims) <= 100 {
		t.Fatalf("the generated site should have claims on several pages and an actor with disputed claims: %d claims, %d for %s", len(m.Claims), len(all), actor.ID)
	}
	// A reliability that narrows the list without emptying it.
	reliability := ""
	for _, r := range []string{"A", "B", "C", "D", "E", "F"} {
		if n := len(want(actor, r)); n > 0 && n < len(all) {
			reliability = r
			break
		}
	}
	if reliability == "" {
		t.Fatalf("no reliability narrows %s's disputed claims", actor.ID)
	}

	shown := `JSON.stringify({
		ids: [...document.querySelectorAll(".claims-results .claim-item")].filter(e => e.offsetParent !== null).map(e => e.dataset.status + " " + e.querySelector("a.claim-words").getAttribute("href")),
		server: document.querySelector(".claims-page").offsetParent !== null,
		search: location.search,
		path: location.pathname,
		status: document.querySelector(".filter-status").textContent,
		actor: document.querySelector("#f-actor").value,
		all: document.querySelector(".filter a:not([data-status])").getAttribute("href"),
	})`
	type view struct {
		IDs                []string
		Server             bool
		Search, Path       string
		Status, Actor, All string
	}
	read := func(wantN int) view {
		t.Helper()
		var v view
		matches := fmt.Sprintf("%d claims match.", wantN)
		if wantN == 1 {
			matches = "1 claim matches."
		}
		for range 100 {
			s, err := chromedp.Run(ctx, chromedp.Evaluate[string](shown))
			if err != nil {
				t.Fatal(err)
			}
			v = view{}
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				t.Fatal(err)
			}
			if v.Status == matches {
				return v
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("the filter says %q, want %q", v.Status, matches)
		return v
	}
	check := func(v view, ids []string) {
		t.Helper()
		var wantShown []string
		for _, id := range ids {
			wantShown = append(wantShown, status+" /claims/"+id+"/")
		}
		if !slices.Equal(v.IDs, wantShown) {
			t.Errorf("shown:\n%s\nwant:\n%s", strings.Join(v.IDs, "\n"), strings.Join(wantShown, "\n"))
		}
		if v.Server {
			t.Error("the page's own list is still shown beside the filtered one")
		}
		if v.Actor != actor.ID {
			t.Errorf("the actor control shows %q, want %q", v.Actor, actor.ID)
		}
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(host.url+"/claims/"+status+"/?actor="+url.QueryEscape(actor.ID))); err != nil {
		t.Fatal(err)
	}
	v := read(len(all))
	check(v, all)
	if v.Path != "/claims/"+status+"/" || v.Search != "?actor="+actor.ID {
		t.Errorf("address %s%s", v.Path, v.Search)
	}
	if v.All != "/claims/?actor="+actor.ID {
		t.Errorf("the link to all claims is %q: it should keep the actor", v.All)
	}

	// Narrowed further from the form.
	set := fmt.Sprintf(`(() => { const s = document.querySelector("#f-reliability"); s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, reliability)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](set)); err != nil {
		t.Fatal(err)
	}
	narrowed := want(actor, reliability)
	v = read(len(narrowed))
	check(v, narrowed)
	if q, _ := url.ParseQuery(strings.TrimPrefix(v.Search, "?")); q.Get("actor") != actor.ID || q.Get("reliability") != reliability || v.Path != "/claims/"+status+"/" {
		t.Errorf("after choosing reliability %s the address is %s%s", reliability, v.Path, v.Search)
	}

	// The filtered page, its form open, passes axe-core in both schemes,
	// when the CI's copy is at hand.
	if axePath := os.Getenv("BRIEFING_AXE"); axePath != "" {
		axe, err := os.ReadFile(axePath)
		if err != nil {
			t.Fatal(err)
		}
		for _, scheme := range []string{"light", "dark"} {
			if err := chromedp.Do(ctx, colourScheme(scheme, false)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(axe))); err != nil {
				t.Fatal(err)
			}
			found, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
				JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical")))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if found != "[]" {
				t.Errorf("axe-core, %s scheme: %s", scheme, found)
			}
		}
		if err := chromedp.Do(ctx, colourScheme("light", false)); err != nil {
			t.Fatal(err)
		}
	}
	// Screenshots for a person to look at, as TestScreenshots takes them.
	if dir := os.Getenv("BRIEFING_SHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, width := range []int64{390, 1280} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Reload()); err != nil {
				t.Fatal(err)
			}
			read(len(narrowed))
			img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			save(t, dir, fmt.Sprintf("claims-filtered-%d.png", width), img)
		}
	}
}
