//go:build race

package cli

// raceDetector: the race detector shadows memory, touching what a test
// of untouched memory wants untouched.
const raceDetector = true
