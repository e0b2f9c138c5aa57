package serve

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestHeaderSearchOnPhone: at a phone's 390 px the header's search box is
// whole on screen, wide enough to type in, makes the page no wider than
// the screen, and sends what is typed to /search/ as q.
func TestHeaderSearchOnPhone(t *testing.T) {
	ctx := browser(t)
	srv := start(t, fixture(t))
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(srv.base+"/"),
		chromedp.WaitVisible(".site-search input"),
	); err != nil {
		t.Fatal(err)
	}
	geometry := `(() => { const r = document.querySelector(".site-search input").getBoundingClientRect();
		return [Math.round(r.left), Math.round(r.right), Math.round(r.width), document.documentElement.scrollWidth, innerWidth].join(" ") })()`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](geometry))
	if err != nil {
		t.Fatal(err)
	}
	var left, right, width, scroll, inner int
	if _, err := fmt.Sscan(got, &left, &right, &width, &scroll, &inner); err != nil {
		t.Fatalf("%q: %v", got, err)
	}
	if inner != 390 || left < 0 || right > inner || width < 200 || scroll > inner {
		t.Errorf("at 390 px: search box from %d to %d (%d wide), page %d wide in a window of %d", left, right, width, scroll, inner)
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(".site-search input", "corridor talks"+kb.Enter),
	); err != nil {
		t.Fatal(err)
	}
	var where string
	for range 50 {
		where, err = chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
		if err == nil && strings.HasPrefix(where, "/search/") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if where != "/search/?q=corridor+talks" {
		t.Errorf("the search box went to %q", where)
	}
}
