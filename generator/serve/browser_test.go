package serve

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium for a test of at most a minute, or
// skips: browser tests run where Chromium is installed, and must run where
// BRIEFING_BROWSER_TESTS=required (as in CI).
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserFor(t, 60*time.Second)
}

// browserFor is browser with a time limit of d for the whole test, for
// tests that visit many pages.
func browserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("BRIEFING_BROWSER_TESTS") == "required" {
			t.Fatal("chromium is required for browser tests but not installed")
		}
		t.Skip("chromium not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

func TestBrowserReloads(t *testing.T) {
	ctx := browser(t)
	dir := fixture(t)
	srv := start(t, dir)
	talks := "content/briefings/2026-11-24-talks.md"
	original := readFile(t, dir, talks)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.base+"/briefings/2026-11-24-talks/"),
		chromedp.WaitVisible("#claim-talks"),
	); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text("#claim-talks .claim-text"))
	if err != nil {
		t.Fatal(err)
	}
	if text != "the talks were constructive" {
		t.Fatalf("claim text %q", text)
	}
	// The page reloads by itself with the edit.
	write(t, dir, talks, strings.Replace(original, "the talks were constructive",
		"the talks were constructive :claim[and will go on]{#go-on by=lavrov src=remarks}", 1))
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#claim-go-on")); err != nil {
		t.Fatalf("page did not reload with the edit: %v", err)
	}
	// A broken edit brings the overlay, on the page as it was.
	write(t, dir, talks, strings.Replace(original, "by=peskov", "by=peskof", 1))
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#briefing-overlay"), chromedp.WaitVisible("#claim-go-on")); err != nil {
		t.Fatalf("no overlay: %v", err)
	}
	overlay, err := chromedp.Run(ctx, chromedp.Text("#briefing-overlay"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(overlay, `unknown actor "peskof"`) {
		t.Errorf("overlay says %q", overlay)
	}
	// The fix takes it away.
	write(t, dir, talks, original)
	if err := chromedp.Do(ctx, chromedp.WaitNotPresent("#briefing-overlay"), chromedp.WaitNotPresent("#claim-go-on")); err != nil {
		t.Fatalf("overlay stayed: %v", err)
	}
	// A stylesheet change is applied without a reload: a value set on
	// the page survives it.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.kept = true`)); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "static/css/style.css", "body { background: rgb(1, 2, 3); }")
	bg := ""
	deadline := time.Now().Add(20 * time.Second)
	for bg != "rgb(1, 2, 3)" && time.Now().Before(deadline) {
		if bg, err = chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if bg != "rgb(1, 2, 3)" {
		t.Fatalf("stylesheet not swapped: background %q", bg)
	}
	if kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.kept === true`)); err != nil || !kept {
		t.Errorf("the page reloaded for a CSS change (%v)", err)
	}
}

// TestClaimCardOnFocus: a claim's speaker, sources, grade and caveats are a
// keyboard focus away, with no script involved.
func TestClaimCardOnFocus(t *testing.T) {
	ctx := browser(t)
	srv := start(t, fixture(t))
	card := `getComputedStyle(document.querySelector("#claim-talks-card")).display`
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.base+"/briefings/2026-11-24-talks/"),
		chromedp.WaitVisible("#claim-talks"),
	); err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(ctx, chromedp.Evaluate[string](card))
	if err != nil || before != "none" {
		t.Fatalf("card shown before focus: %q %v", before, err)
	}
	if err := chromedp.Do(ctx, chromedp.Focus("#claim-talks .claim-mark")); err != nil {
		t.Fatal(err)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[string](card))
	if err != nil || after != "block" {
		t.Fatalf("card not shown on focus: %q %v", after, err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text("#claim-talks-card"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Dmitry Peskov", "Remarks", "B3", "No readout"} {
		if !strings.Contains(text, want) {
			t.Errorf("card %q lacks %q", text, want)
		}
	}
}

// TestClaimsFilter: the claims index narrows by status through links to
// /claims/<status>/, so the filter is in the URL and needs no script.
func TestClaimsFilter(t *testing.T) {
	ctx := browser(t)
	dir := fixture(t)
	write(t, dir, "content/briefings/2026-11-25-more.md",
		"---\ntitle: More\ndate: 2026-11-25\n---\n:claim[a]{by=lavrov src=remarks status=refuted} :claim[b]{by=lavrov src=remarks}\n")
	srv := start(t, dir)
	visible := `[...document.querySelectorAll(".claim-list .claim-item")].filter(e => e.offsetParent !== null).map(e => e.dataset.status).join(",") + " " + location.pathname + " " + document.querySelector(".filter [aria-current]").textContent`
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.base+"/claims/"), chromedp.WaitVisible(".filter")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ link, want string }{
		{"", "refuted,unverified,disputed /claims/ all (3)"},
		{"a[data-status=refuted]", "refuted /claims/refuted/ refuted (1)"},
		{"a[data-status=disputed]", "disputed /claims/disputed/ disputed (1)"},
		{"a[data-status=corroborated]", " /claims/corroborated/ corroborated (0)"},
	} {
		if tc.link != "" {
			if err := chromedp.Do(ctx, chromedp.Click(".filter "+tc.link), chromedp.WaitVisible(".filter "+tc.link+"[aria-current]")); err != nil {
				t.Fatal(err)
			}
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](visible))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%q shows %q, want %q", tc.link, got, tc.want)
		}
	}
}

// TestReloadKeepsScroll: a tab reloaded after an edit is where it was.
func TestReloadKeepsScroll(t *testing.T) {
	ctx := browser(t)
	dir := fixture(t)
	talks := "content/briefings/2026-11-24-talks.md"
	long := readFile(t, dir, talks) + strings.Repeat("\nA long paragraph that makes the page scroll.\n", 200)
	write(t, dir, talks, long)
	srv := start(t, dir)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.base+"/briefings/2026-11-24-talks/"),
		chromedp.WaitVisible("#claim-talks"),
	); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`scrollTo(0, 900), scrollY`)); err != nil {
		t.Fatal(err)
	}
	write(t, dir, talks, strings.Replace(long, "the talks were constructive", "the talks were constructive :claim[again]{#again by=lavrov src=remarks}", 1))
	if err := chromedp.Do(ctx, chromedp.WaitReady("#claim-again")); err != nil {
		t.Fatal(err)
	}
	var y int
	deadline := time.Now().Add(10 * time.Second)
	for y != 900 && time.Now().Before(deadline) {
		var err error
		if y, err = chromedp.Run(ctx, chromedp.Evaluate[int](`scrollY`)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if y != 900 {
		t.Errorf("after the reload the page is at %d, was at 900", y)
	}
}
