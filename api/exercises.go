package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
)

// The exercise catalog is public: anyone may read it without signing in.
// It is part of the program and never changes while it runs, so its
// answers are encoded once, and gzipped once, and carry an ETag (one per
// encoding, as RFC 9110 §8.8.3 asks of strong validators) and a cache
// lifetime. The list is also served by a fast path ahead of huma
// (serveExerciseList), since it is the API's most frequent request.

const catalogCache = "public, max-age=3600"

// placeParam, equipmentParam and gentleParam are the catalog filters as
// the client wrote them, documented as what they must be.
type (
	placeParam     string
	equipmentParam string
	gentleParam    string
)

// Schema documents the place filter.
func (placeParam) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Enum: anyList(backcoach.Places)}
}

// Schema documents the equipment filter.
func (equipmentParam) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Examples: []any{"wall,chair", "none"},
		Description: "The equipment the person has, separated by commas (" + strings.Join(stringList(backcoach.AllEquipment), ", ") +
			"), or none: only exercises that need nothing else are listed. Leave it out to list exercises whatever they need."}
}

// Schema documents the gentle filter.
func (gentleParam) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeBoolean, Default: false}
}

// exerciseFilter is a parsed catalog filter; comparable, so that it keys
// the cache of encoded lists.
type exerciseFilter struct {
	place     backcoach.Place
	equipment string // canonical: the catalog's order, comma separated; "*" for any
	gentle    bool
}

type listExercisesInput struct {
	Place       placeParam     `query:"place" doc:"Only exercises that can be done at this place."`
	Equipment   equipmentParam `query:"equipment"`
	Gentle      gentleParam    `query:"gentle" doc:"true lists only the gentle exercises, the ones offered when pain is high."`
	IfNoneMatch string         `header:"If-None-Match" doc:"The ETag of a list already held; 304 when it is unchanged."`
	// AcceptEncoding picks the gzipped list when the client takes it.
	AcceptEncoding string `header:"Accept-Encoding" doc:"gzip for the list compressed (Content-Encoding: gzip)."`
}

// parse checks the filters.
func (in *listExercisesInput) parse() (exerciseFilter, error) {
	f := exerciseFilter{place: backcoach.Place(in.Place), equipment: "*"}
	if in.Place != "" && !slices.Contains(backcoach.Places, f.place) {
		return f, inQuery(backcoach.Invalid("place", "must be one of %s, got %q", strings.Join(stringList(backcoach.Places), ", "), clip(string(in.Place))))
	}
	switch in.Gentle {
	case "", "false":
	case "true":
		f.gentle = true
	default:
		return f, inQuery(backcoach.Invalid("gentle", "must be true or false, got %q", clip(string(in.Gentle))))
	}
	if in.Equipment == "" {
		return f, nil
	}
	if in.Equipment == "none" {
		f.equipment = ""
		return f, nil
	}
	have := map[backcoach.Equipment]bool{}
	for _, item := range strings.Split(string(in.Equipment), ",") {
		e := backcoach.Equipment(strings.TrimSpace(item))
		if !slices.Contains(backcoach.AllEquipment, e) {
			return f, inQuery(backcoach.Invalid("equipment", "must list equipment from %s separated by commas, or be none; %q is not one of them",
				strings.Join(stringList(backcoach.AllEquipment), ", "), clip(string(e))))
		}
		have[e] = true
	}
	var canon []string
	for _, e := range backcoach.AllEquipment {
		if have[e] {
			canon = append(canon, string(e))
		}
	}
	f.equipment = strings.Join(canon, ",")
	return f, nil
}

// catalogFilter is the filter for catalog.Find.
func (f exerciseFilter) catalogFilter() catalog.Filter {
	cf := catalog.Filter{Place: f.place, Gentle: f.gentle}
	if f.equipment != "*" {
		cf.Equipment = []backcoach.Equipment{}
		for _, e := range strings.Split(f.equipment, ",") {
			if e != "" {
				cf.Equipment = append(cf.Equipment, backcoach.Equipment(e))
			}
		}
	}
	return cf
}

// encoded is a response body encoded once, with its ETag, and gzipped
// once, with its own.
type encoded struct {
	body, gz     []byte
	etag, gzETag string
}

func encode(v any) (*encoded, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	zw.Write(buf.Bytes())
	if err := zw.Close(); err != nil {
		return nil, err
	}
	digest := sha256.Sum256(buf.Bytes())
	sum := hex.EncodeToString(digest[:12])
	return &encoded{body: buf.Bytes(), gz: gz.Bytes(), etag: `"` + sum + `"`, gzETag: `"` + sum + `-gzip"`}, nil
}

// matches reports whether an If-None-Match header names either ETag:
// both stand for the same list.
func (e *encoded) matches(ifNoneMatch string) bool {
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == e.etag || tag == e.gzETag || tag == "*" {
			return true
		}
	}
	return false
}

// variant returns the body and ETag to send: gzipped when the client
// accepts it.
func (e *encoded) variant(acceptEncoding string) (body []byte, etag string, gzipped bool) {
	if acceptsGzip(acceptEncoding) {
		return e.gz, e.gzETag, true
	}
	return e.body, e.etag, false
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		enc, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// cachedOutput is a pre-encoded JSON answer, or 304 Not Modified.
type cachedOutput struct {
	Status          int
	ContentType     string `header:"Content-Type"`
	ContentEncoding string `header:"Content-Encoding"`
	Vary            string `header:"Vary"`
	ETag            string `header:"ETag"`
	CacheControl    string `header:"Cache-Control"`
	Body            []byte
}

func (a *API) registerExercises() {
	registry := a.huma.OpenAPI().Components.Schemas
	register(a, huma.Operation{
		OperationID: "list-exercises",
		Method:      http.MethodGet,
		Path:        Prefix + "/exercises",
		Summary:     "List the exercises",
		Description: "The whole catalog in one page (next_cursor is always null), optionally filtered. No sign-in needed.",
		Tags:        []string{"Exercises"},
		Errors:      []int{http.StatusBadRequest},
		Responses: map[string]*huma.Response{
			"200": {Description: "The exercises, in catalog order.", Content: map[string]*huma.MediaType{
				"application/json": {Schema: registry.Schema(reflect.TypeFor[Page[backcoach.Exercise]](), true, "")},
			}},
			"304": {Description: "The list is unchanged since the ETag given in If-None-Match."},
		},
	}, a.listExercises)

	register(a, huma.Operation{
		OperationID: "get-exercise",
		Method:      http.MethodGet,
		Path:        Prefix + "/exercises/{id}",
		Summary:     "Get one exercise",
		Description: "Steps, dose, cautions and sources of one exercise. No sign-in needed.",
		Tags:        []string{"Exercises"},
		Errors:      []int{http.StatusNotFound},
	}, a.getExercise)

	register(a, huma.Operation{
		OperationID: "get-exercise-illustration",
		Method:      http.MethodGet,
		Path:        Prefix + "/exercises/{id}/illustration.svg",
		Summary:     "Get an exercise's illustration",
		Description: "The picture of the exercise, as SVG. No sign-in needed.",
		Tags:        []string{"Exercises"},
		Errors:      []int{http.StatusNotFound},
		Responses: map[string]*huma.Response{
			"200": {Description: "The illustration.", Content: map[string]*huma.MediaType{
				"image/svg+xml": {Schema: &huma.Schema{Type: huma.TypeString}},
			}},
		},
	}, a.getIllustration)
}

func (a *API) listExercises(_ context.Context, in *listExercisesInput) (*cachedOutput, error) {
	f, err := in.parse()
	if err != nil {
		return nil, err
	}
	enc, err := a.exerciseList(f)
	if err != nil {
		return nil, err
	}
	body, etag, gzipped := enc.variant(in.AcceptEncoding)
	out := &cachedOutput{Status: http.StatusOK, ETag: etag, CacheControl: catalogCache, Vary: "Accept-Encoding"}
	if in.IfNoneMatch != "" && enc.matches(in.IfNoneMatch) {
		out.Status = http.StatusNotModified
		return out, nil
	}
	out.ContentType = "application/json"
	if gzipped {
		out.ContentEncoding = "gzip"
	}
	out.Body = body
	return out, nil
}

// serveExerciseList answers GET /api/v1/exercises as listExercises does,
// byte for byte, without huma's per-request reflection: it is what
// every page and app asks first. It reports false, having written
// nothing, for a request it leaves to huma (a filter to refuse with a
// problem document).
func (a *API) serveExerciseList(w http.ResponseWriter, r *http.Request) bool {
	in := listExercisesInput{IfNoneMatch: r.Header.Get("If-None-Match"), AcceptEncoding: r.Header.Get("Accept-Encoding")}
	if r.URL.RawQuery != "" {
		q := r.URL.Query()
		in.Place, in.Equipment, in.Gentle = placeParam(q.Get("place")), equipmentParam(q.Get("equipment")), gentleParam(q.Get("gentle"))
	}
	f, err := in.parse()
	if err != nil {
		return false
	}
	enc, err := a.exerciseList(f)
	if err != nil {
		return false
	}
	body, etag, gzipped := enc.variant(in.AcceptEncoding)
	h := w.Header()
	h.Set("Cache-Control", catalogCache)
	h.Set("Etag", etag)
	if !slices.Contains(h.Values("Vary"), "Accept-Encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	if in.IfNoneMatch != "" && enc.matches(in.IfNoneMatch) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	h.Set("Content-Type", "application/json")
	if gzipped {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	return true
}

// exerciseList returns the encoded list for a filter, encoding it the
// first time it is asked for. There are at most 4 × 17 × 2 filters.
func (a *API) exerciseList(f exerciseFilter) (*encoded, error) {
	if v, ok := a.exercises.Load(f); ok {
		return v.(*encoded), nil
	}
	list := a.catalog.Find(f.catalogFilter())
	if list == nil {
		list = []backcoach.Exercise{}
	}
	enc, err := encode(Page[backcoach.Exercise]{Items: list})
	if err != nil {
		return nil, err
	}
	v, _ := a.exercises.LoadOrStore(f, enc)
	return v.(*encoded), nil
}

type exerciseIDInput struct {
	ID string `path:"id" doc:"The exercise's id, such as cat-cow."`
}

type exerciseOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         *backcoach.Exercise
}

func (a *API) getExercise(_ context.Context, in *exerciseIDInput) (*exerciseOutput, error) {
	e, err := a.exercise(in.ID)
	if err != nil {
		return nil, err
	}
	return &exerciseOutput{CacheControl: catalogCache, Body: e}, nil
}

type svgOutput struct {
	ContentType  string `header:"Content-Type"`
	CacheControl string `header:"Cache-Control"`
	// CSP keeps the picture inert when it is opened on its own.
	CSP  string `header:"Content-Security-Policy"`
	Body []byte
}

func (a *API) getIllustration(_ context.Context, in *exerciseIDInput) (*svgOutput, error) {
	if _, err := a.exercise(in.ID); err != nil {
		return nil, err
	}
	svg, err := a.catalog.SVG(in.ID)
	if err != nil {
		return nil, err
	}
	return &svgOutput{ContentType: "image/svg+xml", CacheControl: catalogCache,
		CSP: "default-src 'none'; style-src 'unsafe-inline'", Body: svg}, nil
}

// exercise finds an exercise of the catalog.
func (a *API) exercise(id string) (*backcoach.Exercise, error) {
	e, err := a.catalog.Get(id)
	if err != nil {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no exercise %q; GET %s/exercises lists them", clip(id), Prefix)
	}
	return e, nil
}

func stringList[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}
