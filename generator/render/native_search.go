package render

// searchPage writes templates/search.html: the search box, the places the
// script fills, and what the page says without the script.
func searchPage(w *writer, d *Data) {
	w.raw("\n<h1>Search</h1>\n<form class=\"search-form\" role=\"search\" action=\"")
	w.link("search/")
	w.raw("\" method=\"get\" data-base=\"")
	// html/template reads a data- attribute as text, not as a URL.
	w.text(sitePath(w.m, ""))
	w.raw("\">\n<label for=\"search-q\">Search briefings, claims, actors, sources and caveats</label>\n" +
		"<input id=\"search-q\" name=\"q\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" aria-controls=\"search-results\" aria-describedby=\"search-help\" dir=\"auto\">\n" +
		"<p id=\"search-help\" class=\"meta\">Results show as you type; the arrow keys move through them.</p>\n</form>\n" +
		"<p id=\"search-status\" class=\"search-status\" role=\"status\" aria-live=\"polite\"></p>\n" +
		"<div id=\"search-results\" class=\"search-results\"></div>\n" +
		"<noscript><p class=\"search-noscript\">Search needs JavaScript, which is off in this browser. Browse the indexes instead: <a href=\"")
	w.link("briefings/")
	w.raw("\">briefings</a>, <a href=\"")
	w.link("claims/")
	w.raw("\">claims</a>, <a href=\"")
	w.link("actors/")
	w.raw("\">actors</a>, <a href=\"")
	w.link("sources/")
	w.raw("\">sources</a> and <a href=\"")
	w.link("caveats/")
	w.raw("\">caveats</a>.</p></noscript>\n<script src=\"")
	w.link("js/search.js")
	w.raw("\" defer></script>\n")
}

func init() { natives["search"] = searchPage }
