package web

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// hostList is the set of names the server answers to (Config.Hosts).
type hostList struct {
	exact   map[string]bool // "host:port"
	anyPort map[string]bool // "host"
	names   []string        // as given, for the refusal
}

// newHostList reads Config.Hosts; nil means any host is answered.
func newHostList(hosts []string) (*hostList, error) {
	if len(hosts) == 0 {
		return nil, nil
	}
	l := &hostList{exact: map[string]bool{}, anyPort: map[string]bool{}}
	for _, h := range hosts {
		host, port, ok := splitHost(h)
		if !ok || host == "" {
			return nil, fmt.Errorf("web: Config.Hosts: %q is not a host name or address, with or without a port", h)
		}
		if port == "" {
			l.anyPort[host] = true
		} else {
			l.exact[net.JoinHostPort(host, port)] = true
		}
		l.names = append(l.names, h)
	}
	return l, nil
}

// allows reports whether a request's Host header names this server. A
// Host without a port names the scheme's default port.
func (l *hostList) allows(r *http.Request) bool {
	host, port, ok := splitHost(r.Host)
	if !ok || host == "" {
		return false
	}
	if l.anyPort[host] {
		return true
	}
	if port == "" {
		port = "80"
		if r.TLS != nil {
			port = "443"
		}
	}
	return l.exact[net.JoinHostPort(host, port)]
}

// splitHost splits "host", "host:port", "[v6]" or "[v6]:port" into a
// lower-case host without a trailing dot (an address in its canonical
// form) and a port; ok is false for anything else.
func splitHost(s string) (host, port string, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 300 {
		return "", "", false
	}
	if h, p, err := net.SplitHostPort(s); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != p {
			return "", "", false
		}
		host, port = h, p
	} else {
		host = s
		if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
			host = host[1 : len(host)-1]
		}
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.String(), port, true
	}
	host = strings.TrimSuffix(host, ".")
	if !validHostName(host) {
		return "", "", false
	}
	return host, port, true
}

// validHostName reports whether s is a DNS name: labels of letters,
// digits and '-' (and '_', seen in the wild), separated by dots.
func validHostName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// CheckHost reports whether h can be given in Config.Hosts: a host name
// or address, with or without a port. The command line checks its
// --allowed-host values with it.
func CheckHost(h string) bool {
	host, _, ok := splitHost(h)
	return ok && host != ""
}

// checkHost refuses a request whose Host header names another server
// (421 Misdirected Request): a web page that had its own name resolve to
// this machine (DNS rebinding) would otherwise read and change what the
// server keeps, since the browser then counts it as the same origin.
func (s *Server) checkHost(next http.Handler) http.Handler {
	if s.hosts == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.hosts.allows(r) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Connection", "close")
		http.Error(w, "This server does not answer to the name in the request's Host header. It answers to: "+
			strings.Join(s.hosts.names, ", ")+" (the operator adds names with --allowed-host).", http.StatusMisdirectedRequest)
	})
}
