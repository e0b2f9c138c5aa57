package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// phone emulates a 390 px wide touch screen.
func phone(width int64) chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)
}

// tap touches the screen at x, y and lifts the finger, as a tap does:
// Chromium makes of it the pointer, touch, mouse and click events of a tap.
func tap(ctx context.Context, x, y float64) error {
	if _, err := chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{
		Type: input.DispatchTouchEventTypeTouchStart, TouchPoints: []*input.TouchPoint{{X: x, Y: y}},
	}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{
		Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{},
	})
	return err
}

// cardState is what the test reads of the page after each step.
type cardState struct {
	Path     string  `json:"path"`
	Scroll   int     `json:"scroll"`   // document.documentElement.scrollWidth
	Inner    int     `json:"inner"`    // innerWidth
	Open     bool    `json:"open"`     // the card is displayed
	Expanded string  `json:"expanded"` // the mark's aria-expanded
	Left     float64 `json:"left"`     // the card's box
	Right    float64 `json:"right"`
}

func readCard(ctx context.Context, t *testing.T, id string) cardState {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const claim = document.getElementById(%q), card = claim.querySelector(".claim-card"), r = card.getBoundingClientRect();
		return JSON.stringify({path: location.pathname, scroll: document.documentElement.scrollWidth, inner: innerWidth,
			open: getComputedStyle(card).display !== "none", expanded: claim.querySelector(".claim-mark").getAttribute("aria-expanded") || "",
			left: r.left, right: r.right});
	})()`, id)
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatal(err)
	}
	var st cardState
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// waitCard is readCard once the card is open or closed as wanted, or
// after two seconds: the events of a tap arrive after the tap returns.
func waitCard(ctx context.Context, t *testing.T, id string, open bool) cardState {
	t.Helper()
	st := readCard(ctx, t, id)
	for i := 0; i < 40 && st.Open != open; i++ {
		time.Sleep(50 * time.Millisecond)
		st = readCard(ctx, t, id)
	}
	return st
}

// markCentre is where the mark of the claim with the id is on screen,
// scrolled into view first.
func markCentre(ctx context.Context, t *testing.T, id string) (float64, float64) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const m = document.querySelector("#%s > .claim-mark"); m.scrollIntoView({block: "center"});
		const r = m.getClientRects()[0]; return [r.left + r.width / 2, r.top + r.height / 2]; })()`, id)
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](js))
	if err != nil || len(xy) != 2 {
		t.Fatalf("mark of %s: %v %v", id, xy, err)
	}
	return xy[0], xy[1]
}

// TestClaimCardByTap: on a 390 px touch screen, a tap on each claim's mark
// of a briefing opens its card and stays on the page, the card is on
// screen and the page no wider than the screen; Escape closes it, as does
// a tap outside; a second tap on the mark goes to the claim's page. The
// sources index at 390 px is no wider than the screen either.
func TestClaimCardByTap(t *testing.T) {
	ctx := browserFor(t, 3*time.Minute)
	var briefing, sources page
	for _, p := range serveSite(t, "sample", "../..") {
		if p.kind == "sources" && p.key == "sources" {
			sources = p
		}
		if p.path == "briefings/2026-11-11-first-round/index.html" {
			briefing = p
		}
	}
	if briefing.path == "" || sources.path == "" {
		t.Fatal("the sample site lacks the briefing or the sources index")
	}
	for _, width := range []int64{390, 320} {
		if err := chromedp.Do(ctx, phone(width), chromedp.Navigate(briefing.url()), chromedp.WaitVisible(".claim-mark")); err != nil {
			t.Fatal(err)
		}
		ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".prose .claim[id]")].map(c => c.id)`))
		if err != nil || len(ids) < 2 {
			t.Fatalf("claims on the page: %v %v", ids, err)
		}
		for _, id := range ids {
			x, y := markCentre(ctx, t, id)
			if err := tap(ctx, x, y); err != nil {
				t.Fatal(err)
			}
			st := waitCard(ctx, t, id, true)
			if st.Path != "/briefings/2026-11-11-first-round/" || !st.Open || st.Expanded != "true" {
				t.Errorf("%d px, %s: after a tap, on %s, card open %v, aria-expanded %q", width, id, st.Path, st.Open, st.Expanded)
				continue
			}
			if st.Scroll > int(width) || st.Inner != int(width) || st.Left < 0 || st.Right > float64(width) {
				t.Errorf("%d px, %s: the card runs from %.0f to %.0f, the page is %d wide in a window of %d", width, id, st.Left, st.Right, st.Scroll, st.Inner)
			}
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
				t.Fatal(err)
			}
			if st := waitCard(ctx, t, id, false); st.Open || st.Expanded != "false" {
				t.Errorf("%d px, %s: Escape left the card open (%v, aria-expanded %q)", width, id, st.Open, st.Expanded)
			}
		}
		// A tap outside closes an open card.
		id := ids[0]
		x, y := markCentre(ctx, t, id)
		if err := tap(ctx, x, y); err != nil {
			t.Fatal(err)
		}
		if st := waitCard(ctx, t, id, true); !st.Open {
			t.Fatalf("%d px: the card of %s did not open", width, id)
		}
		hx, hy, err := headingCentre(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := tap(ctx, hx, hy); err != nil {
			t.Fatal(err)
		}
		if st := waitCard(ctx, t, id, false); st.Open || st.Expanded != "false" {
			t.Errorf("%d px: a tap outside left the card of %s open (%v, %q)", width, id, st.Open, st.Expanded)
		}
	}
	// A second tap on the mark goes on to the claim's page.
	id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".prose .claim[id]").id`))
	if err != nil {
		t.Fatal(err)
	}
	x, y := markCentre(ctx, t, id)
	if err := tap(ctx, x, y); err != nil {
		t.Fatal(err)
	}
	if st := waitCard(ctx, t, id, true); !st.Open || st.Path != "/briefings/2026-11-11-first-round/" {
		t.Fatalf("the first tap on %s: card open %v, on %s", id, st.Open, st.Path)
	}
	x, y = markCentre(ctx, t, id)
	if err := tap(ctx, x, y); err != nil {
		t.Fatal(err)
	}
	var where string
	for range 50 {
		where, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
		if strings.HasPrefix(where, "/claims/") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if where != "/claims/"+strings.TrimPrefix(id, "claim-")+"/" {
		t.Errorf("a second tap went to %q", where)
	}

	for _, width := range []int64{390, 320} {
		if err := chromedp.Do(ctx, phone(width), chromedp.Navigate(sources.url()), chromedp.WaitVisible("table.sources")); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`(() => { const w = document.querySelector(".table-wrap");
			return [document.documentElement.scrollWidth, innerWidth, w.scrollWidth, w.clientWidth]; })()`))
		if err != nil {
			t.Fatal(err)
		}
		if got[0] > int(width) {
			t.Errorf("%d px: the sources index is %d px wide", width, got[0])
		}
		if got[2] <= got[3] {
			t.Errorf("%d px: the sources table (%d px) does not scroll in its box (%d px); the test checks nothing", width, got[2], got[3])
		}
	}
	if dir := os.Getenv("BRIEFING_SHOTS"); dir != "" {
		screenshots(t, ctx, dir, briefing, sources)
	}
}

// headingCentre is where the briefing's title is: a place outside any
// claim.
func headingCentre(ctx context.Context) (float64, float64, error) {
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { scrollTo(0, 0); const r = document.querySelector("h1").getBoundingClientRect();
		return [r.left + 10, r.top + r.height / 2]; })()`))
	if err != nil || len(xy) != 2 {
		return 0, 0, fmt.Errorf("heading: %v %v", xy, err)
	}
	return xy[0], xy[1], nil
}

// screenshots writes the briefing, with one card open at 390 px, and the
// sources index at 390 and 1280 px, in the light and the dark scheme, to
// dir: for a person to look at, as BRIEFING_SHOTS asks.
func screenshots(t *testing.T, ctx context.Context, dir string, pages ...page) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		for _, width := range []int64{390, 1280} {
			for _, scheme := range []string{"light", "dark"} {
				view := chromedp.EmulateViewport(width, 900)
				if width < 600 {
					view = phone(width)
				}
				if err := chromedp.Do(ctx, view, colourScheme(scheme, false), chromedp.Navigate(p.url()), chromedp.WaitVisible("main")); err != nil {
					t.Fatal(err)
				}
				if p.kind == "briefing" && width < 600 {
					id := "claim-corridor-agreed-in-principle"
					x, y := markCentre(ctx, t, id)
					if err := tap(ctx, x, y); err != nil {
						t.Fatal(err)
					}
					waitCard(ctx, t, id, true)
					card, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("card-%d-%s.png", width, scheme)), card, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("%s-%d-%s.jpg", p.kind, width, scheme)
				if err := os.WriteFile(filepath.Join(dir, name), shot, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestClaimCardRightToLeft: on a site written right to left a claim's card
// opens from the paragraph's right, its start, not its left: by focus on a
// wide screen at the paragraph's right edge, and by a tap on a tablet below
// the mark from the mark's right edge, as it opens from a mark's left edge
// in a page written left to right.
func TestClaimCardRightToLeft(t *testing.T) {
	ctx := browser(t)
	words := strings.Repeat("كلمات عربية في الفقرة ", 4)
	files := nestedClaims(words + ":claim[قال الوزير إن المحادثات مستمرة]{#c1 by=alpha src=s1} " + strings.Repeat(words, 6) + "\n")
	files["content/_index.md"] = "---\ntitle: موجز\nlanguage: ar\n---\n"
	host := hostSite(t, files)
	edges := `(() => { const c = document.querySelector("#claim-c1"), card = c.querySelector(".claim-card"), p = c.closest("p"), m = c.querySelector(".claim-mark");
		const r = card.getBoundingClientRect(), pr = p.getBoundingClientRect(), mr = m.getClientRects()[0];
		return [r.left, r.right, pr.left, pr.right, mr.right, getComputedStyle(card).display === "none" ? 0 : 1]; })()`
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(host.url+"/briefings/b/"), chromedp.WaitVisible("#claim-c1")); err != nil {
		t.Fatal(err)
	}
	if dir := evalJS[string](t, ctx, `getComputedStyle(document.querySelector(".prose p")).direction`); dir != "rtl" {
		t.Fatalf("the paragraph's direction is %q", dir)
	}
	evalJS[bool](t, ctx, `(document.querySelector("#claim-c1 > .claim-mark").focus(), true)`)
	e := evalJS[[]float64](t, ctx, edges)
	if e[5] != 1 || math.Abs(e[1]-e[3]) > 1 {
		t.Errorf("focused at 1280 px: the card (shown %v) runs from %.0f to %.0f in a paragraph from %.0f to %.0f; want it at the paragraph's right", e[5] == 1, e[0], e[1], e[2], e[3])
	}

	if err := chromedp.Do(ctx, phone(820), chromedp.Navigate(host.url+"/briefings/b/"), chromedp.WaitVisible("#claim-c1")); err != nil {
		t.Fatal(err)
	}
	x, y := markCentre(ctx, t, "claim-c1")
	if err := tap(ctx, x, y); err != nil {
		t.Fatal(err)
	}
	waitCard(ctx, t, "claim-c1", true)
	e = evalJS[[]float64](t, ctx, edges)
	left, right, pLeft, pRight, markRight := e[0], e[1], e[2], e[3], e[4]
	if e[5] != 1 || left < pLeft-1 || right > pRight+1 {
		t.Fatalf("tapped at 820 px: the card (shown %v) runs from %.0f to %.0f outside its paragraph (%.0f to %.0f)", e[5] == 1, left, right, pLeft, pRight)
	}
	// Where there is room to its left the card ends at the mark's right.
	if markRight-(right-left) >= pLeft && math.Abs(right-markRight) > 1 {
		t.Errorf("tapped at 820 px: the card runs from %.0f to %.0f; the mark ends at %.0f", left, right, markRight)
	}
}
