package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"

	"github.com/backcoach/backcoach"
)

//go:embed static
var staticFiles embed.FS

// asset is one static file, kept in memory plain and gzip-compressed.
type asset struct {
	name    string
	body    []byte
	gz      []byte // nil when compression does not pay
	ctype   string
	version string // a short hash of the content
}

// assets are the static files, by their path under static/.
type assets struct {
	files map[string]*asset
	// version names the whole set, for the service worker's cache.
	version string
	// sw is the service worker with the list of files to keep offline;
	// swSource is its text before the list is filled in.
	sw       *asset
	swSource []byte
}

// loadAssets reads every static file once and compresses it.
func loadAssets() (*assets, error) {
	a := &assets{files: map[string]*asset{}}
	all := sha256.New()
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		if strings.HasSuffix(name, ".sh") || strings.HasSuffix(name, "LICENSE") || strings.HasSuffix(name, "VERSION") || name == "sw.js" {
			return nil
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		f := newAsset(name, body)
		a.files[name] = f
		all.Write([]byte(name + f.version))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	a.version = hex.EncodeToString(all.Sum(nil))[:12]
	if a.swSource, err = staticFiles.ReadFile("static/sw.js"); err != nil {
		return nil, fmt.Errorf("web: the service worker is missing: %w", err)
	}
	a.buildServiceWorker(nil)
	return a, nil
}

// newAsset hashes and compresses a file.
func newAsset(name string, body []byte) *asset {
	sum := sha256.Sum256(body)
	f := &asset{name: name, body: body, version: hex.EncodeToString(sum[:])[:10]}
	f.ctype = mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".webmanifest":
		f.ctype = "application/manifest+json"
	case ".js":
		f.ctype = "text/javascript; charset=utf-8"
	case ".css":
		f.ctype = "text/css; charset=utf-8"
	case ".svg":
		f.ctype = "image/svg+xml"
	}
	if f.ctype == "" {
		f.ctype = "application/octet-stream"
	}
	if len(body) >= minCompress && !strings.HasSuffix(name, ".png") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body) {
			f.gz = buf.Bytes()
		}
	}
	return f
}

// url is the address of a static file with its version, so that it can
// be cached for good: a new version has a new address.
func (a *assets) url(name string) string {
	f, ok := a.files[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + name + "?v=" + f.version
}

// shell lists what the service worker keeps from the start: the styles,
// scripts, icons and the offline page.
func (a *assets) shell() []string {
	var out []string
	for name := range a.files {
		if strings.HasPrefix(name, "icons/") && strings.HasSuffix(name, ".png") && !strings.Contains(name, "192") {
			continue
		}
		out = append(out, a.url(name))
	}
	sort.Strings(out)
	return append(out, "/offline")
}

// buildServiceWorker fills the service worker's placeholders: the
// cache's version and the list of files to keep from the start, the
// shell and the extra addresses given (the exercise pictures).
func (a *assets) buildServiceWorker(extra []string) {
	list, _ := json.Marshal(append(a.shell(), extra...))
	out := bytes.ReplaceAll(a.swSource, []byte(`"__VERSION__"`), []byte(`"`+a.version+`"`))
	a.sw = newAsset("sw.js", bytes.ReplaceAll(out, []byte(`["__SHELL__"]`), list))
}

// serveStatic serves a static file, compressed when the client takes it,
// cached for a year when asked for by its versioned address.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.assets.files[r.PathValue("path")]
	if !ok {
		s.notFound(w, r)
		return
	}
	cache := "no-cache"
	if v := r.URL.Query().Get("v"); v == f.version {
		cache = "public, max-age=31536000, immutable"
	}
	s.serveAsset(w, r, f, cache)
}

// serveAsset writes an asset with its ETag, answering 304 when the
// client has it already.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, f *asset, cache string) {
	h := w.Header()
	etag := `"` + f.version + `"`
	h.Set("ETag", etag)
	h.Set("Cache-Control", cache)
	h.Set("Content-Type", f.ctype)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if f.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// serviceWorker serves the service worker from the root, so that it can
// look after every page.
func (s *Server) serviceWorker(w http.ResponseWriter, r *http.Request) {
	s.serveAsset(w, r, s.assets.sw, "no-cache")
}

// manifest serves the PWA manifest.
func (s *Server) manifest(w http.ResponseWriter, r *http.Request) {
	s.serveAsset(w, r, s.assets.files["manifest.webmanifest"], "no-cache")
}

// favicon serves the icon browsers ask for at the root.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	s.serveAsset(w, r, s.assets.files["icons/icon-192.png"], "public, max-age=86400")
}

// offlinePage is shown by the service worker for a page that was never
// kept while the network is gone.
type offlinePage struct{}

func (offlinePage) title() (string, string) { return "You are offline", "" }

// offline serves the offline page.
func (s *Server) offline(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "offline", offlinePage{})
}

// exercisePicture serves an exercise's illustration as an SVG file.
func (s *Server) exercisePicture(w http.ResponseWriter, r *http.Request) {
	svg, err := s.catalog.SVG(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, backcoach.Errorf(backcoach.ENOTFOUND, "there is no exercise %q", clipPath(r.PathValue("id"))))
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(svg)
}
