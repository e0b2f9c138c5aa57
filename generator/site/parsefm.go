package site

import (
	"bytes"

	"go.yaml.in/yaml/v3"
)

// quickKeys are the keys quickFrontMatter reads, by section: those that
// field reads from a node's kind, text and position alone. Keys it decodes
// (draft, raw_html, params, keys of no section) go through the YAML parser.
var quickKeys = map[Section][]string{
	Home:      {"title", "description", "language"},
	Briefings: {"title", "date", "dateline", "summary", "tags"},
	Actors:    {"name", "kind", "role", "affiliation", "aliases"},
	Sources:   {"title", "publisher", "date", "url", "reliability", "credibility"},
}

// quickFrontMatter reads front matter of the shape nearly every file has —
// ASCII, one "key: value" a line, each value a plain scalar or a flow list
// of plain words — into the nodes yaml.Unmarshal would give for it, kind,
// value, line and column alike. Setting up the YAML parser for each file
// was most of what parsing front matter cost. Anything else, or a value
// that YAML might read otherwise, gives false, and the YAML parser reads it.
func quickFrontMatter(fm []byte, sec Section) (*yaml.Node, bool) {
	keys := quickKeys[sec]
	if keys == nil {
		return nil, false
	}
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Column: 1}
	for lineNo := 1; len(fm) > 0; lineNo++ {
		line, rest, _ := bytes.Cut(fm, []byte("\n"))
		fm = rest
		if len(line) == 0 {
			continue
		}
		for _, c := range line {
			if c < 0x20 || c > 0x7e { // tabs, CR and UTF-8 are YAML's to read
				return nil, false
			}
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || colon+1 >= len(line) || line[colon+1] != ' ' {
			return nil, false
		}
		key := line[:colon]
		known := ""
		for _, k := range keys {
			if string(key) == k {
				known = k
			}
		}
		if known == "" {
			return nil, false
		}
		start := colon + 1
		for start < len(line) && line[start] == ' ' {
			start++
		}
		end := len(line)
		for end > start && line[end-1] == ' ' {
			end--
		}
		if start == end {
			return nil, false // a value on the lines below, or none
		}
		var v *yaml.Node
		if line[start] == '[' {
			if v = quickList(line, start, end, lineNo); v == nil {
				return nil, false
			}
		} else {
			if !quickPlain(line[start:end]) {
				return nil, false
			}
			v = &yaml.Node{Kind: yaml.ScalarNode, Value: string(line[start:end]), Line: lineNo, Column: start + 1}
		}
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: known, Line: lineNo, Column: 1}
		if m.Line == 0 {
			m.Line = lineNo // where YAML places a mapping: its first key
		}
		m.Content = append(m.Content, k, v)
	}
	if len(m.Content) == 0 {
		return nil, false
	}
	return m, true
}

// quickPlain reports whether YAML reads s, all on one line, as a plain
// scalar of exactly its text: it starts with a letter or digit and holds
// no comment and no mapping's ": ".
func quickPlain(s []byte) bool {
	if !isAlnum(s[0]) || s[len(s)-1] == ':' {
		return false
	}
	for i, c := range s {
		if c == '#' || c == ':' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

// quickList reads line[start:end], "[a, b]", as a flow sequence of words
// of letters, digits, '-', '_' and '.', or returns nil.
func quickList(line []byte, start, end, lineNo int) *yaml.Node {
	if line[end-1] != ']' {
		return nil
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: lineNo, Column: start + 1}
	inner := line[start+1 : end-1]
	if len(bytes.TrimLeft(inner, " ")) == 0 {
		return seq
	}
	off := start + 1
	for item := range bytes.SplitSeq(inner, []byte(",")) {
		lead := len(item) - len(bytes.TrimLeft(item, " "))
		word := bytes.Trim(item, " ")
		if len(word) == 0 || !isAlnum(word[0]) {
			return nil
		}
		for _, c := range word {
			if !isAlnum(c) && c != '-' && c != '_' && c != '.' {
				return nil
			}
		}
		seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: string(word), Line: lineNo, Column: off + lead + 1})
		off += len(item) + 1
	}
	return seq
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
