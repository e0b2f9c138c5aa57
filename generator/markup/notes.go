package markup

import (
	"strconv"

	"github.com/yuin/goldmark/util"
)

// writeNotes writes the numbers of a claim's sources among its page's
// end notes; CSS shows them in print only, where the claim's card is not.
func writeNotes(w util.BufWriter, notes []int) {
	if len(notes) == 0 {
		return
	}
	_, _ = w.WriteString(`<sup class="claim-notes">`)
	for i, n := range notes {
		if i > 0 {
			_ = w.WriteByte(',')
		}
		_, _ = w.WriteString(strconv.Itoa(n))
	}
	_, _ = w.WriteString(`</sup>`)
}
