package serve

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRelationsOnBriefing: on the sample's first briefing, the claim that
// a later one contradicts and another updates is marked so in words beside
// its status, and its card, focused, names both and stays within the
// viewport at phone and desktop widths without widening the page.
func TestRelationsOnBriefing(t *testing.T) {
	ctx := browser(t)
	pages := serveSite(t, "sample", "../..")
	base := pages[0].base
	const claim = "#claim-corridor-agreed-in-principle"
	for _, width := range []int64{320, 390, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			if err := chromedp.Do(ctx,
				chromedp.EmulateViewport(width, 800),
				chromedp.Navigate(base+"/briefings/2026-11-11-first-round/"),
				chromedp.WaitVisible(claim),
			); err != nil {
				t.Fatal(err)
			}
			marks, err := chromedp.Run(ctx, chromedp.Text(claim+" .claim-rels"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(marks, "contradicted") || !strings.Contains(marks, "updated 23 Nov") {
				t.Errorf("marks %q do not say contradicted and updated", marks)
			}
			if err := chromedp.Do(ctx, chromedp.Focus(claim+" .claim-mark")); err != nil {
				t.Fatal(err)
			}
			card, err := chromedp.Run(ctx, chromedp.Text(claim+"-card"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"Updated 23 Nov:", "Contradicted by", "corroborated"} {
				if !strings.Contains(strings.ToLower(card), strings.ToLower(want)) {
					t.Errorf("card %q lacks %q", card, want)
				}
			}
			fits, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
				const r = document.querySelector("`+claim+`-card").getBoundingClientRect();
				const w = document.documentElement.clientWidth;
				return r.left >= 0 && r.right <= w && r.bottom <= innerHeight && document.documentElement.scrollWidth <= w ? "" :
					"card " + r.left + ".." + r.right + " (bottom " + r.bottom + "), page " + document.documentElement.scrollWidth + " wide, viewport " + w;
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if fits != "" {
				t.Errorf("card leaves the viewport: %s", fits)
			}
		})
	}
}
