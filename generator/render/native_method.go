package render

// methodPage writes method.html: how to read the site.
func methodPage(w *writer, d *Data) {
	mt := terms()
	w.raw("\n<article class=\"method-page\">\n<header class=\"article-head\">\n<p class=\"kicker\">Method</p>\n<h1>How to read this site</h1>\n" +
		"<p class=\"summary\">Every claim here is attributed to whoever made it, given a status, and graded by the sources that report it. This page explains the words and codes the other pages use.</p>\n" +
		"</header>\n<section aria-labelledby=\"h-statuses\">\n<h2 id=\"h-statuses\">Claim statuses</h2>\n" +
		"<p>Each claim carries one status. It says where the evidence about the claim stands, not how far its speaker is to be trusted.</p>\n<dl class=\"terms\">")
	for _, t := range mt.Statuses {
		w.raw("\n<dt id=\"status-")
		w.text(t.Term)
		w.raw("\">")
		w.status(t.Term)
		w.raw("</dt>\n<dd>")
		w.text(t.Text)
		w.raw(` <a href="`)
		w.link("claims/")
		w.urlPart(t.Term)
		w.raw(`/">`)
		w.text(t.Name)
		w.raw(" claims (")
		w.int(w.count(t.Term))
		w.raw(")</a></dd>")
	}
	w.raw("\n</dl>\n<p>In the structured data each claim page gives search engines (a schema.org ClaimReview), the status is the rating's name, and its value runs from 1, refuted, through disputed and unverified, to 4, corroborated.</p>\n" +
		"</section>\n<section aria-labelledby=\"h-grades\">\n<h2 id=\"h-grades\">Admiralty grades</h2>\n" +
		"<p>Sources and claims are graded with the Admiralty code: a letter for how reliable the source is, a digit for how credible the information is. So ")
	w.grade(mt.Example)
	w.raw(" reads “")
	w.text(mt.Example.Title())
	w.raw("”. A claim takes the letter of its most reliable source, and its own credibility where the analyst gave one, else that source's.</p>\n<h3 id=\"h-reliability\">Source reliability</h3>\n")
	w.terms(mt.Reliability)
	w.raw("\n<h3 id=\"h-credibility\">Information credibility</h3>\n")
	w.terms(mt.Credibility)
	w.raw("\n</section>\n<section aria-labelledby=\"h-likelihood\">\n<h2 id=\"h-likelihood\">Likelihood</h2>\n" +
		"<p>Where an analyst judges how likely a claim is to be true, or an event to come about, the judgement uses the expressions of likelihood of the intelligence standard ICD 203, each standing for a range of probability.</p>\n")
	w.terms(mt.Likelihood)
	w.raw("\n</section>\n<section aria-labelledby=\"h-confidence\">\n<h2 id=\"h-confidence\">Analytic confidence</h2>\n" +
		"<p>Confidence is how far the analyst trusts their own judgement. It rests on the quality of the sources and of the reasoning, and is not a probability: a judgement can be “likely” held with low confidence.</p>\n")
	w.terms(mt.Confidence)
	w.raw("\n</section>\n</article>\n")
}

// terms writes a list of terms as method.html does.
func (w *writer) terms(ts []Term) {
	w.raw(`<dl class="terms">`)
	for _, t := range ts {
		w.raw("\n<dt>")
		w.text(t.Name)
		w.raw("</dt><dd>")
		w.text(t.Text)
		w.raw("</dd>")
	}
	w.raw("\n</dl>")
}
