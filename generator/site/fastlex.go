package site

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// fastLexer tokenises as its chroma RegexLexer does, rule for rule and
// token for token, with less work: chroma's loop asks regexp2 for a full
// Match, builds a slice of every group's text and a map of them by name,
// and wraps each token in a closure, for every token of every block,
// and tries each rule of a state in turn through regexp2 even where its
// first character cannot match. That was 30% of what a cold build of
// 1,000 briefings allocated, and a tenth of its CPU. Here a rule is
// skipped when regexp2's own analysis of its pattern says no match can
// start at the position (see startCheck); a rule that only emits one
// token type and at most pushes or pops a state, as most do, is matched
// through regexp2's borrowed MatchView and its token made directly; any
// other rule (groups, named groups, sub-lexers, a mutator of the
// lexer's own) goes the way chroma's loop goes, with a fresh Match,
// groups and map.
//
// It uses only chroma's exported API: the lexer's rules and config,
// compiled as chroma compiles them, and chroma's own emitters and
// mutators on a chroma.LexerState. TestFastLexerMatchesChroma holds every
// lexer's tokens on chroma's own test files to chroma's, and
// FuzzFastLexer does so on random input.
type fastLexer struct {
	*chroma.RegexLexer
	registry *chroma.LexerRegistry
	rules    chroma.CompiledRules  // what the emitters see, as chroma's
	states   map[string][]fastRule // the same rules, each marked
}

type fastRule struct {
	*chroma.CompiledRule
	simple bool       // see isSimpleRule
	can    startCheck // whether the rule can match at a position at all
}

// lexMatchTimeout is what chroma gives each of its rules' expressions.
// regexp2 measures it against a clock that a goroutine of its own moves
// on, and on a busy machine that goroutine can be late by more than that,
// so that a match of a few microseconds "timed out", failed, and left a
// character of a JSON block an error token (seen in a test run beside
// others on two cores). Such a match is tried again (see again).
const lexMatchTimeout = 250 * time.Millisecond

// newFastLexer returns the fast form of l, or l itself when l is not a
// chroma RegexLexer or its rules do not compile as chroma's would.
func newFastLexer(l chroma.Lexer, registry *chroma.LexerRegistry) chroma.Lexer {
	rl, ok := l.(*chroma.RegexLexer)
	if !ok {
		return l
	}
	raw, err := rl.Rules()
	if err != nil {
		return l
	}
	cfg := rl.Config()
	flags := ""
	if !cfg.NotMultiline {
		flags += "m"
	}
	if cfg.CaseInsensitive {
		flags += "i"
	}
	if cfg.DotAll {
		flags += "s"
	}
	rules := chroma.CompiledRules{}
	for state, rs := range raw {
		rules[state] = nil
		for _, r := range rs {
			pattern := "(?:" + r.Pattern + ")"
			if flags != "" {
				pattern = "(?" + flags + ")" + pattern
			}
			re, err := regexp2.Compile(`\G` + pattern)
			if err != nil {
				return l
			}
			re.MatchTimeout = lexMatchTimeout
			rules[state] = append(rules[state], &chroma.CompiledRule{Rule: r, Regexp: re})
		}
	}
	// As chroma's maybeCompile: a rule that changes the rules themselves
	// (include, combined) does so, and the rules are read again.
restart:
	for state := range rules {
		for i := range rules[state] {
			if m, ok := rules[state][i].Mutator.(chroma.LexerMutator); ok {
				if err := m.MutateLexer(rules, state, i); err != nil {
					return l
				}
				goto restart
			}
		}
	}
	f := &fastLexer{RegexLexer: rl, registry: registry, rules: rules, states: map[string][]fastRule{}}
	marked := map[*chroma.CompiledRule]fastRule{} // a state included in others is marked once
	for state, rs := range rules {
		f.states[state] = make([]fastRule, 0, len(rs)) // an empty state is still a state
		for _, r := range rs {
			if ownCode(r.Mutator) {
				// Go code of the lexer's own may rewrite the rules as it
				// runs, in the lexer's map that every block shares (raku's
				// do, in nested runs too): such a lexer is left to chroma,
				// bugs and all.
				return l
			}
			m, ok := marked[r]
			if !ok {
				m = fastRule{r, isSimpleRule(r), newStartCheck(r, cfg.CaseInsensitive)}
				marked[r] = m
			}
			f.states[state] = append(f.states[state], m)
		}
	}
	return f
}

// isSimpleRule reports whether r emits one token of a type for its whole
// match, or none, and at most pushes or pops states: then neither its
// emitter nor its mutator reads the match's groups.
func isSimpleRule(r *chroma.CompiledRule) bool {
	if _, ok := r.Type.(chroma.TokenType); !ok && r.Type != nil {
		return false
	}
	if r.Mutator != nil {
		m, ok := r.Mutator.(chroma.SerialisableMutator)
		if !ok || m.MutatorKind() != "push" && m.MutatorKind() != "pop" {
			return false
		}
	}
	return true
}

// ownCode reports whether m is, or holds, a mutator written as a Go
// function (chroma.MutatorFunc) rather than one of chroma's kinds.
func ownCode(m chroma.Mutator) bool {
	switch m := m.(type) {
	case nil:
		return false
	case chroma.MutatorFunc:
		return true
	case chroma.SerialisableMutator:
		if m.MutatorKind() != "mutators" {
			return false
		}
		// Mutators(...): its parts are in its one exported field.
		v := reflect.Indirect(reflect.ValueOf(m)).FieldByName("Mutators")
		if !v.IsValid() {
			return true
		}
		parts, ok := v.Interface().([]chroma.Mutator)
		if !ok {
			return true
		}
		return slices.ContainsFunc(parts, ownCode)
	}
	return true // a kind chroma does not name
}

// SetRegistry implements chroma.Lexer.
func (f *fastLexer) SetRegistry(r *chroma.LexerRegistry) chroma.Lexer {
	f.registry = r
	return f
}

// Tokenise implements chroma.Lexer.
func (f *fastLexer) Tokenise(opts *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	if opts == nil {
		opts = &chroma.TokeniseOptions{State: "root", EnsureLF: true}
	}
	if opts.EnsureLF {
		text = ensureLF(text)
	}
	newlineAdded := false
	if !opts.Nested && f.Config().EnsureNL && !strings.HasSuffix(text, "\n") {
		text += "\n"
		newlineAdded = true
	}
	it := &fastIterator{
		f:    f,
		root: opts.State,
		l: &chroma.LexerState{
			Registry:       f.registry,
			Lexer:          f.RegexLexer,
			Text:           []rune(text),
			Stack:          []string{opts.State},
			Rules:          f.rules,
			MutatorContext: map[any]any{},
		},
	}
	it.end = len(it.l.Text)
	if newlineAdded {
		it.end--
	}
	return it.next, nil
}

// ensureLF is chroma's: \r\n and a lone \r become \n.
func ensureLF(text string) string {
	if !strings.Contains(text, "\r") {
		return text
	}
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
}

type fastIterator struct {
	f     *fastLexer
	l     *chroma.LexerState
	root  string
	end   int
	stack []chroma.Iterator // what emitters returned, not yet drained
}

// next is chroma's LexerState.Iterator, step for step.
func (it *fastIterator) next() chroma.Token {
	l := it.l
	for l.Pos < it.end && len(l.Stack) > 0 {
		if t, ok := it.drain(); ok {
			return t
		}
		l.State = l.Stack[len(l.Stack)-1]
		rules, ok := it.f.states[l.State]
		if !ok {
			panic("unknown state " + l.State)
		}
		i, rule, n := it.match(rules)
		if rule.CompiledRule == nil {
			// From Pygments, as chroma: an unmatched newline outside the
			// first state empties the stack.
			if l.Text[l.Pos] == '\n' && l.State != it.root {
				l.Stack = []string{it.root}
				continue
			}
			l.Pos++
			return chroma.Token{Type: chroma.Error, Value: string(l.Text[l.Pos-1 : l.Pos])}
		}
		l.Rule = i
		start := l.Pos
		if rule.simple {
			l.Groups, l.NamedGroups = nil, nil
			l.Pos += n
		} else {
			l.Pos += utf8.RuneCountInString(l.Groups[0])
		}
		if rule.Mutator != nil {
			if err := rule.Mutator.Mutate(l); err != nil {
				panic(err)
			}
		}
		if rule.Type == nil {
			continue
		}
		if rule.simple {
			t := chroma.Token{Type: rule.Type.(chroma.TokenType), Value: string(l.Text[start : start+n])}
			if t.Type == chroma.Ignore || t == chroma.EOF {
				continue
			}
			return t
		}
		it.stack = append(it.stack, rule.Type.Emit(l.Groups, l))
	}
	if t, ok := it.drain(); ok {
		return t
	}
	if l.Pos != len(l.Text) && len(l.Stack) == 0 {
		value := string(l.Text[l.Pos:])
		l.Pos = len(l.Text)
		return chroma.Token{Type: chroma.Error, Value: value}
	}
	return chroma.EOF
}

// drain returns the next token of the emitters' iterators, if any.
func (it *fastIterator) drain() (chroma.Token, bool) {
	for len(it.stack) > 0 {
		n := len(it.stack) - 1
		t := it.stack[n]()
		if t.Type == chroma.Ignore {
			continue
		}
		if t == chroma.EOF {
			it.stack = it.stack[:n]
			continue
		}
		return t, true
	}
	return chroma.Token{}, false
}

// match finds the first of rules that matches at the lexer's position.
// For a simple rule it returns the match's length in runes; for any other
// it sets the lexer's groups as chroma does. The rules are those of
// l.Rules, marked: nothing changes them once newFastLexer has made them,
// as only a lexer's own Go code could, and such a lexer is chroma's.
func (it *fastIterator) match(rules []fastRule) (int, fastRule, int) {
	l := it.l
	for i, rule := range rules {
		if !rule.can.at(l.Text, l.Pos) {
			continue
		}
		if rule.simple {
			n, ok := -1, false
			err := again(func() error {
				return rule.Regexp.FindRunesMatches(l.Text, l.Pos, func(v regexp2.MatchView) bool {
					var at int
					at, n, ok = v.GroupRange(0)
					ok = ok && at == l.Pos
					return false
				})
			})
			if ok && err == nil {
				return i, rule, n
			}
			continue
		}
		var m *regexp2.Match
		err := again(func() (err error) {
			m, err = rule.Regexp.FindRunesMatchStartingAt(l.Text, l.Pos)
			return err
		})
		if m != nil && err == nil && m.RuneIndex == l.Pos {
			groups := []string{}
			named := make(map[string]string)
			for _, g := range m.Groups() {
				named[g.Name] = g.String()
				groups = append(groups, g.String())
			}
			l.Groups, l.NamedGroups = groups, named
			return i, rule, 0
		}
	}
	return 0, fastRule{}, 0
}

// again calls match, and once more when it timed out before its time had
// passed on the wall clock: regexp2's own clock was late. A match that
// truly took its time is not tried again, so a block of slow rules keeps
// to the guard's budget (see guardedLexer) as with chroma.
func again(match func() error) error {
	start := time.Now()
	if err := match(); !errors.Is(err, regexp2.ErrMatchTimeout) || time.Since(start) >= lexMatchTimeout {
		return err
	}
	return match()
}

// startCheck tells, before regexp2 is asked, that a rule cannot match at
// a position: most attempts in a lexer's state fail (at a JSON comma,
// eight rules are tried before the comma's own), and each costs
// regexp2 a runner and a scan. The checks are those regexp2 itself
// derives to find where a match may start (syntax.FindOptimizations):
// the least length of a match, a literal prefix, the characters a
// match may start with, sets at fixed distances from its start. Each
// is a condition every match meets, so a position that fails one has
// no match; any other kind of pattern is always asked.
type startCheck struct {
	min    int    // runes a match needs at least
	lit    []rune // runes a match has at litAt from its start
	litAt  int
	firsts []rune                    // a match starts with one of these
	sets   []syntax.FixedDistanceSet // a match has a rune of Set at Distance
}

// newStartCheck is the check for r, whose expression regexp2 is asked
// about as r's was compiled, but for the \G that anchors it.
func newStartCheck(r *chroma.CompiledRule, caseless bool) startCheck {
	if caseless || strings.Contains(r.Pattern, "(?") {
		return startCheck{} // case folding and inline options: left to regexp2
	}
	tree, err := syntax.Parse(strings.TrimPrefix(r.Regexp.String(), `\G`), syntax.ParseOptions{})
	if err != nil || tree.FindOptimizations == nil {
		return startCheck{}
	}
	o := tree.FindOptimizations
	c := startCheck{min: max(o.MinRequiredLength, 0)}
	switch o.FindMode {
	case syntax.LeadingString_LeftToRight:
		c.lit = []rune(o.LeadingPrefix)
	case syntax.LeadingStrings_LeftToRight:
		c.firsts = o.LeadingPrefixFirstRunes
	case syntax.FixedDistanceChar_LeftToRight:
		c.lit, c.litAt = []rune{o.FixedDistanceLiteral.C}, o.FixedDistanceLiteral.Distance
	case syntax.FixedDistanceString_LeftToRight:
		c.lit, c.litAt = []rune(o.FixedDistanceLiteral.S), o.FixedDistanceLiteral.Distance
	case syntax.LeadingSet_LeftToRight, syntax.FixedDistanceSets_LeftToRight:
		for _, set := range o.FixedDistanceSets {
			if set.Set != nil {
				c.sets = append(c.sets, set)
			}
		}
	}
	return c
}

// at reports whether a match may start at text[pos].
func (c *startCheck) at(text []rune, pos int) bool {
	rest := len(text) - pos
	if rest < c.min {
		return false
	}
	if c.lit != nil && (rest < c.litAt+len(c.lit) || !slices.Equal(text[pos+c.litAt:pos+c.litAt+len(c.lit)], c.lit)) {
		return false
	}
	if c.firsts != nil && (rest == 0 || !slices.Contains(c.firsts, text[pos])) {
		return false
	}
	for _, s := range c.sets {
		if rest <= s.Distance || !s.Set.Contains(text[pos+s.Distance]) {
			return false
		}
	}
	return true
}
