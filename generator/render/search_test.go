package render

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"briefing/generator/corpus"
	"briefing/generator/site"
)

// FuzzSearchTerms holds searchTerms, which takes most ASCII words as
// they are, to what folding every word gives.
func FuzzSearchTerms(f *testing.F) {
	for _, s := range []string{"Hello, World!", "Zoë's café", "aB1 Ab ab AB", "xÉy Éx xÉ", "日本 a語b", "ｆｕｌｌ ½a",
		strings.Repeat("a", 40) + " " + strings.Repeat("A", 41) + " " + strings.Repeat("é", 40), "a\u0301b", "İstanbul KELVIN \u212a", "Işık Øresund Straße ẞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Every word folded: the tokeniser before its ASCII shortcut.
		var want []string
		start := -1
		flush := func(end int) {
			if start >= 0 {
				foldTerms(s[start:end], func(t string) { want = append(want, t) })
				start = -1
			}
		}
		for i, r := range s {
			switch {
			case isCJK(r):
				flush(i)
				foldTerms(string(r), func(t string) { want = append(want, t) })
			case isWordRune(r):
				if start < 0 {
					start = i
				}
			default:
				flush(i)
			}
		}
		flush(len(s))
		if got := SearchTerms(s); !slices.Equal(got, want) {
			t.Fatalf("SearchTerms(%q) = %q, folding every word gives %q", s, got, want)
		}
	})
}

func TestSearchTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Hello, World!", []string{"hello", "world"}},
		{"Zoë's café — naïve", []string{"zoe", "s", "cafe", "naive"}},
		{"Гр & Co, Москва", []string{"гр", "co", "москва"}},
		{"مرحبا بالعالم", []string{"مرحبا", "بالعالم"}},
		{"ΟΔΟΣ οδός", []string{"οδοσ", "οδοσ"}},
		{"日本語テキスト", []string{"日", "本", "語", "テ", "キ", "ス", "ト"}},
		{"東京2026年", []string{"東", "京", "2026", "年"}},
		{"ｆｕｌｌ ﬁle ½", []string{"full", "file", "1", "2"}},
		{"c++ x&y a_b 3.5", []string{"c", "x", "y", "a", "b", "3", "5"}},
		{"e\u0301te\u0301", []string{"ete"}},
		// Letters Unicode does not decompose are found by the plain
		// letter, as accented ones are.
		{"Işık IŞIK isik", []string{"isik", "isik", "isik"}},
		{"Øresund Łódź Straße ẞ Æther Þór", []string{"oresund", "lodz", "strasse", "ss", "aether", "thor"}},
		{strings.Repeat("x", 41) + " ok " + strings.Repeat("y", 40), []string{"ok", strings.Repeat("y", 40)}},
		{"", nil},
		{" ,.; ", nil},
	} {
		if got := SearchTerms(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SearchTerms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSearchSetEncoding(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sawList, sawBitmap := false, false
	for range 500 {
		n := 1 + r.IntN(300)
		density := []int{1, 3, 40, 2000}[r.IntN(4)]
		var ids []uint32
		id := uint32(r.IntN(density))
		for range n {
			ids = append(ids, id)
			id += 1 + uint32(r.IntN(density))
		}
		enc := string(appendSet(nil, ids))
		switch enc[0] {
		case 'L':
			sawList = true
		case 'B':
			sawBitmap = true
		}
		if strings.Trim(enc[1:], b64) != "" {
			t.Fatalf("set %q has characters outside the alphabet", enc)
		}
		if got := decodeSet(enc); !slices.Equal(got, ids) {
			t.Fatalf("%v encodes as %q, which decodes as %v", ids, enc, got)
		}
	}
	if !sawList || !sawBitmap {
		t.Errorf("lists %v, bitmaps %v: both forms should be chosen", sawList, sawBitmap)
	}
}

// testManifest is search/manifest.json.
type testManifest struct {
	Group  int            `json:"group"`
	Counts map[string]int `json:"counts"`
	Shards [][3]any       `json:"shards"`
}

func readSearchManifest(t testing.TB, six *searchIndex) testManifest {
	t.Helper()
	var man testManifest
	if err := json.Unmarshal(six.manifest, &man); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	return man
}

// shardOf is the shard whose run of terms holds term, as search.js finds
// it: the last whose first term is not after it.
func (man testManifest) shardOf(term string) int {
	i, found := slices.BinarySearchFunc(man.Shards, term, func(s [3]any, t string) int { return strings.Compare(s[0].(string), t) })
	if !found {
		i--
	}
	return max(i, 0)
}

func (man testManifest) name(i int) string { return man.Shards[i][1].(string) }

func readShard(t testing.TB, six *searchIndex, name string) map[string][]string {
	t.Helper()
	var sh map[string][]string
	if err := json.Unmarshal(six.shards[name], &sh); err != nil {
		t.Fatalf("shard %s: %v", name, err)
	}
	return sh
}

// TestSearchIndex finds every term of every entry of several sites in the
// shard the manifest gives for it, with the entry in its set, and wants
// the same bytes from a second build.
func TestSearchIndex(t *testing.T) {
	gen := t.TempDir()
	if err := corpus.Write(gen, 60, 5); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, dir string }{{"sample", "../.."}, {"hostile", hostileSite(t)}, {"corpus", gen}} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := modelOf(t, tc.dir, "/sub/", true)
			// Small shards, so that a small site has many.
			defer func(n int) { shardTarget = n }(shardTarget)
			shardTarget = 700
			six := buildSearch(m, nil)
			man := readSearchManifest(t, six)
			if len(man.Shards) == 0 {
				t.Fatal("no shards")
			}
			for i := 1; i < len(man.Shards); i++ {
				if man.Shards[i-1][0].(string) >= man.Shards[i][0].(string) {
					t.Fatalf("shards out of order: %v before %v", man.Shards[i-1][0], man.Shards[i][0])
				}
			}
			shards := map[string]map[string][]string{}
			total := 0
			for i := range man.Shards {
				name := man.name(i)
				shards[name] = readShard(t, six, name)
				if n := int(man.Shards[i][2].(float64)); n != len(six.shards[name]) {
					t.Errorf("shard %s: manifest says %d bytes, has %d", name, n, len(six.shards[name]))
				}
				total += len(shards[name])
			}
			checked := 0
			for _, k := range searchKinds {
				if man.Counts[string(k.letter)] != kindLen(m, k.letter) {
					t.Errorf("count of %c: %d, want %d", k.letter, man.Counts[string(k.letter)], kindLen(m, k.letter))
				}
				for id := range kindLen(m, k.letter) {
					fields := docTexts(m, k.letter, id)
					for w := weightBody; w <= weightTitle; w++ {
						for _, text := range fields[w] {
							for _, term := range SearchTerms(text) {
								entries, ok := shards[man.name(man.shardOf(term))][term]
								if !ok {
									t.Fatalf("%q (%c %d) is not in its shard", term, k.letter, id)
								}
								found := 0
								for _, e := range entries {
									if e[0] == k.letter && slices.Contains(decodeSet(e[2:]), uint32(id)) {
										found = int(e[1] - '0')
									}
								}
								if found < w {
									t.Fatalf("%q: %c %d found at weight %d, want at least %d (%q)", term, k.letter, id, found, w, entries)
								}
								checked++
							}
						}
					}
				}
			}
			if checked == 0 || total == 0 {
				t.Fatal("nothing checked")
			}
			again := buildSearch(m, nil)
			if !bytes.Equal(six.manifest, again.manifest) || !slices.Equal(six.names, again.names) {
				t.Fatal("a second build gives another manifest")
			}
			for name, b := range six.shards {
				if !bytes.Equal(b, again.shards[name]) {
					t.Fatalf("a second build gives another shard %s", name)
				}
			}
			// Entries indexed in runs of a few, merged, give the index
			// of one run of them all.
			for _, chunk := range []int{1, 3, 1 << 30} {
				defer func(n int) { searchChunk = n }(searchChunk)
				searchChunk = chunk
				runs := buildSearch(m, nil)
				if !bytes.Equal(six.manifest, runs.manifest) {
					t.Fatalf("in runs of %d: another manifest", chunk)
				}
				for name, b := range six.shards {
					if !bytes.Equal(b, runs.shards[name]) {
						t.Fatalf("in runs of %d: another shard %s", chunk, name)
					}
				}
			}
			// Every file the index lists is found by Lookup and written.
			r, _ := New(m, builtin, nil)
			for _, p := range searchPaths(m, r.ix, 0) {
				page, ok, err := r.Page(m, p)
				if !ok || err != nil || len(page) == 0 {
					t.Fatalf("%s: ok %v, err %v, %d bytes", p, ok, err, len(page))
				}
				if !json.Valid(page) {
					t.Fatalf("%s is not JSON", p)
				}
			}
			for _, p := range []string{"search/t/0000000000.json", "search/f/c999999.json", "search/f/x0.json", "search/f/c01.json", "search/other.json"} {
				if Lookup(m, p) != nil {
					t.Errorf("%s is found", p)
				}
			}
			t.Logf("%d terms checked; %d terms in %d shards", checked, total, len(man.Shards))
		})
	}
}

// TestSearchFindsProfiles: a word found only in an actor's profile or a
// source's description finds that actor or source.
func TestSearchFindsProfiles(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"content/actors/a.md":    "---\nname: A\nkind: person\n---\nBorn in Zanzibar.\n",
		"content/sources/s.md":   "---\ntitle: S\nreliability: C\n---\nA wire service based in Quito.\n",
		"content/briefings/b.md": "---\ntitle: B\ndate: 2026-11-24\n---\n:claim[words]{by=a src=s}\n",
	})
	m, _ := modelOf(t, dir, "/", false)
	six := buildSearch(m, nil)
	man := readSearchManifest(t, six)
	for term, kind := range map[string]byte{"zanzibar": 'a', "quito": 's'} {
		entries := readShard(t, six, man.name(man.shardOf(term)))[term]
		found := false
		for _, e := range entries {
			found = found || e[0] == kind && slices.Contains(decodeSet(e[2:]), 0)
		}
		if !found {
			t.Errorf("%q does not find its %c: %q", term, kind, entries)
		}
	}
}

// queryFiles is what search.js fetches for a one-word query typed without
// a following space (so that it also finds the words it begins), with
// their sizes: the manifest, the word's shards, and the fragments of the
// first results of each kind.
func queryFiles(t testing.TB, m *site.Model, six *searchIndex, word string) (files map[string]int, results int) {
	const first, prefixBytes = 5, 64 << 10 // as search.js
	man := readSearchManifest(t, six)
	files = map[string]int{"search/manifest.json": len(six.manifest)}
	i := man.shardOf(word)
	need := []int{i}
	for bytes := 0; i+1 < len(man.Shards) && strings.HasPrefix(man.Shards[i+1][0].(string), word); {
		i++
		if bytes += int(man.Shards[i][2].(float64)); bytes > prefixBytes {
			break
		}
		need = append(need, i)
	}
	scores := map[byte][]int{}
	for _, k := range searchKinds {
		scores[k.letter] = make([]int, man.Counts[string(k.letter)])
	}
	for _, i := range need {
		files["search/t/"+man.name(i)+".json"] = len(six.shards[man.name(i)])
		for term, entries := range readShard(t, six, man.name(i)) {
			if !strings.HasPrefix(term, word) {
				continue
			}
			for _, e := range entries {
				sc := int(e[1]-'0') * 2
				if term != word {
					sc--
				}
				for _, id := range decodeSet(e[2:]) {
					scores[e[0]][id] = max(scores[e[0]][id], sc)
				}
			}
		}
	}
	for _, k := range searchKinds {
		s := scores[k.letter]
		var ids []int
		for id, sc := range s {
			if sc > 0 {
				ids = append(ids, id)
			}
		}
		results += len(ids)
		slices.SortStableFunc(ids, func(a, b int) int { return s[b] - s[a] })
		for _, id := range ids[:min(first, len(ids))] {
			g := id / man.Group
			p := "search/f/" + string(k.letter) + strconv.Itoa(g) + ".json"
			files[p] = len(appendFragment(nil, m, k.letter, g))
		}
	}
	return files, results
}

// TestSearchBudget builds the index of a site of 10,000 briefings (100,000
// claims) and adds up what a one-word query downloads, for typical words
// and for the commonest: each must stay under 300 KB.
func TestSearchBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site of 10,000 briefings")
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, 10000, 1); err != nil {
		t.Fatal(err)
	}
	files, err := site.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := site.Resolve(site.Parse(files.Content), site.Options{BasePath: "/"})
	start := time.Now()
	six := buildSearch(m, nil)
	elapsed := time.Since(start)
	total, largest := len(six.manifest), 0
	for _, b := range six.shards {
		total += len(b)
		largest = max(largest, len(b))
	}
	t.Logf("index of %d claims built in %v: %d shards, %d bytes in all, manifest %d bytes, largest shard %d bytes",
		len(m.Claims), elapsed.Round(time.Millisecond), len(six.shards), total, len(six.manifest), largest)
	// The corpus draws its words from a small vocabulary, so that every
	// one of them is common; "actor" is in every claim (its speaker's
	// name) and every actor's; "disputed" is a quarter of the claims'
	// status; "2026" and "9999" are numbers found once; "co" is typed on the way to several
	// words, and finds all the words it begins.
	for _, word := range []string{"ceasefire", "corridor", "minister", "talks", "the", "actor", "disputed", "2026", "briefing", "9999", "co", "xyzzy"} {
		fs, results := queryFiles(t, m, six, word)
		sum := 0
		for _, n := range fs {
			sum += n
		}
		t.Logf("%-10s %6d results, %2d files, %6d bytes", word, results, len(fs), sum)
		if sum >= 300<<10 {
			t.Errorf("%q downloads %d bytes, over the budget of 300 KB", word, sum)
		}
		if results == 0 && word != "xyzzy" {
			t.Errorf("%q finds nothing", word)
		}
	}
}

// BenchmarkSearchIndex builds the search index of a site of
// BRIEFING_BENCH_N briefings (1,000 by default):
//
//	go test ./generator/render -run '^$' -bench SearchIndex
//	BRIEFING_BENCH_N=10000 go test ./generator/render -run '^$' -bench SearchIndex -benchtime 3x
func BenchmarkSearchIndex(b *testing.B) {
	m := benchModel(b, site.Options{BasePath: "/"})
	b.ReportAllocs()
	for b.Loop() {
		buildSearch(m, nil)
	}
}
