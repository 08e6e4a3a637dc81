package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
)

// TestExerciseListVariants: the list is sent gzipped, from a copy
// compressed once, to a client that takes gzip, with an ETag of its own;
// either ETag answers 304; and the fast path answers exactly as the huma
// operation behind it.
func TestExerciseListVariants(t *testing.T) {
	t.Parallel()
	e := newEnv(t, filepath.Join(t.TempDir(), "api.db"))
	get := func(h http.Handler, query string, header ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/v1/exercises"+query, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	huma := e.api.mux // the operation as huma serves it, without the fast path
	for _, query := range []string{"", "?gentle=true", "?place=desk&equipment=wall,chair"} {
		plain := get(e.api.Handler(), query)
		zipped := get(e.api.Handler(), query, "Accept-Encoding", "br, gzip;q=0.8")
		if plain.Code != 200 || zipped.Code != 200 {
			t.Fatalf("%q: %d and %d", query, plain.Code, zipped.Code)
		}
		if zipped.Header().Get("Content-Encoding") != "gzip" || plain.Header().Get("Content-Encoding") != "" {
			t.Fatalf("%q: Content-Encoding %q with gzip accepted, %q without", query, zipped.Header().Get("Content-Encoding"), plain.Header().Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(zipped.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(unzipped, plain.Body.Bytes()) {
			t.Fatalf("%q: the gzipped list is not the list (%v)", query, err)
		}
		etag, gzETag := plain.Header().Get("ETag"), zipped.Header().Get("ETag")
		if etag == "" || gzETag == "" || etag == gzETag {
			t.Fatalf("%q: ETags %q and %q, want two distinct ones", query, etag, gzETag)
		}
		for _, v := range []string{"Vary", "Cache-Control", "Content-Type"} {
			if zipped.Header().Get(v) == "" {
				t.Errorf("%q: no %s", query, v)
			}
		}
		for _, tag := range []string{etag, gzETag} {
			for _, ae := range []string{"", "gzip"} {
				if w := get(e.api.Handler(), query, "If-None-Match", tag, "Accept-Encoding", ae); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
					t.Errorf("%q: If-None-Match %s, Accept-Encoding %q: %d with %d bytes", query, tag, ae, w.Code, w.Body.Len())
				}
			}
		}
		for _, header := range [][]string{nil, {"Accept-Encoding", "gzip"}, {"Accept-Encoding", "gzip;q=0"}, {"If-None-Match", gzETag, "Accept-Encoding", "gzip"}} {
			fast, slow := get(e.api.Handler(), query, header...), get(huma, query, header...)
			if fast.Code != slow.Code || !bytes.Equal(fast.Body.Bytes(), slow.Body.Bytes()) {
				t.Errorf("%q %v: fast path %d (%d bytes), huma %d (%d bytes)", query, header, fast.Code, fast.Body.Len(), slow.Code, slow.Body.Len())
			}
			for _, name := range []string{"Content-Type", "Content-Encoding", "Etag", "Cache-Control", "Vary"} {
				if f, s := fast.Header().Values(name), slow.Header().Values(name); len(f) != len(s) || len(f) > 0 && f[0] != s[0] {
					t.Errorf("%q %v: %s is %q on the fast path, %q from huma", query, header, name, f, s)
				}
			}
		}
	}
	// A filter to refuse goes to huma and its problem document.
	if w := get(e.api.Handler(), "?place=roof", "Accept-Encoding", "gzip"); w.Code != http.StatusBadRequest {
		t.Errorf("unknown place: %d", w.Code)
	}
}
