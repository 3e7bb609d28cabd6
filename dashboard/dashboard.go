package dashboard

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
)

//go:embed static
var staticFiles embed.FS

// assetPrefix is the path under which assets are served, followed by the
// version and the file's path.
const assetPrefix = "/assets/"

// Placeholders in index.html: the versioned asset path, and where the
// module preload links go.
const (
	assetsPlaceholder  = "%ASSETS%"
	preloadPlaceholder = "%PRELOAD%"
)

// moduleDir holds the page's JavaScript modules; they are all preloaded,
// so the browser fetches them in one round instead of one per import level.
const moduleDir = "js/"

// ContentSecurityPolicy allows only this origin: no inline scripts or
// styles, no other hosts. Integration logos are shown as data: images.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// asset is one embedded file, ready to serve.
type asset struct {
	contentType string
	body        []byte
	etag        string
	// gzipped is body compressed, or nil when that does not help. It is
	// made at the first request that accepts it, so that opening a
	// dashboard (every node start, every test) costs no compression.
	gzipped  []byte
	gzipOnce sync.Once
}

// compressed returns the gzipped body, or nil if the asset is served as is.
func (a *asset) compressed() []byte {
	a.gzipOnce.Do(func() {
		if compressible(a.contentType) && len(a.body) > 1024 {
			a.gzipped = gzipped(a.body)
		}
	})
	return a.gzipped
}

// site is the dashboard's handler: the page and its assets, all in memory.
type site struct {
	version string
	index   *asset
	assets  map[string]*asset
}

// Handler returns the dashboard's HTTP handler. It serves the page at
// every path that is not an asset (the page routes in the browser), so it
// is meant to be mounted at "/" behind the API's own routes.
func Handler() http.Handler {
	s, err := newSite(staticFiles)
	if err != nil {
		// The files are compiled in: failing here is a build defect.
		panic(fmt.Sprintf("dashboard: %v", err))
	}
	return s
}

func newSite(files embed.FS) (*site, error) {
	root, err := fs.Sub(files, "static")
	if err != nil {
		return nil, err
	}
	raw := map[string][]byte{}
	err = fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(root, name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		raw[name] = body
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load embedded files: %w", err)
	}
	page, ok := raw["index.html"]
	if !ok {
		return nil, errors.New("index.html is missing")
	}
	delete(raw, "index.html")

	s := &site{version: versionOf(raw), assets: map[string]*asset{}}
	for name, body := range raw {
		s.assets[name] = newAsset(name, body)
	}
	page = bytes.ReplaceAll(page, []byte(preloadPlaceholder), preloadLinks(raw))
	page = bytes.ReplaceAll(page, []byte(assetsPlaceholder), []byte(assetPrefix+s.version))
	s.index = newAsset("index.html", page)
	return s, nil
}

// versionOf hashes every file's name and content, so any change to any
// asset gives every asset a new URL.
func versionOf(files map[string][]byte) string {
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(files[name]))
		h.Write(files[name])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// preloadLinks lists every module of moduleDir as a modulepreload link.
func preloadLinks(files map[string][]byte) []byte {
	var names []string
	for name := range files {
		if strings.HasPrefix(name, moduleDir) && strings.HasSuffix(name, ".js") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b bytes.Buffer
	for i, name := range names {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, `<link rel="modulepreload" href="%s/%s">`, assetsPlaceholder, name)
	}
	return b.Bytes()
}

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
	".json": "application/json",
	".png":  "image/png",
	".ico":  "image/x-icon",
}

func newAsset(name string, body []byte) *asset {
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = "application/octet-stream"
	}
	sum := sha256.Sum256(body)
	return &asset{contentType: ct, body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || contentType == "image/svg+xml" || contentType == "application/json"
}

func gzipped(body []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body) // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	if buf.Len() >= len(body) {
		return nil
	}
	return buf.Bytes()
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, assetPrefix):
		s.serveAsset(w, r, strings.TrimPrefix(p, assetPrefix))
	case strings.HasPrefix(p, "/api/"), looksLikeFile(p):
		http.NotFound(w, r)
	default:
		w.Header().Set("Cache-Control", "no-cache")
		serve(w, r, s.index)
	}
}

// serveAsset serves /assets/<version>/<name>. The current version is
// cached for a year; another version (a page from before an upgrade) gets
// today's file, uncached.
func (s *site) serveAsset(w http.ResponseWriter, r *http.Request, rest string) {
	version, name, ok := strings.Cut(rest, "/")
	a := s.assets[name]
	if !ok || a == nil {
		http.NotFound(w, r)
		return
	}
	if version == s.version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	serve(w, r, a)
}

// looksLikeFile reports whether the last segment of p has an extension:
// such paths are files that do not exist, not pages.
func looksLikeFile(p string) bool {
	return strings.Contains(path.Base(p), ".")
}

func serve(w http.ResponseWriter, r *http.Request, a *asset) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("ETag", a.etag)
	h.Set("Vary", "Accept-Encoding")
	if etagMatches(r.Header.Get("If-None-Match"), a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		if z := a.compressed(); z != nil {
			body = z
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func etagMatches(ifNoneMatch, etag string) bool {
	for _, candidate := range strings.Split(ifNoneMatch, ",") {
		c := strings.TrimPrefix(strings.TrimSpace(candidate), "W/")
		if c == etag || c == "*" {
			return true
		}
	}
	return false
}

// acceptsGzip reads Accept-Encoding, honouring an explicit q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	// same-origin-allow-popups, not same-origin: a window the dashboard
	// opens (Add to Slack's consent, which comes back to this origin's
	// callback) keeps its opener, to hand the result back; the dashboard
	// is still cut off from any window that opens it.
	h.Set("Cross-Origin-Opener-Policy", "same-origin-allow-popups")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
}
