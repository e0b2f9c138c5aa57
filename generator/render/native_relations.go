package render

import "briefing/generator/site"

// The briefing's claims listed with their relations, the update line and
// the history of a claim: the native writers of the "related-claim-list"
// definition of briefing.html and of claim.html's update banner and
// history.

func (w *writer) relatedClaimList(cs []*site.Claim) {
	orderedList(w, "claim-list", cs, w.relatedClaimItem)
}

func (w *writer) relatedClaimItem(c *site.Claim) {
	w.claimItemHead(c)
	if n := c.Newer(); n != nil {
		w.raw("\n<span class=\"claim-update\">")
		w.updated(c, n)
		w.raw("</span>")
	}
	if rels := c.Related(); len(rels) > 0 {
		w.raw("\n<span class=\"claim-relations\">")
		for i, r := range rels {
			if i > 0 {
				w.raw(" · ")
			}
			w.raw(`<span class="rel-key">`)
			w.text(r.Label)
			w.raw(`:</span> `)
			for j, o := range r.Claims {
				if j > 0 {
					w.raw("; ")
				}
				w.claimA(o)
				w.raw(" ")
				w.status(o.Status)
			}
		}
		w.raw("</span>")
	}
	w.raw("\n</li>")
}

// langDir writes the lang and dir attributes of a claim's words.
func (w *writer) langDir(c *site.Claim) {
	if l := c.Lang(); l != "" {
		w.raw(` lang="`)
		w.text(l)
		w.raw(`"`)
	}
	w.raw(` dir="`)
	w.text(c.Dir())
	w.raw(`"`)
}

// updated writes "↻ Updated 23 Nov: <newer claim> status".
func (w *writer) updated(c, n *site.Claim) {
	w.raw(`<span class="rel-icon" aria-hidden="true">↻</span> Updated`)
	if d := c.UpdateDate(n); d != "" {
		w.raw(` <time datetime="`)
		w.isodate(n.Date)
		w.raw(`">`)
		w.text(d)
		w.raw(`</time>`)
	}
	w.raw(`: `)
	w.claimA(n)
	w.raw(" ")
	w.status(n.Status)
}

// updateBanner is the claim page's line on the claim that updates it.
func (w *writer) updateBanner(c *site.Claim) {
	n := c.Newer()
	if n == nil {
		return
	}
	w.raw("\n<p class=\"update-banner\" role=\"note\">")
	w.updated(c, n)
	if b := n.Briefing; b != nil {
		w.raw(` <span class="meta">in `)
		w.a(b.URL, b.Title)
		w.raw(`</span>`)
	}
	w.raw("</p>")
}

// claimHistory is the claim page's chain of updates, oldest first.
func (w *writer) claimHistory(c *site.Claim) {
	h := c.History()
	if len(h) == 0 {
		return
	}
	w.raw("<section aria-labelledby=\"h-history\">\n<h2 id=\"h-history\">History</h2>\n<ol class=\"claim-history\">")
	for _, o := range h {
		w.raw("\n<li")
		if o == c {
			w.raw(` class="current" aria-current="true"`)
		}
		w.raw(">")
		w.time(o.Date)
		w.raw(" ")
		w.status(o.Status)
		w.raw(" ")
		if o == c {
			w.raw("<strong>")
			w.text(o.Short())
			w.raw(`</strong> <span class="meta">(this claim)</span>`)
		} else {
			w.claimA(o)
		}
		if b := o.Briefing; b != nil {
			w.raw(` <span class="meta">in `)
			w.a(b.URL, b.Title)
			w.raw(`</span>`)
		}
		w.raw("</li>")
	}
	w.raw("\n</ol>\n</section>\n")
}
