package diag

import (
	"bytes"
	"testing"
)

func TestSortAndPrint(t *testing.T) {
	l := List{
		{Path: "b.md", Line: 2, Col: 1, Severity: Warning, Message: "w"},
		{Path: "a.md", Line: 10, Col: 3, Severity: Error, Message: "later", Hint: "did you mean \"x\"?"},
		{Path: "a.md", Line: 9, Col: 7, Severity: Error, Message: "earlier"},
		{Path: "a.md", Severity: Error, Message: "whole file"},
	}
	l.Sort()
	var plain bytes.Buffer
	l.Print(&plain, false)
	want := "a.md: error: whole file\n" +
		"a.md:9:7: error: earlier\n" +
		"a.md:10:3: error: later; did you mean \"x\"?\n" +
		"b.md:2:1: warning: w\n"
	if plain.String() != want {
		t.Errorf("got\n%s\nwant\n%s", plain.String(), want)
	}
	if errs, warns := l.Count(); errs != 3 || warns != 1 {
		t.Errorf("count %d %d", errs, warns)
	}
	if errs, _ := l.Strict().Count(); errs != 4 {
		t.Errorf("strict count %d", errs)
	}
	if l[3].Severity != Warning {
		t.Error("Strict changed the list it was called on")
	}
	var coloured bytes.Buffer
	l.Print(&coloured, true)
	if !bytes.Contains(coloured.Bytes(), []byte("\x1b[1;31merror\x1b[0m")) {
		t.Errorf("no colour: %q", coloured.String())
	}
}

// A file name may hold anything a file system allows, escape sequences
// included; printed raw it would drive the terminal.
func TestControlCharactersQuoted(t *testing.T) {
	l := List{{Path: "content/briefings/\x1b[2Jx\u202e.md", Line: 1, Col: 2, Severity: Error,
		Message: "unknown actor \"a\x1b]0;b\x07\"", Hint: "line\nbreak"}}
	var b bytes.Buffer
	l.Print(&b, false)
	want := `"content/briefings/\x1b[2Jx\u202e.md":1:2: error: unknown actor "a\x1b]0;b\a"; line\nbreak` + "\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
	if l[0].String()+"\n" != want {
		t.Errorf("String: %q", l[0].String())
	}
	if d := (Diagnostic{Path: "content/briefings/Переговоры.md"}); d.Where() != d.Path {
		t.Errorf("a printable path was quoted: %s", d.Where())
	}
}
