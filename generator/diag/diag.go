// Package diag holds diagnostics as values: a file position, a severity, a
// message and an optional hint. A build collects all of them, sorts them by
// place, and prints them as
//
//	path:line:col: error: unknown actor "peskof"; did you mean "peskov"?
//
// with the hint after the semicolon, as SPEC §3 shows.
//
// Positions are 1-based; columns count characters (runes), not bytes, so
// that editors land on the right spot in non-ASCII text.
package diag

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Severity orders diagnostics: errors fail a build, warnings do unless --strict.
type Severity int

// The severities.
const (
	Warning Severity = iota
	Error
)

// String is "error" or "warning", as diagnostics print it.
func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Diagnostic is one problem in one place.
type Diagnostic struct {
	Path     string // slash-separated, relative to the site folder
	Line     int
	Col      int
	Severity Severity
	Message  string
	Hint     string
}

// String formats d as path:line:col: severity: message (hint on the same line
// after a semicolon, for single-line consumers).
func (d Diagnostic) String() string {
	s := fmt.Sprintf("%s: %s: %s", d.Where(), d.Severity, Clean(d.Message))
	if d.Hint != "" {
		s += "; " + Clean(d.Hint)
	}
	return s
}

// Where is path:line:col, or less when the position is unknown. A path
// holding control or bidirectional-override characters is quoted, Go-style,
// so a file name cannot drive the terminal it is printed on.
func (d Diagnostic) Where() string {
	p := d.Path
	if !Printable(p) {
		p = strconv.Quote(p)
	}
	switch {
	case d.Line == 0:
		return p
	case d.Col == 0:
		return fmt.Sprintf("%s:%d", p, d.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p, d.Line, d.Col)
}

// Printable reports whether s can be shown on a terminal as it is: no
// control characters (escape sequences, line breaks) and no invisible
// formatting characters that reorder or hide text.
func Printable(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// Clean escapes what Printable refuses, rune by rune, so that a message
// quoting the site's own text stays one harmless line.
func Clean(s string) string {
	if Printable(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// List is a collection of diagnostics.
type List []Diagnostic

// Sort orders by path, line, column, then severity and message, so output is
// the same however the build was scheduled.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// ErrorsFirst returns the errors, then the warnings, each in the order of
// l: what stops a build is read first.
func (l List) ErrorsFirst() List {
	out := make(List, 0, len(l))
	for _, sev := range []Severity{Error, Warning} {
		for _, d := range l {
			if d.Severity == sev {
				out = append(out, d)
			}
		}
	}
	return out
}

// Count returns the number of errors and warnings.
func (l List) Count() (errors, warnings int) {
	for _, d := range l {
		if d.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return
}

// Strict returns a copy with every warning made an error.
func (l List) Strict() List {
	out := slices.Clone(l)
	for i := range out {
		out[i].Severity = Error
	}
	return out
}

// Print writes every diagnostic on a line of its own. With colour, the
// severities are highlighted with ANSI codes.
func (l List) Print(w io.Writer, colour bool) {
	var b strings.Builder
	for _, d := range l.ErrorsFirst() {
		sev := d.Severity.String()
		if colour {
			code := "33"
			if d.Severity == Error {
				code = "31"
			}
			sev = "\x1b[1;" + code + "m" + sev + "\x1b[0m"
		}
		fmt.Fprintf(&b, "%s: %s: %s", d.Where(), sev, Clean(d.Message))
		if d.Hint != "" {
			b.WriteString("; " + Clean(d.Hint))
		}
		b.WriteString("\n")
	}
	_, _ = io.WriteString(w, b.String())
}

// Plural is "1 word" or "n words": counts in summaries and messages.
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
