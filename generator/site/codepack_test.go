package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zeebo/xxh3"
)

// blockKey is the key codeRenderer gives a fenced block of lang and code.
func blockKey(lang, code string) [sha256.Size]byte {
	return sha256.Sum256([]byte(lang + "\x00" + code))
}

// TestCodePack: a build takes the blocks the last left in its folder as
// they are; its own pack holds exactly the blocks it showed; a pack of
// another header, cut short, or of a failed build is not used.
func TestCodePack(t *testing.T) {
	dir := t.TempDir()
	src := []byte("```json\n{\"a\": 1}\n```\n\n```go\nfunc f() {}\n```\n")
	convert := func(c *CodeCache) string {
		var b strings.Builder
		if err := Markdown(false, nil, c).Convert(src, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	build := func(ok bool) (string, map[[sha256.Size]byte][]byte) {
		c := NewCodeCache(1 << 20)
		if err := c.UseDir(dir); err != nil {
			t.Fatal(err)
		}
		html := convert(c)
		if err := c.Commit(ok); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(filepath.Join(dir, PackFile))
		return html, readPack(data)
	}
	fresh := convert(nil)
	html, pack := build(true)
	if html != fresh || len(pack) != 2 {
		t.Fatalf("first build: %d blocks kept, html\n%s", len(pack), html)
	}
	// The last build's HTML is taken as it is, without highlighting.
	planted := []byte(packHeader)
	for key, html := range map[[sha256.Size]byte]string{
		blockKey("json", "{\"a\": 1}\n"): "<pre>from the pack</pre>\n",
		blockKey("c", "int x;\n"):        "<pre>a block no longer shown</pre>\n",
	} {
		planted = append(planted, key[:]...)
		planted = binary.AppendUvarint(planted, uint64(len(html)))
		planted = binary.LittleEndian.AppendUint64(planted, xxh3.HashString(html))
		planted = append(planted, html...)
	}
	write := func(data []byte) {
		if err := os.WriteFile(filepath.Join(dir, PackFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(planted)
	html, pack = build(true)
	if !strings.Contains(html, "from the pack") || len(pack) != 2 || pack[blockKey("c", "int x;\n")] != nil {
		t.Errorf("with a pack: %d blocks kept, html\n%s", len(pack), html)
	}
	// Packs that are not whole, or of another chroma or style, are not
	// read; a block whose bytes changed is not used.
	damaged := bytes.Replace(planted, []byte("from the pack"), []byte("from the PACK"), 1)
	for _, bad := range [][]byte{
		planted[:len(planted)-3],
		append([]byte("briefing highlight pack 0\n"), planted[len(packHeader):]...),
		[]byte(packHeader + strings.Repeat("x", 40)),
		damaged,
	} {
		write(bad)
		if html, _ := build(true); html != fresh {
			t.Errorf("a bad pack was read:\n%s", html)
		}
	}
	// A failed build leaves the last pack and no temporary file; one a
	// killed build left is removed once it is stale.
	killed := filepath.Join(dir, ".highlight-killed.tmp")
	write(planted)
	if err := os.WriteFile(killed, []byte(packHeader), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(killed, time.Now(), time.Now().Add(-2*staleAfter)); err != nil {
		t.Fatal(err)
	}
	build(false)
	if data, _ := os.ReadFile(filepath.Join(dir, PackFile)); string(data) != string(planted) {
		t.Error("a failed build replaced the pack")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".highlight-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestCodeCacheForget: after Forget the blocks held in memory, the last
// pack's among them, are highlighted again, and the build's pack still
// gets every block shown, before it and after.
func TestCodeCacheForget(t *testing.T) {
	dir := t.TempDir()
	first := []byte("```json\n{\"a\": 1}\n```\n")
	second := []byte("```go\nfunc f() {}\n```\n")
	convert := func(c *CodeCache, src []byte) string {
		var b strings.Builder
		if err := Markdown(false, nil, c).Convert(src, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	planted := []byte(packHeader)
	key, from := blockKey("json", "{\"a\": 1}\n"), "<pre>from the pack</pre>\n"
	planted = append(planted, key[:]...)
	planted = binary.AppendUvarint(planted, uint64(len(from)))
	planted = binary.LittleEndian.AppendUint64(planted, xxh3.HashString(from))
	planted = append(planted, from...)
	if err := os.WriteFile(filepath.Join(dir, PackFile), planted, 0o644); err != nil {
		t.Fatal(err)
	}
	c := NewCodeCache(1 << 20)
	if err := c.UseDir(dir); err != nil {
		t.Fatal(err)
	}
	if html := convert(c, first); !strings.Contains(html, "from the pack") {
		t.Fatalf("before Forget, the pack's block is not used:\n%s", html)
	}
	convert(c, second)
	c.Forget()
	if _, ok := c.get(blockKey("go", "func f() {}\n")); ok {
		t.Error("a block is held in memory after Forget")
	}
	if html := convert(c, first); html != convert(nil, first) {
		t.Errorf("after Forget, the block is not highlighted again:\n%s", html)
	}
	if err := c.Commit(true); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, PackFile))
	if pack := readPack(data); len(pack) != 2 || string(pack[key]) != from {
		t.Errorf("the pack after Forget: %d blocks, the first %q", len(pack), pack[key])
	}
}
