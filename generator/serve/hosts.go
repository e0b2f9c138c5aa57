package serve

import (
	"net"
	"net/netip"
	"os"
	"strings"
)

// hosts are the names and addresses, lower case and without a port, that a
// request's Host may carry besides localhost and loopback addresses.
type hosts map[string]bool

// allowHosts decides which Host headers a server listening on addr answers.
// DNS rebinding points a name the attacker owns at this address, so that
// their page can read the preview as its own origin; such a request carries
// the attacker's name in its Host. So only names that cannot be rebound are
// answered: localhost and *.localhost (browsers resolve them to loopback
// themselves), loopback addresses, and the address listened on as given.
// When that is not loopback (--addr 0.0.0.0:1313, a LAN address), the
// machine's own addresses and host name are answered too, so that other
// devices can reach it by address or name. The port is not checked: the
// attacker's page would use the same port, while a forwarded port
// (ssh -L, a container) legitimately differs.
func allowHosts(addr string) hosts {
	h := hosts{}
	if addr == "" {
		return h
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	host = normalHost(host)
	ip, err := netip.ParseAddr(host)
	if err == nil && ip.IsLoopback() || host == "localhost" {
		return h
	}
	if err == nil {
		host = ip.WithZone("").String()
	}
	if host != "" && !(err == nil && ip.IsUnspecified()) {
		h[host] = true
	} else if addrs, err := net.InterfaceAddrs(); err == nil {
		// Listening everywhere: every address of the machine.
		for _, a := range addrs {
			if p, err := netip.ParsePrefix(a.String()); err == nil {
				h[p.Addr().WithZone("").String()] = true
			}
		}
	}
	if name, err := os.Hostname(); err == nil && name != "" {
		name = normalHost(name)
		h[name] = true
		h[name+".local"] = true // mDNS, as other devices on the network see it
	}
	return h
}

// allow reports whether a request with this Host header is answered.
func (h hosts) allow(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport // no port
	}
	host = normalHost(host)
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Unmap().IsLoopback() {
			return true
		}
		host = ip.WithZone("").String()
	}
	return h[host]
}

// normalHost is a host name or address as compared: lower case, without
// brackets or a trailing dot.
func normalHost(host string) string {
	return strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
}
