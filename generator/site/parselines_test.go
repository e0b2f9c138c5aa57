package site

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unicode/utf8"
)

// TestLineStarts compares lineStarts with the byte-by-byte count it
// replaced, over text of every length around the marks, in several scripts
// and with invalid bytes.
func TestLineStarts(t *testing.T) {
	naive := func(src []byte) (lines, marks []int32) {
		lines = []int32{0}
		chars := int32(0)
		for i, c := range src {
			if i%markEvery == 0 {
				marks = append(marks, chars)
			}
			if c == '\n' {
				lines = append(lines, int32(i+1))
			}
			if isCharStart(c) {
				chars++
			}
		}
		if len(src)%markEvery == 0 {
			marks = append(marks, chars)
		}
		return lines, marks
	}
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "word ", "\n", "é", "переговоры ", "日本", "🙂", "\xff", "\x80", "\r\n"}
	for n := range 400 {
		var src []byte
		for len(src) < n {
			src = append(src, pieces[r.IntN(len(pieces))]...)
		}
		src = src[:n]
		lines, marks := lineStarts(src)
		wantLines, wantMarks := naive(src)
		if !slices.Equal(lines, wantLines) || !slices.Equal(marks, wantMarks) {
			t.Fatalf("%q:\nlines %v marks %v\nwant  %v marks %v", src, lines, marks, wantLines, wantMarks)
		}
		if utf8.Valid(src) && int(marks[len(marks)-1]) > utf8.RuneCount(src) {
			t.Fatalf("%q: more characters than runes", src)
		}
	}
}
