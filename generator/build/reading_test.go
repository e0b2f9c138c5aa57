package build_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"briefing/generator/build"

	"golang.org/x/tools/txtar"
)

// TestCaveatOncePerPage: a briefing's block caveat is on its page once,
// right after the paragraph of the claim it qualifies, and the caveat list
// at the foot of the page links to it.
func TestCaveatOncePerPage(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/sites/typography-caveats.txtar")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if res := build.ToDir(build.Options{Src: writeSite(t, ar), Builtin: builtin}, out); res.Failed() {
		t.Fatalf("build failed: %v", res.Diags)
	}
	page, err := os.ReadFile(filepath.Join(out, "briefings/talks/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"No readout was published.</p>", `id="caveat-readout"`, `href="#caveat-readout"`} {
		if n := bytes.Count(page, []byte(s)); n != 1 {
			t.Errorf("%q is on the page %d times, want once", s, n)
		}
	}
	claim := bytes.Index(page, []byte(`id="claim-constructive"`))
	caveat := bytes.Index(page, []byte(`id="caveat-readout"`))
	between := bytes.Index(page, []byte("A paragraph between,"))
	if claim < 0 || caveat < claim || between < caveat {
		t.Errorf("the caveat is not between its claim's paragraph (%d) and the next (%d): at %d", claim, between, caveat)
	}
}
