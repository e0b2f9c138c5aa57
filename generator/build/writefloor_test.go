package build_test

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"briefing/generator/build"
)

// BenchmarkWriteFloor is what the kernel alone asks of a full build: the
// files of a built site, already in memory, written into an empty folder
// on all cores with the fewest system calls a file can take (a mkdirat
// for each new folder; openat, write and close for each file, relative to
// the output's descriptor), and nothing else. The goldmark floor
// (BenchmarkFloor) writes nothing; a build must also write the SPEC's
// pages, one folder each, and this is the least that costs here.
//
//	go test ./generator/build -run '^$' -bench WriteFloor -benchtime 3x
func BenchmarkWriteFloor(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			src := benchCorpus(b, n)
			built := filepath.Join(benchDir(b), "public")
			if res := build.ToDir(build.Options{Src: src, Builtin: builtin}, built); res.Failed() {
				b.Fatal(res.Diags[0])
			}
			files := readSite(b, built)
			if err := os.RemoveAll(built); err != nil {
				b.Fatal(err)
			}
			out := filepath.Join(benchDir(b), "public")
			var size int64
			for _, f := range files {
				size += int64(len(f.data))
			}
			b.SetBytes(size)
			for b.Loop() {
				b.StopTimer()
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := writeFloor(files, out); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(files)), "files")
		})
	}
}

// siteFile is one file of a built site: its slash-separated path below
// the output folder and its bytes.
type siteFile struct {
	rel  string
	data []byte
}

// readSite reads every file of the built site in dir, less the build's
// own bookkeeping (names starting with a dot), in lexical order.
func readSite(tb testing.TB, dir string) []siteFile {
	tb.Helper()
	var files []siteFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, siteFile{filepath.ToSlash(rel), data})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

// writeFloor writes files into the new folder out on all cores. Workers
// take files in turn; a folder is made once, by whichever worker needs it
// first, while any other that needs it waits.
func writeFloor(files []siteFile, out string) error {
	if err := os.Mkdir(out, 0o755); err != nil {
		return err
	}
	root, err := openFloorDir(out)
	if err != nil {
		return err
	}
	defer root.close()
	var folders sync.Map // folder → *folder
	var mkdir func(dir string) error
	mkdir = func(dir string) error {
		if dir == "." {
			return nil
		}
		v, _ := folders.LoadOrStore(dir, new(folder))
		f := v.(*folder)
		f.once.Do(func() {
			if f.err = mkdir(path.Dir(dir)); f.err == nil {
				f.err = root.mkdir(dir)
			}
		})
		return f.err
	}
	var next atomic.Int64
	errs := make(chan error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				f := files[i]
				if err := mkdir(path.Dir(f.rel)); err != nil {
					errs <- err
					return
				}
				if err := root.write(f.rel, f.data); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// writeFloorProcess times the write floor of the built site in dir into
// the new folder out, in a process of its own: the floor holds the whole
// site in memory, and the kernel counts a parent's peak into the peak of
// every child it starts after (vfork shares the memory until exec), which
// would blur BenchmarkVsHugo's figures for the builds.
func writeFloorProcess(b *testing.B, dir, out string) time.Duration {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteFloorProcess$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "BRIEFING_WRITE_FLOOR="+dir+string(filepath.ListSeparator)+out)
	stdout, err := cmd.Output()
	if err != nil {
		b.Fatalf("write floor: %v\n%s", err, stdout)
	}
	for line := range strings.Lines(string(stdout)) {
		var ns int64
		if _, err := fmt.Sscanf(strings.TrimSpace(line), "write floor %d ns", &ns); err == nil {
			return time.Duration(ns)
		}
	}
	b.Fatalf("write floor: no time in\n%s", stdout)
	return 0
}

// TestWriteFloorProcess is writeFloorProcess's child: with
// BRIEFING_WRITE_FLOOR set to a built site's folder and a new folder, it
// reads the one, writes it into the other and prints the time taken.
func TestWriteFloorProcess(t *testing.T) {
	dirs := filepath.SplitList(os.Getenv("BRIEFING_WRITE_FLOOR"))
	if len(dirs) != 2 {
		t.Skip("run by BenchmarkVsHugo")
	}
	files := readSite(t, dirs[0])
	start := time.Now()
	if err := writeFloor(files, dirs[1]); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("write floor %d ns\n", time.Since(start).Nanoseconds())
}

// folder is made once.
type folder struct {
	once sync.Once
	err  error
}

// TestWriteFloor holds the write floor to writing what it was given:
// every file, in nested folders made once however the workers meet them,
// and read back equal.
func TestWriteFloor(t *testing.T) {
	var files []siteFile
	for i := range 200 {
		files = append(files, siteFile{fmt.Sprintf("claims/c%d/index.html", i), []byte(strings.Repeat("x", i))})
	}
	files = append(files,
		siteFile{"index.html", []byte("<!doctype html>")},
		siteFile{"a/b/c/d/e.json", []byte("{}")},
		siteFile{"a/b/f.txt", nil},
		siteFile{"ünï/cödé/index.html", []byte("ü")},
	)
	out := filepath.Join(t.TempDir(), "public")
	if err := writeFloor(files, out); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range readSite(t, out) {
		got[f.rel] = string(f.data)
	}
	if len(got) != len(files) {
		t.Errorf("%d files written, want %d", len(got), len(files))
	}
	for _, f := range files {
		if data, ok := got[f.rel]; !ok || data != string(f.data) {
			t.Errorf("%s: %q, %t; want %q", f.rel, data, ok, f.data)
		}
	}
	if err := writeFloor(files, out); err == nil {
		t.Error("writing into a folder that exists: no error")
	}
	// A worker's error is the floor's: the second file of the same path
	// finds the first.
	twice := append(files[:2:2], files[0])
	if err := writeFloor(twice, filepath.Join(t.TempDir(), "public")); err == nil {
		t.Error("the same file twice: no error")
	}
}
