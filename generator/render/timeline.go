package render

import (
	"slices"
	"strings"
	"time"

	"briefing/generator/site"
)

// Event is one entry of an actor's timeline: a briefing that mentions the
// actor, with everything the actor does in it, so that a briefing is never
// listed twice; or a claim by or about the actor written outside any
// briefing, with Briefing nil.
type Event struct {
	Date     time.Time
	Briefing *site.Briefing
	// Claims are the actor's claims in it, made or about them, in the
	// order of the text.
	Claims []EventClaim
	// Said and About count the claims the actor made and is the subject
	// of; a claim can be both.
	Said, About int
	// Named is whether the briefing's text names the actor.
	Named bool
	// Caveats are those the actor wrote in it.
	Caveats []*site.Caveat
}

// EventClaim is a claim of a timeline entry and the actor's part in it.
type EventClaim struct {
	Claim       *site.Claim
	Said, About bool
}

// timeline is a's timeline, newest first: one entry per briefing in
// a.Mentioned, which holds every briefing where the actor speaks, is
// spoken about, writes a caveat or is named, and one per claim written
// outside a briefing.
func timeline(a *site.Actor) []Event {
	ev := make([]Event, 0, len(a.Mentioned))
	for _, b := range a.Mentioned {
		e := Event{Date: b.Date, Briefing: b, Named: b.Names(a)}
		for _, c := range b.Claims {
			said, about := slices.Contains(c.By, a), slices.Contains(c.About, a)
			if said || about {
				e.Claims = append(e.Claims, EventClaim{c, said, about})
				e.Said += b2i(said)
				e.About += b2i(about)
			}
		}
		for _, cv := range b.Caveats {
			if slices.Contains(cv.By, a) {
				e.Caveats = append(e.Caveats, cv)
			}
		}
		ev = append(ev, e)
	}
	var loose []Event
	seen := map[*site.Claim]bool{}
	for _, c := range slices.Concat(a.ClaimsBy, a.ClaimsAbout) {
		if c.Briefing != nil || seen[c] {
			continue
		}
		seen[c] = true
		said, about := slices.Contains(c.By, a), slices.Contains(c.About, a)
		loose = append(loose, Event{Date: c.Date, Claims: []EventClaim{{c, said, about}}, Said: b2i(said), About: b2i(about)})
	}
	slices.SortFunc(loose, func(x, y Event) int { return strings.Compare(x.Claims[0].Claim.ID, y.Claims[0].Claim.ID) })
	ev = append(ev, loose...)
	// Newest first; on one day the briefings, in their order, before the
	// claims outside briefings, by id.
	slices.SortStableFunc(ev, func(x, y Event) int {
		if c := y.Date.Compare(x.Date); c != 0 {
			return c
		}
		return b2i(x.Briefing == nil) - b2i(y.Briefing == nil)
	})
	return ev
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Roles is what the actor does in the entry, for its summary line:
// "said 2 claims", "subject of 1 claim", "named", "wrote 1 caveat".
func (e Event) Roles() []string {
	var out []string
	if e.Said > 0 {
		out = append(out, "said "+plural(e.Said, "claim", "claims"))
	}
	if e.About > 0 {
		out = append(out, "subject of "+plural(e.About, "claim", "claims"))
	}
	if e.Named {
		out = append(out, "mentioned")
	}
	if n := len(e.Caveats); n > 0 {
		out = append(out, "wrote "+plural(n, "caveat", "caveats"))
	}
	return out
}

// timeline writes an actor's timeline entries as actor.html does.
func (w *writer) timeline(ev []Event) {
	if len(ev) == 0 {
		w.raw(`<p class="empty">Nothing yet.</p>`)
		return
	}
	w.raw(`<ol class="timeline">`)
	for _, e := range ev {
		w.raw("\n<li class=\"event\">\n<p class=\"event-head\">")
		if e.Date.IsZero() {
			w.raw(`<span class="undated">undated</span>`)
		} else {
			w.raw(`<time datetime="`)
			w.isodate(e.Date)
			w.raw(`">`)
			w.date(e.Date)
			w.raw(`</time>`)
		}
		w.raw("\n")
		if b := e.Briefing; b != nil {
			w.raw(`<a class="event-title" href="`)
			w.url(b.URL)
			w.raw(`">`)
			w.text(b.Title)
			w.raw(`</a>`)
		} else {
			w.raw(`<span class="event-title">Not in a briefing</span>`)
		}
		w.raw("</p>\n<p class=\"event-roles\">")
		for i, r := range e.Roles() {
			if i > 0 {
				w.raw(" · ")
			}
			w.text(r)
		}
		w.raw("</p>")
		if len(e.Claims) > 0 || len(e.Caveats) > 0 {
			w.raw("\n<ul class=\"event-items\">")
			for _, ec := range e.Claims {
				w.raw("\n<li><span class=\"event-role\">")
				switch {
				case ec.Said && ec.About:
					w.raw("Said, about them")
				case ec.Said:
					w.raw("Said")
				default:
					w.raw("About them")
				}
				w.raw("</span> ")
				w.status(ec.Claim.Status)
				w.raw(" ")
				w.claimA(ec.Claim)
				if !ec.Said {
					w.raw(` <span class="meta">by `)
					w.actorLinks(ec.Claim.By)
					w.raw(`</span>`)
				}
				w.raw("</li>")
			}
			for _, cv := range e.Caveats {
				w.raw("\n<li><span class=\"event-role\">Caveat</span> ")
				w.a(cv.URL, cv.Short())
				w.raw("</li>")
			}
			w.raw("\n</ul>")
		}
		w.raw("\n</li>")
	}
	w.raw("\n</ol>")
}
