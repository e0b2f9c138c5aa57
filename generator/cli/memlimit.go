package cli

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
)

// memoryLimit is the soft memory limit a command runs under when
// GOMEMLIMIT does not say: three quarters of the memory the process may
// use (its cgroup's limit, else the machine's), 0 when that is unknown.
//
// It is no tighter, because a limit near a site's live heap makes the
// collector run without pause: at 20,000 generated briefings (live heap
// about 800 MB) a fixed 1 GiB made a build take 55 s instead of 27 s.
// Below it, Go's own GOGC=100 lets the heap grow to twice what is live,
// so that memory grows with the site and time stays linear; the limit
// only keeps a site too large for the machine from being killed, by
// collecting more often as it nears it.
func memoryLimit() int64 {
	avail := int64(0)
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(f); err == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && n < 1<<50 {
				avail = n
				break
			}
		}
	}
	if total := memTotal(); total > 0 && (avail == 0 || total < avail) {
		avail = total
	}
	return avail / 4 * 3
}

// memTotal is the machine's memory from /proc/meminfo, 0 when unknown.
func memTotal() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			if f := strings.Fields(rest); len(f) == 2 && f[1] == "kB" {
				if n, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return n << 10
				}
			}
		}
	}
	return 0
}
