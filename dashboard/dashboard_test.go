package dashboard

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, target string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func testSite(t *testing.T) *site {
	t.Helper()
	s, err := newSite(staticFiles)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPageIsServedAtEveryPagePath(t *testing.T) {
	s := testSite(t)
	for _, p := range []string{"/", "/login", "/apps/default/endpoints", "/apps/default/endpoints/ep_01ABC?tab=settings"} {
		res := get(t, s, p, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", p, res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", p, ct)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s: Cache-Control %q, want no-cache", p, cc)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: Content-Security-Policy %q", p, csp)
		}
		page := body(t, res)
		if want := `src="/assets/` + s.version + `/js/app.js"`; !strings.Contains(page, want) {
			t.Errorf("%s: page does not load %s", p, want)
		}
		if strings.Contains(page, "%ASSETS%") || strings.Contains(page, "%PRELOAD%") {
			t.Errorf("%s: placeholders left in the page", p)
		}
	}
}

func TestEveryModuleIsPreloaded(t *testing.T) {
	s := testSite(t)
	page := body(t, get(t, s, "/", nil))
	for name := range s.assets {
		if strings.HasPrefix(name, moduleDir) {
			link := `<link rel="modulepreload" href="/assets/` + s.version + "/" + name + `">`
			if !strings.Contains(page, link) {
				t.Errorf("page lacks %s", link)
			}
		}
	}
}

func TestAssetsHaveTheirTypeAndAreCachedByVersion(t *testing.T) {
	s := testSite(t)
	want := map[string]string{
		".js":  "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8",
		".svg": "image/svg+xml",
		".txt": "text/plain; charset=utf-8",
	}
	for name, a := range s.assets {
		res := get(t, s, "/assets/"+s.version+"/"+name, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", name, res.StatusCode)
		}
		if ct, ok := want[path.Ext(name)]; !ok || res.Header.Get("Content-Type") != ct {
			t.Errorf("%s: Content-Type %q, want %q", name, res.Header.Get("Content-Type"), ct)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q, want immutable", name, cc)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", name)
		}
		if got := body(t, res); got != string(a.body) {
			t.Errorf("%s: body differs from the embedded file", name)
		}
	}
	old := get(t, s, "/assets/0000000000000000/style.css", nil)
	if old.StatusCode != http.StatusOK || old.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("another version: status %d, Cache-Control %q; want 200 uncached", old.StatusCode, old.Header.Get("Cache-Control"))
	}
}

func TestVersionChangesWithContent(t *testing.T) {
	a := versionOf(map[string][]byte{"app.js": []byte("1")})
	b := versionOf(map[string][]byte{"app.js": []byte("2")})
	c := versionOf(map[string][]byte{"app2.js": []byte("1")})
	if a == b || a == c {
		t.Errorf("versions %s %s %s should differ", a, b, c)
	}
}

func TestCompressedWhenAccepted(t *testing.T) {
	s := testSite(t)
	target := "/assets/" + s.version + "/editor.bundle.js"
	res := get(t, s, target, map[string]string{"Accept-Encoding": "br, gzip"})
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain, s.assets["editor.bundle.js"].body) {
		t.Error("gzip body does not decompress to the file")
	}
	for _, ae := range []string{"", "identity", "gzip;q=0"} {
		res := get(t, s, target, map[string]string{"Accept-Encoding": ae})
		if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding %q: got Content-Encoding %q", ae, res.Header.Get("Content-Encoding"))
		}
	}
}

func TestNotModified(t *testing.T) {
	s := testSite(t)
	first := get(t, s, "/", nil)
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	again := get(t, s, "/", map[string]string{"If-None-Match": `"other", ` + etag})
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("status %d, want 304", again.StatusCode)
	}
}

func TestNotPagesAreNotFound(t *testing.T) {
	s := testSite(t)
	for _, p := range []string{"/api/v1/nothing", "/favicon.ico", "/assets/" + "nope", "/assets/x/missing.js"} {
		if res := get(t, s, p, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d, want 405", rec.Code)
	}
}

// The Content-Security-Policy forbids inline scripts, inline styles and
// other origins; these checks keep the sources within it, and keep API data
// out of the HTML parser.
func TestSourcesStayWithinThePolicy(t *testing.T) {
	s := testSite(t)
	page := string(s.index.body)
	checks := []struct {
		what string
		re   *regexp.Regexp
		in   string
	}{
		{"inline script", regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]+</script>`), page},
		{"script without src", regexp.MustCompile(`<script(?:(?:\s(?:type|defer|async)="?[^" >]*"?)*)\s*>`), page},
		{"event handler attribute", regexp.MustCompile(`\son[a-z]+=`), page},
		{"style attribute", regexp.MustCompile(`\sstyle=`), page},
		{"other origin", regexp.MustCompile(`(?:src|href)="(?:https?:)?//`), page},
	}
	for _, c := range checks {
		if loc := c.re.FindStringIndex(c.in); loc != nil {
			t.Errorf("index.html has an %s: %q", c.what, c.in[loc[0]:loc[1]])
		}
	}
	forbidden := regexp.MustCompile(`\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|setAttribute\("style"|https?://cdn`)
	for name, a := range s.assets {
		if !strings.HasPrefix(name, moduleDir) {
			continue
		}
		if loc := forbidden.FindIndex(a.body); loc != nil {
			t.Errorf("%s uses %q: build nodes with dom.js instead", name, a.body[loc[0]:loc[1]])
		}
	}
}

// Modules are served as written, without a bundler to catch a wrong
// import path: every relative import must name an embedded file.
func TestModuleImportsResolve(t *testing.T) {
	s := testSite(t)
	importRE := regexp.MustCompile(`(?:from\s+|import\s*\(\s*)"(\.{1,2}/[^"]+)"`)
	for name, a := range s.assets {
		if !strings.HasPrefix(name, moduleDir) || !strings.HasSuffix(name, ".js") {
			continue
		}
		for _, m := range importRE.FindAllSubmatch(a.body, -1) {
			target := path.Join(path.Dir(name), string(m[1]))
			if _, ok := s.assets[target]; !ok {
				t.Errorf("%s imports %s, which is not embedded", name, m[1])
			}
		}
	}
}
