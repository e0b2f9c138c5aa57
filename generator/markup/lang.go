package markup

import (
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark/parser"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// rtlScripts are the ISO 15924 scripts written right to left, those of
// living languages first.
var rtlScripts = map[string]bool{
	"Arab": true, "Hebr": true, "Thaa": true, "Syrc": true, "Nkoo": true, "Adlm": true, "Rohg": true,
	"Mand": true, "Samr": true, "Mend": true, "Yezi": true, "Aran": true,
	"Armi": true, "Avst": true, "Cprt": true, "Hung": true, "Khar": true, "Lydi": true, "Mani": true,
	"Merc": true, "Mero": true, "Narb": true, "Nbat": true, "Orkh": true, "Palm": true, "Phli": true,
	"Phlp": true, "Phnx": true, "Prti": true, "Sarb": true, "Sogd": true, "Sogo": true,
}

// Direction is the direction of text in the language tag: rtl for one
// whose script (written, or the language's usual one: ar is Arab, ku-Arab
// too) is written right to left, ltr for any other tag, and auto for none,
// so that the browser isolates a quotation by its first strong letter.
func Direction(tag string) string {
	if tag == "" {
		return "auto"
	}
	t, err := language.Parse(tag)
	if err != nil {
		return "auto"
	}
	if s, _ := t.Script(); rtlScripts[s.String()] {
		return "rtl"
	}
	return "ltr"
}

// setLang checks a lang= value and keeps its canonical spelling.
func setLang(c *Claim, a attr, pc parser.Context) {
	t, err := language.Parse(a.Value)
	if err != nil {
		report(pc, a.ValPos, LanguageHint(a.Value, "write a BCP 47 language tag such as ru, ar, fa or en-GB"),
			"unknown language %s", strconv.Quote(a.Value))
		return
	}
	c.Lang, c.LangPos = t.String(), a.ValPos
}

// LanguageHint is the hint for s written where a language tag belongs
// and not read as one: when s is a language's name, in English or in the
// language itself (russian, Русский, العربية), the tag to write; else
// general.
func LanguageHint(s, general string) string {
	if tag, ok := languageNames()[strings.ToLower(strings.TrimSpace(s))]; ok {
		return "write " + tag + ", the language's BCP 47 tag, not its name"
	}
	return general
}

// languageNames maps the names of languages with a two- or three-letter
// tag, in English and in themselves, lower-cased, to the tag: made on the
// first hint (40 ms), as only a mistake needs it.
var languageNames = sync.OnceValue(func() map[string]string {
	names := map[string]string{}
	add := func(code string) {
		t, err := language.Parse(code)
		if err != nil || t.String() != code {
			return // unknown, or another spelling of a tag already seen
		}
		for _, name := range []string{display.English.Languages().Name(t), display.Self.Name(t)} {
			name = strings.ToLower(name)
			if _, taken := names[name]; name != "" && !taken {
				names[name] = code
			}
		}
	}
	const letters = "abcdefghijklmnopqrstuvwxyz"
	for _, a := range letters {
		for _, b := range letters {
			add(string(a) + string(b))
		}
	}
	for _, a := range letters {
		for _, b := range letters {
			for _, c := range letters {
				add(string(a) + string(b) + string(c))
			}
		}
	}
	return names
})
