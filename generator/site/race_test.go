//go:build race

package site

// raceEnabled: the race detector makes everything several times slower, so
// the long tests do less.
const raceEnabled = true
