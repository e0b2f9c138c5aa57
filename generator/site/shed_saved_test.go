package site

import (
	"bytes"
	"testing"
)

// TestShedDropsSaved: Shed drops a briefing's source to save memory, the
// copy of the file as saved too (kept when it held a lone CR or a
// forbidden character), and the body read again matches the parse (the
// XXH3 check) though it is read the same way anew.
func TestShedDropsSaved(t *testing.T) {
	src := map[string][]byte{
		"content/briefings/b.md": []byte("---\rtitle: B\rdate: 2026-11-02\r---\rBob\vsaid :claim[it]{by=osk src=s}.\r\r```\rcode\r```\r"),
		"content/actors/osk.md":  []byte("---\nname: Osk\nkind: person\n---\n"),
		"content/sources/s.md":   []byte("---\ntitle: S\nreliability: B\n---\n"),
	}
	var files []File
	for p, data := range src {
		files = append(files, File{Path: p, Data: data})
	}
	m, diags := Resolve(ParseLean(files, nil), Options{})
	for _, d := range diags {
		t.Log(d)
	}
	m.Shed(func(p string) ([]byte, error) { return src[p], nil }, nil)
	b := m.Briefings[0]
	_, body := m.Doc(b.Page) // panics with a SourceError if the re-read differs
	if !bytes.Contains(body, []byte("\ncode\n")) {
		t.Errorf("re-read body %q", body)
	}
	if b.Page.saved != nil {
		t.Errorf("a shed page still holds the file as saved (%d bytes)", len(b.Page.saved))
	}
}
