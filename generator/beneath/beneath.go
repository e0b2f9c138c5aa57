// Package beneath opens and reads files below a folder without leaving
// it, in one system call where the kernel offers one (Linux's openat2,
// RESOLVE_BENEATH). os.Root, which does the same everywhere, opens and
// closes every folder on the way and sets each file up for the runtime's
// poller: a dozen system calls for each file a build reads or writes
// once, a hundred and fifty thousand of them at 10,000 briefings.
//
// Where it is not at hand (another system, an old kernel, a sandbox that
// refuses the call) every function answers errors.ErrUnsupported, and the
// caller goes through its os.Root.
package beneath
