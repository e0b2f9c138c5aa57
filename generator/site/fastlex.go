package site

import (
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/dlclark/regexp2/v2"
)

// fastLexer tokenises as its chroma RegexLexer does, rule for rule and
// token for token, with less garbage: chroma's loop asks regexp2 for a
// full Match, builds a slice of every group's text and a map of them by
// name, and wraps each token in a closure, for every token of every
// block. That was 30% of what a cold build of 1,000 briefings allocated,
// and a tenth of its CPU. Here a rule that only emits one token type and
// at most pushes or pops a state, as most do, is matched through
// regexp2's borrowed MatchView and its token made directly; any other
// rule (groups, named groups, sub-lexers, a mutator of the lexer's own)
// goes the way chroma's loop goes, with a fresh Match, groups and map.
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
	simple bool // see isSimpleRule
}

// lexMatchTimeout is what chroma gives each of its rules' expressions.
const lexMatchTimeout = 250 * time.Millisecond

var (
	pushType = reflect.TypeOf(chroma.Push())
	popType  = reflect.TypeOf(chroma.Pop(1))
)

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
	seen := map[chroma.LexerMutator]bool{}
	for state := range rules {
		for i := range rules[state] {
			if m, ok := rules[state][i].Mutator.(chroma.LexerMutator); ok {
				if seen[m] {
					return l
				}
				seen[m] = true
				if err := m.MutateLexer(rules, state, i); err != nil {
					return l
				}
				goto restart
			}
		}
	}
	for _, rs := range rules {
		for _, r := range rs {
			if !chromaOwn(r.Type) || !chromaOwn(r.Mutator) {
				return l
			}
		}
	}
	f := &fastLexer{RegexLexer: rl, registry: registry, rules: rules, states: map[string][]fastRule{}}
	for state, rs := range rules {
		for _, r := range rs {
			f.states[state] = append(f.states[state], fastRule{r, isSimpleRule(r)})
		}
	}
	return f
}

// chromaOwn reports whether v, an emitter or a mutator, is one of
// chroma's own, as are those it is made of. A lexer with one of its own
// (a Go function) may do anything to the lexer's state; raku's rewrite
// the rules as they run, which fastLexer's marked copy of them would not
// see, so such a lexer is left to chroma.
func chromaOwn(v any) bool {
	switch v := v.(type) {
	case nil, chroma.TokenType:
		return true
	case chroma.MutatorFunc, chroma.EmitterFunc:
		return false
	case chroma.Emitters:
		for _, e := range v {
			if !chromaOwn(e) {
				return false
			}
		}
		return true
	}
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Type().PkgPath() != chromaPkg {
		return false
	}
	if rv.Kind() != reflect.Struct {
		return true
	}
	// Emitters and mutators made of others hold them in exported fields
	// (ByGroups, UsingByGroup, Mutators).
	for i := range rv.NumField() {
		f := rv.Field(i)
		if !rv.Type().Field(i).IsExported() {
			continue
		}
		switch f.Kind() {
		case reflect.Slice:
			if f.Type().Elem().Kind() != reflect.Interface {
				continue // a push's states, say
			}
			for j := range f.Len() {
				if !chromaOwn(f.Index(j).Interface()) {
					return false
				}
			}
		case reflect.Interface:
			if !chromaOwn(f.Interface()) {
				return false
			}
		}
	}
	return true
}

const chromaPkg = "github.com/alecthomas/chroma/v2"

// isSimpleRule reports whether r emits one token of a type for its whole
// match and at most pushes or pops states: then neither its emitter nor
// its mutator reads the match's groups.
func isSimpleRule(r *chroma.CompiledRule) bool {
	if _, ok := r.Type.(chroma.TokenType); !ok {
		return false
	}
	if r.Mutator != nil {
		if t := reflect.TypeOf(r.Mutator); t != pushType && t != popType {
			return false
		}
	}
	for _, name := range r.Regexp.GetGroupNames() {
		if strings.Trim(name, "0123456789") != "" {
			return false // a group a rule names is there to be read
		}
	}
	return true
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
// it sets the lexer's groups as chroma does.
func (it *fastIterator) match(rules []fastRule) (int, fastRule, int) {
	l := it.l
	for i, rule := range rules {
		if rule.simple {
			n, ok := -1, false
			err := rule.Regexp.FindRunesMatches(l.Text, l.Pos, func(v regexp2.MatchView) bool {
				var at int
				at, n, ok = v.GroupRange(0)
				ok = ok && at == l.Pos
				return false
			})
			if ok && err == nil {
				return i, rule, n
			}
			continue
		}
		m, err := rule.Regexp.FindRunesMatchStartingAt(l.Text, l.Pos)
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
