package serve

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPrintEndNotes: in print, a claim's end notes show, in brackets, as
// the numbers of the list of sources do, so that they are not read as a
// footnote's superscript, numbered from 1 as well.
func TestPrintEndNotes(t *testing.T) {
	ctx := browser(t)
	var briefing page
	for _, p := range serveSite(t, "sample", "../..") {
		if p.path == "briefings/2026-11-11-first-round/index.html" {
			briefing = p
		}
	}
	if briefing.path == "" {
		t.Fatal("the sample site lacks the briefing")
	}
	if err := chromedp.Do(ctx, colourScheme("light", true), chromedp.Navigate(briefing.url()), chromedp.WaitReady(".claim-notes")); err != nil {
		t.Fatal(err)
	}
	got := evalJS[[]string](t, ctx, `(() => { const n = document.querySelector(".claim-notes"), li = document.querySelector(".source-list.endnotes > li");
		return [getComputedStyle(n).display, getComputedStyle(n, "::before").content, getComputedStyle(n, "::after").content,
			li ? getComputedStyle(li, "::marker").content : "no end notes"]; })()`)
	want := []string{"inline", `"["`, `"]"`, `"[" counter(list-item) "] "`}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("in print: %q, want %q", got, want)
			break
		}
	}
}
