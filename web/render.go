package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/triage"
)

//go:embed templates
var templateFiles embed.FS

// pages holds one template set per page: the layout, the shared
// partials and the page's own file.
type pages struct {
	set map[string]*template.Template
}

// loadPages parses every page with the layout and the partials.
func loadPages(a *assets) (*pages, error) {
	funcs := templateFuncs(a)
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{set: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFiles, n); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		p.set[name] = t
	}
	return p, nil
}

// view is what the layout shows around a page.
type view struct {
	Title      string
	Nav        string
	Person     *backcoach.Person
	SingleUser bool
	Disclaimer string
	// SignedOut tells the page's script to clear the offline copies of
	// the previous person's pages.
	SignedOut bool
	// Offline marks pages the service worker keeps for offline use.
	Offline bool
	// Script is a page's own script, beside the shared one.
	Script string
	// Breaks is set when the person turned on the web app's break
	// reminder: the page carries its prompt, and its script listens.
	Breaks bool
	Page   any
}

// titled is implemented by page data that names its page.
type titled interface{ title() (title, nav string) }

// render writes a page with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, page any) {
	s.renderStatus(w, r, http.StatusOK, name, page)
}

// renderStatus writes a whole page, or only its "content" block for an
// htmx request that targets the main area.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, page any) {
	t, ok := s.pages.set[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v := view{Page: page, Disclaimer: triage.Disclaimer(), SingleUser: s.cfg.SingleUser}
	v.Person = personFrom(r.Context())
	v.Breaks = s.remindersOn(r.Context(), v.Person)
	if tp, ok := page.(titled); ok {
		v.Title, v.Nav = tp.title()
	}
	if ep, ok := page.(errorPage); ok {
		v.Title = ep.Title
	}
	if em, ok := page.(interface{ emergency() bool }); ok && em.emergency() {
		// The emergency screen ends with what to do now, not with the
		// line about contacting a doctor if worried.
		v.Disclaimer = ""
	}
	if so, ok := page.(interface{ signedOut() bool }); ok {
		v.SignedOut = so.signedOut()
	}
	if off, ok := page.(interface{ offline() bool }); ok {
		v.Offline = off.offline()
	}
	if sc, ok := page.(interface{ script() string }); ok {
		v.Script = sc.script()
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		// Pages show health data: no cache, shared or the browser's own,
		// may keep them.
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderPart writes one named template of a page, for htmx to swap in.
func (s *Server) renderPart(w http.ResponseWriter, r *http.Request, name, part string, data any) {
	t, ok := s.pages.set[name]
	if !ok {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, part, data); err != nil {
		s.log.Error("render", "template", name, "part", part, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// isHTMX reports whether htmx sent the request.
// A request that restores htmx's history wants the whole page.
func isHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

// redirect sends the browser on after a form, with 303 so that a reload
// does not post again.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// templateFuncs are the helpers the templates use.
func templateFuncs(a *assets) template.FuncMap {
	return template.FuncMap{
		"asset":   a.url,
		"formKey": newFormKey,
		"label":   label,
		"seq":     seq,
		"join":    strings.Join,
		"minutes": minutesText,
		"clock":   func(t time.Time) string { return t.Format("15:04") },
		"day":     func(t time.Time) string { return t.Format("Mon 2 Jan") },
		"dayLong": func(t time.Time) string { return t.Format("Monday 2 January 2006") },
		"iso":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"add":     func(a, b int) int { return a + b },
		"pct":     func(f float64) int { return int(f*100 + 0.5) },
		"one":     func(f float64) string { return oneDecimal(f) },
		"deref": func(p *int) int {
			if p == nil {
				return -1
			}
			return *p
		},
		"active":     diary.ActiveWords,
		"disclaimer": triage.Disclaimer,
		"signWords": func(id string) string {
			if s, ok := triage.LookupSign(id); ok {
				return s.Words
			}
			return id
		},
		"field": func(name, label, value, hint string, errs map[string]string) map[string]string {
			return map[string]string{"Name": name, "Label": label, "Value": value, "Hint": hint, "Error": errs[name]}
		},
		"scale": func(name, value, legend, err string) map[string]string {
			return map[string]string{"Name": name, "Value": value, "Legend": legend, "Error": err}
		},
		"has": func(list []string, v string) bool {
			for _, x := range list {
				if x == v {
					return true
				}
			}
			return false
		},
	}
}

// seq returns the numbers from lo to hi, for the 0–10 scales.
func seq(lo, hi int) []int {
	out := make([]int, 0, hi-lo+1)
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}

// minutesText says a number of seconds in minutes and seconds.
func minutesText(seconds int) string { return backcoach.DurationWords(seconds) }

// oneDecimal writes a number with one decimal, dropping ".0".
func oneDecimal(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}
