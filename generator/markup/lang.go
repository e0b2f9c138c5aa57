package markup

import (
	"strconv"

	"github.com/yuin/goldmark/parser"
	"golang.org/x/text/language"
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
		report(pc, a.ValPos, "write a BCP 47 language tag such as ru, ar, fa or en-GB",
			"unknown language %s", strconv.Quote(a.Value))
		return
	}
	c.Lang, c.LangPos = t.String(), a.ValPos
}
