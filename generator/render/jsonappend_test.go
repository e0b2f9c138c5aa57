package render

import (
	"bytes"
	"encoding/json"
	"testing"

	"briefing/generator/corpus"
	"briefing/generator/site"
)

// jsonStrings are strings that try every escape of encoding/json.
var jsonStrings = []string{"", "plain", `"quoted" \back\slash/`, "<script>&amp;</script>", "\b\f\n\r\t\x00\x01\x1f\x7f",
	"\u2028\u2029", "é – “ü” 中文 🙂", "\xff\xfe bad \xc3", "\xe2\x80", "a\u2028b\u2029c\U0010FFFF"}

func init() {
	var all []byte
	for c := range 256 {
		all = append(all, byte(c))
	}
	jsonStrings = append(jsonStrings, string(all))
}

// TestJSONAppend holds the hand-written JSON to encoding/json's bytes:
// every string escape, and the ClaimReview of every claim of the sample
// site, a hostile site and a generated one, with and without a base URL.
func TestJSONAppend(t *testing.T) {
	for _, s := range jsonStrings {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
	gen := t.TempDir()
	if err := corpus.Write(gen, 30, 3); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, dir := range []string{"../..", hostileSite(t), gen} {
		for _, base := range []string{"/", "/sub/"} {
			m, _ := modelOf(t, dir, base, true)
			if base != "/" {
				m.BaseURL = "https://example.org" + base
			}
			for _, c := range m.Claims {
				got := claimReview(c, m)
				review := claimReviewOf(c, m, nil)
				want, err := json.Marshal(review)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Fatalf("%s: got\n%s\nwant\n%s", c.ID, got, want)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no claim checked")
	}
}

// FuzzJSONString compares appendJSONString with json.Marshal, and
// appendJSONStr without HTML escapes with an Encoder that makes none.
func FuzzJSONString(f *testing.F) {
	for _, s := range jsonStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
		text := encodeText(t, s)
		if got := appendJSONStr(nil, s, false); string(got)+"\n" != string(text) {
			t.Errorf("%q without HTML escapes: got %s, want %s", s, got, text)
		}
	})
}

// encodeText is what an encoding/json Encoder without HTML escaping
// writes of v, newline included.
func encodeText(t *testing.T, v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkHead makes the head metadata of every page of a generated site
// of BRIEFING_BENCH_N briefings (1,000 by default), the ClaimReview of
// every claim page among it:
//
//	go test ./generator/render -run '^$' -bench Head -benchmem
func BenchmarkHead(b *testing.B) {
	m := benchModel(b, site.Options{BasePath: "/", BaseURL: "https://example.org/"})
	ix := newIndex(m)
	var data []*Data
	for _, p := range pagePaths(m, ix, 0) {
		data = append(data, lookup(m, ix, p))
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range data {
			head(d, ix)
		}
	}
	b.ReportMetric(float64(len(data)), "pages")
}

// BenchmarkJSONStr appends strings as the pages' JSON carries them, with
// and without HTML escapes:
//
//	go test ./generator/render -run '^$' -bench JSONStr
func BenchmarkJSONStr(b *testing.B) {
	strs := []string{"by border accepted negotiators guarantees said as guarantees observers",
		"https://example.org/claims/b-0-by-border-accepted-negotiators-guarantees-said/",
		"Corroborated claim by Actor 22: “by border accepted negotiators”", "Synthetic corpus", "2026-06-18", `a "quoted" <b> & c`}
	buf := make([]byte, 0, 4096)
	for b.Loop() {
		buf = buf[:0]
		for _, s := range strs {
			buf = appendJSONStr(buf, s, true)
			buf = appendJSONStr(buf, s, false)
		}
	}
}
