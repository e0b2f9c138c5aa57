package build_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"briefing/generator/build"
	"briefing/generator/corpus"
)

// BenchmarkRebuild measures a build into an output that already holds the
// same site: everything is rendered and compared, nothing is written.
//
//	go test ./generator/build -run '^$' -bench Rebuild -benchtime 1x
func BenchmarkRebuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("briefings=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := corpus.Write(dir, n, 1); err != nil {
				b.Fatal(err)
			}
			out := filepath.Join(b.TempDir(), "public")
			opts := build.Options{Src: dir, Builtin: builtin}
			if res := build.ToDir(opts, out); res.Failed() {
				b.Fatal(res.Diags[0])
			}
			for b.Loop() {
				if res := build.ToDir(opts, out); res.Failed() {
					b.Fatal(res.Diags[0])
				}
			}
		})
	}
}
