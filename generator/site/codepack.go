package site

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/zeebo/xxh3"
)

// PackFile is the name of the file, in a build's cache folder, that holds
// the code blocks the last build highlighted, for the next to take
// instead of highlighting them again.
const PackFile = "highlight.pack"

// packVersion changes whenever what a block is highlighted to changes
// without chroma's version changing: the style, the renderer, the guard.
const packVersion = "briefing highlight pack 2"

// packHeader is the first line of a pack: what made its HTML. A pack of
// another chroma, style, version of this file, or commit of briefing
// (when the binary knows its commit), is not read.
var packHeader = func() string {
	chroma, commit := "unknown", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/alecthomas/chroma/v2" {
				chroma = d.Version
				if d.Replace != nil {
					chroma = d.Replace.Path + "@" + d.Replace.Version
				}
			}
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" && s.Value == "true" {
				commit += " " + s.Value
			}
		}
	}
	return packVersion + " chroma " + chroma + " style " + HighlightStyle + commit + "\n"
}()

// codePack is the highlighted blocks of the last build, read from its
// pack, and the pack of this build being written: every block this
// build shows, once, so that the pack holds what the site has now and
// does not grow with what it once had.
type codePack struct {
	last map[[sha256.Size]byte][]byte // slices of one buffer: the file read whole

	mu      sync.Mutex
	dir     string
	tmp     *os.File
	w       *bufio.Writer
	written map[[sha256.Size]byte]bool
	err     error
}

// UseDir keeps highlighted code across builds in the folder dir (made if
// need be): the blocks the last build left there are taken as they are,
// and Commit leaves there those of this build. A pack that cannot be
// read, or was made by another chroma or style, is ignored; only a folder
// that cannot be written to is an error. A cache without UseDir keeps
// blocks for the process's life only.
func (c *CodeCache) UseDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	removeStale(dir)
	tmp, err := os.CreateTemp(dir, ".highlight-*.tmp")
	if err != nil {
		return err
	}
	p := &codePack{dir: dir, tmp: tmp, w: bufio.NewWriterSize(tmp, 64<<10), written: map[[sha256.Size]byte]bool{}}
	if data, err := os.ReadFile(filepath.Join(dir, PackFile)); err == nil {
		p.last = readPack(data)
	}
	p.w.WriteString(packHeader)
	c.pack = p
	return nil
}

// staleAfter is how long a pack being written may go unwritten before the
// next build takes it for the leftover of a build that was killed: a
// live build writes to it every 64 KB of code it shows.
const staleAfter = 10 * time.Minute

// removeStale removes the packs killed builds left half written in dir.
func removeStale(dir string) {
	left, _ := filepath.Glob(filepath.Join(dir, ".highlight-*.tmp"))
	for _, p := range left {
		if st, err := os.Stat(p); err == nil && time.Since(st.ModTime()) > staleAfter {
			_ = os.Remove(p)
		}
	}
}

// readPack reads the blocks of a pack's text, nil when it is not a whole
// pack of this header: a block is its key, its length as a uvarint, the
// XXH3 of its HTML and its HTML. A block whose HTML does not sum to what
// the pack says (a disk's damage) is left out. The pack is trusted as the
// site's own files are: it is in the user's own cache folder, and what
// can write there can write the site.
func readPack(data []byte) map[[sha256.Size]byte][]byte {
	rest, ok := bytes.CutPrefix(data, []byte(packHeader))
	if !ok {
		return nil
	}
	blocks := map[[sha256.Size]byte][]byte{}
	for len(rest) > 0 {
		if len(rest) < sha256.Size {
			return nil
		}
		key := [sha256.Size]byte(rest[:sha256.Size])
		n, w := binary.Uvarint(rest[sha256.Size:])
		rest = rest[sha256.Size+max(w, 0):]
		if w <= 0 || len(rest) < 8 || n > uint64(len(rest)-8) {
			return nil
		}
		sum := binary.LittleEndian.Uint64(rest)
		html := rest[8 : 8+n : 8+n]
		if xxh3.Hash(html) == sum {
			blocks[key] = html
		}
		rest = rest[8+n:]
	}
	return blocks
}

// fromPack is the HTML the last build kept under key.
func (c *CodeCache) fromPack(key [sha256.Size]byte) ([]byte, bool) {
	if c == nil || c.pack == nil {
		return nil, false
	}
	html, ok := c.pack.last[key]
	return html, ok
}

// keep writes the block to this build's pack, once.
func (c *CodeCache) keep(key [sha256.Size]byte, html []byte) {
	if c == nil || c.pack == nil {
		return
	}
	p := c.pack
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.written[key] || p.err != nil {
		return
	}
	p.written[key] = true
	p.w.Write(key[:])
	head := binary.AppendUvarint(nil, uint64(len(html)))
	p.w.Write(binary.LittleEndian.AppendUint64(head, xxh3.Hash(html)))
	_, p.err = p.w.Write(html)
}

// Commit puts the pack of this build in place of the last one, when ok;
// else it drops it and the last stays. Either way the cache no longer
// uses its folder.
func (c *CodeCache) Commit(ok bool) error {
	if c == nil || c.pack == nil {
		return nil
	}
	p := c.pack
	c.pack = nil
	p.mu.Lock()
	defer p.mu.Unlock()
	err := p.err
	if err == nil {
		err = p.w.Flush()
	}
	if cerr := p.tmp.Close(); err == nil {
		err = cerr
	}
	if ok && err == nil {
		err = os.Rename(p.tmp.Name(), filepath.Join(p.dir, PackFile))
	}
	if err != nil || !ok {
		err = errors.Join(err, ignoreMissing(os.Remove(p.tmp.Name())))
	}
	return err
}

func ignoreMissing(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
