package render

import (
	"strconv"
	"strings"
	"sync"

	"briefing/generator/markup"
	"briefing/generator/site"
)

// Term is one word of the site's vocabulary, as the /method/ page explains
// it.
type Term struct {
	Term string // as an author writes it, e.g. roughly-even-chance
	Name string // as a reader sees it, e.g. roughly even chance
	Text string // what it means
}

// Method is what the /method/ page explains: the vocabularies of
// markup and the Admiralty code's words of site, each in its own order.
type Method struct {
	Statuses, Reliability, Credibility, Likelihood, Confidence []Term
	// Example is a grade shown as an example of reading one.
	Example site.Grade
}

// statusText says what each claim status means.
var statusText = map[string]string{
	"unverified":   "recorded as said, not yet checked against independent sources. Every claim starts here.",
	"corroborated": "independent sources back the claim.",
	"disputed":     "sources or other actors contradict the claim, and the evidence does not settle it yet.",
	"refuted":      "reliable evidence shows the claim to be false.",
}

// confidenceText says what each level of analytic confidence means, in the
// sense intelligence analysts give it.
var confidenceText = map[string]string{
	"low":      "the judgement rests on scant, questionable or fragmentary information, or on sources that cannot be corroborated.",
	"moderate": "the information is credibly sourced and plausible, but not corroborated enough to warrant high confidence.",
	"high":     "the judgement rests on good information from several sources, or the matter allows a solid judgement.",
}

// terms is the Method, made once.
var terms = sync.OnceValue(func() *Method {
	mt := &Method{Example: site.Grade{Reliability: "B", Credibility: 2}}
	for _, s := range markup.Statuses {
		mt.Statuses = append(mt.Statuses, Term{Term: s, Name: s, Text: capitalize(statusText[s])})
	}
	// The Admiralty words are site's, written "A: completely reliable".
	for _, r := range []string{"A", "B", "C", "D", "E", "F"} {
		mt.Reliability = append(mt.Reliability, Term{Term: r, Name: r, Text: capitalize(strings.TrimPrefix(site.ReliabilityText[r], r+": "))})
	}
	for c := 1; c <= 6; c++ {
		n := strconv.Itoa(c)
		mt.Credibility = append(mt.Credibility, Term{Term: n, Name: n, Text: capitalize(strings.TrimPrefix(site.CredibilityText[c], n+": "))})
	}
	// markup.LikelihoodWords says "likely (55–80%)": the words, then the range.
	for _, l := range markup.Likelihoods {
		words, rng, _ := strings.Cut(markup.LikelihoodWords[l], " (")
		mt.Likelihood = append(mt.Likelihood, Term{Term: l, Name: words, Text: "a probability of " + strings.TrimSuffix(rng, ")") + "."})
	}
	for _, c := range markup.Confidences {
		mt.Confidence = append(mt.Confidence, Term{Term: c, Name: c, Text: capitalize(confidenceText[c])})
	}
	return mt
})
