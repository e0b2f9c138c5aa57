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
	"strings"
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
	s := fmt.Sprintf("%s: %s: %s", d.Where(), d.Severity, d.Message)
	if d.Hint != "" {
		s += "; " + d.Hint
	}
	return s
}

// Where is path:line:col, or less when the position is unknown.
func (d Diagnostic) Where() string {
	switch {
	case d.Line == 0:
		return d.Path
	case d.Col == 0:
		return fmt.Sprintf("%s:%d", d.Path, d.Line)
	}
	return fmt.Sprintf("%s:%d:%d", d.Path, d.Line, d.Col)
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
	for _, d := range l {
		sev := d.Severity.String()
		if colour {
			code := "33"
			if d.Severity == Error {
				code = "31"
			}
			sev = "\x1b[1;" + code + "m" + sev + "\x1b[0m"
		}
		fmt.Fprintf(&b, "%s: %s: %s", d.Where(), sev, d.Message)
		if d.Hint != "" {
			b.WriteString("; " + d.Hint)
		}
		b.WriteString("\n")
	}
	_, _ = io.WriteString(w, b.String())
}
